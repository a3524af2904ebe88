// The constituencies of a framework, in framework order (rank).
UNWIND $rows AS row
MATCH (f:Framework {key: $framework})
MERGE (c:Constituency {framework: $framework, key: row.props.key})
WITH f, c, row, c.label IS NULL AS created, properties(c) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET c = row.props)
MERGE (f)-[:HAS_CONSTITUENCY]->(c)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
