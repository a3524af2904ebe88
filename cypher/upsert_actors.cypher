// Actors of a map, one row each: {id, props}. `props` holds every stored property (empty
// values are left out); the whole node is replaced when anything differs, else nothing is written.
// Returns the ids written (link_ids: new or changed, to draw their links) and the ids of
// existing actors that changed (relink_ids: their old links are dropped first).
UNWIND $rows AS row
MERGE (a:Actor {map: $map, id: row.id})
WITH a, row, a.seq IS NULL AS created, properties(a) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET a = row.props)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       collect(CASE WHEN changed THEN a.id END) AS link_ids,
       collect(CASE WHEN changed AND NOT created THEN a.id END) AS relink_ids,
       count(*) AS rows
