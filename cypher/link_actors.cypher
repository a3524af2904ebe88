// Derived links of actors, drawn from their properties: OPERATES_IN to the map's locality,
// SERVES to Census communities (led_by when the actor is led by its communities) and
// IN_CONSTITUENCY (rank 0 = primary) to the constituencies of $framework.
// MERGE throughout: links that exist already are left alone.
UNWIND $ids AS id
MATCH (a:Actor {map: $map, id: id})
OPTIONAL MATCH (l:Locality {map: $map, key: a.locality})
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | MERGE (a)-[:OPERATES_IN]->(l))
FOREACH (key IN a.communities |
  MERGE (c:Community {key: key})
  MERGE (a)-[:SERVES {led_by: a.led_by_community}]->(c))
WITH a
UNWIND range(0, size(a.constituencies) - 1) AS rank
MATCH (c:Constituency {framework: $framework, key: a.constituencies[rank]})
MERGE (a)-[:IN_CONSTITUENCY {rank: rank, primary: rank = 0}]->(c)
RETURN count(*) AS links
