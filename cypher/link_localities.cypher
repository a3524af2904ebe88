// (:Actor)-[:OPERATES_IN]->(:Locality) for actors just written (their old links are gone).
UNWIND $ids AS id
MATCH (a:Actor {map: $map, id: id})
USING INDEX a:Actor(map, id)
MATCH (l:Locality {map: $map, key: a.locality})
USING INDEX l:Locality(map, key)
CREATE (a)-[:OPERATES_IN]->(l)
RETURN count(*) AS links
