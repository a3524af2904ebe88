// Record a map's actor and tie counts on its :Map node (only when they changed).
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
WITH m WHERE m.actors IS NULL OR m.actors <> $actors OR m.ties IS NULL OR m.ties <> $ties
SET m.actors = $actors, m.ties = $ties
RETURN count(m) AS updated
