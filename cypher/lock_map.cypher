// Take the write lock of a map for the rest of the transaction (creating its :Map node if
// need be), so that two pushes of the same map run one after the other. Then report what
// the map holds, and the content hash, block hashes and counts its last push recorded.
MERGE (m:Map {key: $map})
SET m.key = m.key
WITH m
OPTIONAL MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
WITH m, count(a) AS actors
OPTIONAL MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
RETURN m.name IS NULL AS created, m.framework_key AS framework_key, actors, count(s) AS spaces,
       m.content_hash AS content_hash, coalesce(m.content_exact, false) AS content_exact,
       coalesce(m.content_blocks, []) AS content_blocks, m.actors AS stored_actors, m.ties AS stored_ties
