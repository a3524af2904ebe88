// Bulk path, last step: the nodes a push staged under the temporary key $staging become
// map $map, all in the transaction that holds the map's lock (their ties and links come
// with them). Until then no query for $map sees them.
OPTIONAL MATCH (a:Actor {map: $staging})
SET a.map = $map
WITH count(a) AS actors
OPTIONAL MATCH (s:Space {map: $staging})
SET s.map = $map
WITH actors, count(s) AS spaces
OPTIONAL MATCH (l:Locality {map: $staging})
SET l.map = $map
WITH actors, spaces, count(l) AS localities
MATCH (m:Map {key: $map})
OPTIONAL MATCH (l:Locality {map: $map})
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | MERGE (m)-[:COVERS]->(l))
RETURN actors, spaces, localities
