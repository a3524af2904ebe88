// The settings of one map (null when there is no such map).
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
RETURN m.key AS key, m.name AS name, m.framework AS framework, m.framework_key AS framework_key,
       m.snapshot AS snapshot, m.ego AS ego, m.description AS description
