// Take the write lock of a map for the rest of the transaction (creating its :Map node if
// need be), so that two pushes of the same map run one after the other.
MERGE (m:Map {key: $map})
SET m.key = m.key
RETURN m.name IS NULL AS created, m.framework_key AS framework_key
