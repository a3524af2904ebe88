// Census 2021 ethnic groups (shared by every map): key, name, level, parent.
UNWIND $rows AS row
MERGE (c:Community {key: row.props.key})
WITH c, row, c.name IS NULL AS created, properties(c) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET c = row.props)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
