// The framework map $map was last pushed with: its settings, its constituencies and the links
// it expects, each in framework order (rank).
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
MATCH (m)-[:USES]->(f:Framework)
OPTIONAL MATCH (f)-[:HAS_CONSTITUENCY]->(c:Constituency)
WITH f, c ORDER BY c.rank
WITH f, [x IN collect(c) | properties(x)] AS constituencies
OPTIONAL MATCH (f)-[:HAS_CONSTITUENCY]->(a:Constituency)-[e:EXPECTS]->(b:Constituency)
WITH f, constituencies, a, b, e ORDER BY e.rank
RETURN f.key AS key, f.name AS name, f.description AS description, f.source AS source, constituencies,
       [x IN collect(CASE WHEN e IS NULL THEN null ELSE {a: a.key, b: b.key, reason: e.reason, direct: e.direct} END)
        WHERE x IS NOT NULL] AS expected_links
