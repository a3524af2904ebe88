// Ties of a map (every relationship between two of its actors), in workspace order.
// A tie is stored between the ends of its identity; `swapped` gives back the order the
// workspace wrote it in. Defaults not stored come back: not directed, weight 1.
MATCH (a:Actor {map: $map})-[r]->(b:Actor)
USING INDEX a:Actor(map)
RETURN CASE WHEN r.swapped THEN b.id ELSE a.id END AS from, CASE WHEN r.swapped THEN a.id ELSE b.id END AS to,
       toLower(type(r)) AS type, coalesce(r.directed, false) AS directed, coalesce(r.weight, 1.0) AS weight, r.trust AS trust, r.value AS value,
       r.since AS since, r.until AS until, r.reported_by AS reported_by, r.source AS source, r.notes AS notes
ORDER BY r.seq, a.id, b.id
