// Which tie rows name an actor the map does not hold (used to explain a failed push).
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
OPTIONAL MATCH (a:Actor {map: $map, id: row.from})
OPTIONAL MATCH (b:Actor {map: $map, id: row.to})
WITH i, row, a, b
WHERE a IS NULL OR b IS NULL
RETURN i AS index, row.from AS from, row.to AS to, a IS NULL AS from_missing, b IS NULL AS to_missing
ORDER BY i
LIMIT 5
