// (:Actor)-[:IN_CONSTITUENCY {rank, primary}]->(:Constituency) of framework $framework for
// actors just written (their old links are gone); rank 0 is the primary constituency.
UNWIND $ids AS id
MATCH (a:Actor {map: $map, id: id})
USING INDEX a:Actor(map, id)
UNWIND range(0, size(coalesce(a.constituencies, [])) - 1) AS rank
MATCH (c:Constituency {framework: $framework, key: a.constituencies[rank]})
USING INDEX c:Constituency(framework, key)
CREATE (a)-[:IN_CONSTITUENCY {rank: rank, primary: rank = 0}]->(c)
RETURN count(*) AS links
