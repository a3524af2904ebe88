// Actors of a map with every field, in workspace order (kind and scale, not stored when they
// are the defaults, come back as "organisation" and "local").
MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
RETURN a.id AS id, a.name AS name, a.constituencies AS constituencies, a.aliases AS aliases,
       coalesce(a.kind, 'organisation') AS kind, a.communities AS communities, a.led_by_community AS led_by_community,
       a.lived_experience_led AS lived_experience_led, a.locality AS locality, coalesce(a.scale, 'local') AS scale,
       a.source AS source, a.notes AS notes, a.attributes AS attributes
ORDER BY a.seq, a.id
