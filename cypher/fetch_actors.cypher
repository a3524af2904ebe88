// Actors of a map with every stored field, in workspace order.
MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
RETURN a.id AS id, a.name AS name, a.constituencies AS constituencies, a.aliases AS aliases,
       a.kind AS kind, a.communities AS communities, a.led_by_community AS led_by_community,
       a.lived_experience_led AS lived_experience_led, a.locality AS locality, a.scale AS scale,
       a.source AS source, a.notes AS notes, a.attributes AS attributes
ORDER BY a.seq, a.id
