// How many actors, ties, spaces and memberships a map holds.
OPTIONAL MATCH (a:Actor {map: $map})
WITH count(a) AS actors
OPTIONAL MATCH (s:Space {map: $map})
WITH actors, count(s) AS spaces
OPTIONAL MATCH (:Actor {map: $map})-[r]->(:Actor {map: $map})
WITH actors, spaces, count(r) AS ties
OPTIONAL MATCH (:Actor {map: $map})-[m:MEMBER_OF]->(:Space {map: $map})
RETURN actors, ties, spaces, count(m) AS memberships
