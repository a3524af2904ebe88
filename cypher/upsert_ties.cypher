// Ties of one type between actors of a map. __TIE_TYPE__ is replaced by the tie type in
// upper case (e.g. PARTNERSHIP) after netmap.model.is_identifier has accepted it; every
// value is a parameter. A row is a list (compact to send):
//   [start id, end id, swapped, directed, weight, trust, value, since, until, reported_by,
//    source, notes, seq]
// A tie is stored from the first to the second end of its identity (Tie.key: sorted ends
// for an undirected tie); `swapped` records that the workspace wrote it the other way round.
// Empty values (false swapped, no rating, empty text or list) arrive as null and are not
// stored: fetch_ties reads them back as the defaults.
// Rows whose ends are not actors of the map are not matched: `rows` then falls short of the
// batch size and the push fails. Nothing is written for a tie that is already as given.
UNWIND $rows AS row
MATCH (a:Actor {map: $map, id: row[0]})
USING INDEX a:Actor(map, id)
MATCH (b:Actor {map: $map, id: row[1]})
USING INDEX b:Actor(map, id)
OPTIONAL MATCH (a)-[old:__TIE_TYPE__]->(b)
WITH a, b, old, {swapped: row[2], directed: row[3], weight: row[4], trust: row[5], value: row[6], since: row[7],
                 until: row[8], reported_by: row[9], source: row[10], notes: row[11], seq: row[12]} AS props
WITH a, b, old, props,
     old IS NOT NULL AND (
       any(k IN keys(props) WHERE NOT coalesce(old[k] = props[k], old[k] IS NULL AND props[k] IS NULL))
       OR size(keys(old)) <> size([k IN keys(props) WHERE props[k] IS NOT NULL])) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET old = props)
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END | CREATE (a)-[r:__TIE_TYPE__]->(b) SET r = props)
RETURN sum(CASE WHEN old IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
