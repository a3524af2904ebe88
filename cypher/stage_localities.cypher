// Bulk path: localities of a map, staged under the temporary key $map (not yet linked to
// the :Map node, which promote_staged does). Rows {key, props}; props.map is $map.
UNWIND $rows AS row
CREATE (l:Locality)
SET l = row.props
WITH l, row
OPTIONAL MATCH (p:PopulationProfile {key: row.props.population})
USING INDEX p:PopulationProfile(key)
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (l)-[:HAS_POPULATION]->(p))
RETURN count(DISTINCT l) AS created, 0 AS updated, count(DISTINCT l) AS rows
