// First step of deleting a map: in one transaction (holding the map's lock) its :Map node
// goes and its actors, spaces and localities move to the temporary key $retired, which no
// query for the map sees; delete_staged then removes them in batches.
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
SET m.key = m.key
WITH m
OPTIONAL MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
SET a.map = $retired
WITH m, count(a) AS actors
OPTIONAL MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
SET s.map = $retired
WITH m, actors, count(s) AS spaces
OPTIONAL MATCH (l:Locality {map: $map})
USING INDEX l:Locality(map)
SET l.map = $retired
WITH m, actors, spaces, count(l) AS localities
DETACH DELETE m
RETURN 1 AS deleted, actors, spaces, localities
