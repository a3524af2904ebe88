// Delete one small map in one transaction: its :Map node, actors, ties, spaces,
// memberships and localities. (Store.delete_map uses retire_map then delete_staged, which
// also works for maps too big for one transaction.)
// Frameworks, communities and population profiles are shared and stay.
OPTIONAL MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
DETACH DELETE a
WITH count(*) AS ignored
OPTIONAL MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
DETACH DELETE s
WITH count(*) AS ignored
OPTIONAL MATCH (l:Locality {map: $map})
USING INDEX l:Locality(map)
DETACH DELETE l
WITH count(*) AS ignored
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
DETACH DELETE m
RETURN count(*) AS deleted
