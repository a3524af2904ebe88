// Which tie rows ([start id, end id, ...], as for upsert_ties) name an actor the map does
// not hold (used to explain a failed push).
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
OPTIONAL MATCH (a:Actor {map: $map, id: row[0]})
USING INDEX a:Actor(map, id)
OPTIONAL MATCH (b:Actor {map: $map, id: row[1]})
USING INDEX b:Actor(map, id)
WITH i, row, a, b
WHERE a IS NULL OR b IS NULL
RETURN i AS index, row[0] AS start, row[1] AS end, a IS NULL AS start_missing, b IS NULL AS end_missing
ORDER BY i
LIMIT 5
