// The map's own settings (name, framework, snapshot, ego actors, description) and its
// USES link to the framework. Writes only what differs, so a repeated push changes nothing.
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
WITH m, any(k IN keys($props) WHERE m[k] IS NULL OR m[k] <> $props[k]) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET m += $props)
WITH m, changed
OPTIONAL MATCH (m)-[old:USES]->(other:Framework)
WHERE other.key <> $framework
DELETE old
WITH DISTINCT m, changed
MATCH (f:Framework {key: $framework})
MERGE (m)-[:USES]->(f)
RETURN changed
