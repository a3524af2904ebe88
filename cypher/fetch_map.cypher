// The settings of one map (no row when there is no such map); `populations` holds the workspace's
// own population profiles as a JSON text.
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
RETURN m.key AS key, m.name AS name, m.framework AS framework, m.framework_key AS framework_key,
       m.snapshot AS snapshot, m.ego AS ego, m.description AS description,
       m.populations AS populations
