// Spaces of a map, in workspace order (not the implicit ones a membership named without
// the map listing them).
MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
WHERE s.implicit IS NULL
RETURN s.id AS id, s.name AS name, s.kind AS kind, s.locality AS locality, s.since AS since,
       s.until AS until, s.source AS source, s.notes AS notes
ORDER BY s.seq, s.id
