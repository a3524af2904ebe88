// Bulk path, last step: the nodes a push staged under the temporary key $staging become
// map $map, all in the transaction that holds the map's lock (their ties and links come
// with them). Until then no query for $map sees them.
OPTIONAL MATCH (a:Actor {map: $staging})
USING INDEX a:Actor(map)
SET a.map = $map
WITH count(a) AS actors
OPTIONAL MATCH (s:Space {map: $staging})
USING INDEX s:Space(map)
SET s.map = $map
WITH actors, count(s) AS spaces
OPTIONAL MATCH (l:Locality {map: $staging})
USING INDEX l:Locality(map)
SET l.map = $map
WITH actors, spaces, count(l) AS localities
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
OPTIONAL MATCH (l:Locality {map: $map})
USING INDEX l:Locality(map)
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | MERGE (m)-[:COVERS]->(l))
RETURN actors, spaces, localities
