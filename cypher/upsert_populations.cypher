// Population profiles (Census 2021 shares per area, shared by every map): parallel
// lists `groups` and `shares` (per cent); a group may be keys joined by '+'.
UNWIND $rows AS row
MERGE (p:PopulationProfile {key: row.props.key})
WITH p, row, p.name IS NULL AS created, properties(p) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET p = row.props)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
