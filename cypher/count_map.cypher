// How many actors, ties, spaces and memberships a map holds. (Ties and memberships never
// leave their map, so only the first end of a pattern is looked up by map.)
OPTIONAL MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
WITH count(a) AS actors
OPTIONAL MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
WITH actors, count(s) AS spaces
OPTIONAL MATCH (x:Actor {map: $map})-[r]->(:Actor)
USING INDEX x:Actor(map)
WITH actors, spaces, count(r) AS ties
OPTIONAL MATCH (y:Actor {map: $map})-[m:MEMBER_OF]->(:Space)
USING INDEX y:Actor(map)
RETURN actors, ties, spaces, count(m) AS memberships
