// Remove constituencies and expected links a framework no longer has ($keys, $pairs).
MATCH (f:Framework {key: $framework})
OPTIONAL MATCH (f)-[:HAS_CONSTITUENCY]->(c:Constituency)
WHERE NOT c.key IN $keys
DETACH DELETE c
WITH DISTINCT f
OPTIONAL MATCH (:Constituency {framework: $framework})-[e:EXPECTS]->(b:Constituency)
WHERE NOT [startNode(e).key, b.key] IN $pairs
DELETE e
RETURN count(e) AS deleted
