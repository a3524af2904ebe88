// Ties of a map (every relationship between two of its actors), in workspace order.
// A tie is stored between the ends of its identity; `swapped` gives back the order the
// workspace wrote it in.
MATCH (a:Actor {map: $map})-[r]->(b:Actor)
USING INDEX a:Actor(map)
RETURN CASE WHEN r.swapped THEN b.id ELSE a.id END AS from, CASE WHEN r.swapped THEN a.id ELSE b.id END AS to,
       toLower(type(r)) AS type, r.directed AS directed, r.weight AS weight, r.trust AS trust, r.value AS value,
       r.since AS since, r.until AS until, r.reported_by AS reported_by, r.source AS source, r.notes AS notes
ORDER BY r.seq, a.id, b.id
