// Spaces (forums, boards, partnerships, pledges, events) of a map: {id, props}.
UNWIND $rows AS row
MERGE (s:Space {map: $map, id: row.id})
WITH s, row, s.seq IS NULL AS created, properties(s) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET s = row.props)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
