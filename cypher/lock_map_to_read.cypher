// Take the lock of an existing map (as a push does, without creating the map) so that a read
// sees the map wholly before or wholly after a push: a push holds this lock until it commits.
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
SET m.key = m.key
RETURN count(m) AS maps
