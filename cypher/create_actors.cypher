// Actors of a map that holds none yet (the bulk-load path of a push): {id, props}.
UNWIND $rows AS row
CREATE (a:Actor)
SET a = row.props
RETURN count(*) AS created, 0 AS updated, count(*) AS rows
