// How many actors, ties, spaces and memberships a map holds. (Ties and memberships never
// leave their map, so only the first end of a pattern is looked up by map.)
OPTIONAL MATCH (a:Actor {map: $map})
WITH count(a) AS actors
OPTIONAL MATCH (s:Space {map: $map})
WITH actors, count(s) AS spaces
OPTIONAL MATCH (:Actor {map: $map})-[r]->(:Actor)
WITH actors, spaces, count(r) AS ties
OPTIONAL MATCH (:Actor {map: $map})-[m:MEMBER_OF]->(:Space)
RETURN actors, ties, spaces, count(m) AS memberships
