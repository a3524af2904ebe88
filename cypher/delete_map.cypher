// Delete one map: its :Map node, actors, ties, spaces, memberships and localities.
// Frameworks, communities and population profiles are shared and stay.
OPTIONAL MATCH (a:Actor {map: $map})
DETACH DELETE a
WITH count(*) AS ignored
OPTIONAL MATCH (s:Space {map: $map})
DETACH DELETE s
WITH count(*) AS ignored
OPTIONAL MATCH (l:Locality {map: $map})
DETACH DELETE l
WITH count(*) AS ignored
MATCH (m:Map {key: $map})
DETACH DELETE m
RETURN count(*) AS deleted
