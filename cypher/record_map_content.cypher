// Record on a map's :Map node what its push left: actor and tie counts (shown by `maps`), the
// content hash of the map pushed, whether the map now holds exactly that map ($exact: a first
// push or a pruned one) and the hashes of its batches ($blocks), so that a push of the same
// content writes nothing and a push changing a little sends only the batches that changed.
// Written only when something differs.
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
WITH m WHERE m.actors IS NULL OR m.actors <> $actors OR m.ties IS NULL OR m.ties <> $ties
          OR m.content_hash IS NULL OR m.content_hash <> $hash OR coalesce(m.content_exact, false) <> $exact
          OR coalesce(m.content_blocks, []) <> $blocks
SET m.actors = $actors, m.ties = $ties, m.content_hash = $hash, m.content_exact = $exact, m.content_blocks = $blocks
RETURN count(m) AS updated
