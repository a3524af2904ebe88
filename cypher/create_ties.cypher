// Ties of one type in a map that held no actors before this push (its first push).
// __TIE_TYPE__ is replaced as in upsert_ties. The actors were all created by this push with
// `seq` 0..n-1, so a row names its ends by position: [start seq, end seq, props], and the ends
// are picked from the map's actors in seq order (no index look-up per tie; measured faster
// than a look-up by id or by element id). `props` holds only values that differ from the
// defaults, and `seq`.
MATCH (n:Actor {map: $map})
USING INDEX n:Actor(map)
WITH n ORDER BY n.seq
WITH collect(n) AS nodes
UNWIND $rows AS row
WITH nodes[row[0]] AS a, nodes[row[1]] AS b, row
CREATE (a)-[r:__TIE_TYPE__]->(b)
SET r = row[2]
RETURN count(*) AS created, 0 AS updated, count(*) AS rows
