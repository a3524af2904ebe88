// Ties of one type in a map that held no actors before this push (the bulk-load path).
// __TIE_TYPE__ is replaced as in upsert_ties. The actors were all created by this push with
// `seq` 0..n-1, so a row names its ends by position ([start seq, end seq, ...], otherwise as
// in upsert_ties) and the ends are picked from the map's actors in seq order: no index
// look-up per tie. Empty values arrive as null and are not stored.
MATCH (n:Actor {map: $map})
USING INDEX n:Actor(map)
WITH n ORDER BY n.seq
WITH collect(n) AS nodes
UNWIND $rows AS row
WITH nodes[row[0]] AS a, nodes[row[1]] AS b, row
CREATE (a)-[:__TIE_TYPE__ {swapped: row[2], directed: row[3], weight: row[4], trust: row[5], value: row[6],
                          since: row[7], until: row[8], reported_by: row[9], source: row[10], notes: row[11],
                          seq: row[12]}]->(b)
RETURN count(*) AS created, 0 AS updated, count(*) AS rows
