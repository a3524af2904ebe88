// Fragility: VCSE or community actors of map $map (by the sector of their primary
// constituency in framework $framework) that depend on a single funder or commissioner:
// exactly one actor has a FUNDS or COMMISSIONS tie to them.
MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(c:Constituency)
WHERE c.sector IN ['vcse', 'community']
MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
WHERE a.constituencies[0] = c.key
MATCH (src:Actor)-[:FUNDS|COMMISSIONS]->(a)
WITH a, collect(DISTINCT src) AS sources
WHERE size(sources) = 1
RETURN a.id AS actor, a.name AS name, sources[0].id AS single_source, sources[0].name AS source_name
ORDER BY a.id
