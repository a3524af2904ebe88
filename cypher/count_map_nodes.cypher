// Whether a map holds anything yet (read only): a map with no actors and no spaces is
// loaded by the bulk path (staged, then promoted).
OPTIONAL MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
WITH count(a) AS actors
OPTIONAL MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
RETURN actors, count(s) AS spaces
