// Gap: constituencies of framework $framework held by no actor of map $map (at any rank).
// $locality (null = the whole map) looks at one locality: its actors and those with no
// locality (map-wide bodies count in every locality).
MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(c:Constituency)
WHERE NOT EXISTS {
  MATCH (a:Actor {map: $map})
  USING INDEX a:Actor(map)
  WHERE c.key IN a.constituencies AND ($locality IS NULL OR a.locality IS NULL OR a.locality = $locality)
}
RETURN c.key AS constituency, c.label AS label, c.sector AS sector, c.weight AS weight
ORDER BY c.rank, c.key
