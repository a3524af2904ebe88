// Census 2021 ethnic groups (shared by every map): {props: {key, name, level, parent}}, or
// just {props: {key}} for a community key an actor names that the census list lacks.
UNWIND $rows AS row
MERGE (c:Community {key: row.props.key})
WITH c, row, size(keys(c)) = 1 AS bare,
     any(k IN keys(row.props) WHERE c[k] IS NULL OR c[k] <> row.props[k]) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET c += row.props)
RETURN sum(CASE WHEN changed AND bare THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT bare THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
