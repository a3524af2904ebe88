// Which membership rows name an actor or space the map does not hold.
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
OPTIONAL MATCH (a:Actor {map: $map, id: row.actor})
USING INDEX a:Actor(map, id)
OPTIONAL MATCH (s:Space {map: $map, id: row.space})
USING INDEX s:Space(map, id)
WITH i, row, a, s
WHERE a IS NULL OR s IS NULL
RETURN i AS index, row.actor AS actor, row.space AS space, a IS NULL AS actor_missing, s IS NULL AS space_missing
ORDER BY i
LIMIT 5
