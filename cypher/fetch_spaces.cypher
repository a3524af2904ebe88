// Spaces of a map, in workspace order (not the implicit ones a membership named without
// the map listing them). A kind not stored is the default, "forum"; a text not stored is "".
MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
WHERE s.implicit IS NULL
RETURN s.id AS id, coalesce(s.name, '') AS name, coalesce(s.kind, 'forum') AS kind,
       coalesce(s.locality, '') AS locality, coalesce(s.since, '') AS since, coalesce(s.until, '') AS until,
       coalesce(s.source, '') AS source, coalesce(s.notes, '') AS notes
ORDER BY s.seq, s.id
