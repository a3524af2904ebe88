// Ties of one type in a map that held no actors before this push (the bulk-load path).
// Same rows and placeholder as upsert_ties; no need to look for an existing tie.
UNWIND $rows AS row
MATCH (a:Actor {map: $map, id: row[0]})
MATCH (b:Actor {map: $map, id: row[1]})
CREATE (a)-[r:__TIE_TYPE__]->(b)
SET r = {swapped: row[2], directed: row[3], weight: row[4], trust: row[5], value: row[6], since: row[7],
         until: row[8], reported_by: row[9], source: row[10], notes: row[11], seq: row[12]}
RETURN count(*) AS created, 0 AS updated, count(*) AS rows
