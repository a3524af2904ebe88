// Localities (places) a map covers, linked to their map and population profile.
UNWIND $rows AS row
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
MERGE (l:Locality {map: $map, key: row.key})
WITH m, l, row, l.seq IS NULL AS created, properties(l) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET l = row.props)
MERGE (m)-[:COVERS]->(l)
WITH l, row, created, changed
OPTIONAL MATCH (l)-[old:HAS_POPULATION]->(p:PopulationProfile)
WHERE p.key <> coalesce(row.props.population, '')
DELETE old
WITH DISTINCT l, row, created, changed
OPTIONAL MATCH (p:PopulationProfile {key: row.props.population})
USING INDEX p:PopulationProfile(key)
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (l)-[:HAS_POPULATION]->(p))
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
