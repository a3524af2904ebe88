// Ties of one type between actors of a map. __TIE_TYPE__ is replaced by the tie type in
// upper case (e.g. PARTNERSHIP) after netmap.model.is_identifier has accepted it; every
// value is a parameter. A row is a list: [start id, end id, props].
// A tie is stored from the first to the second end of its identity (Tie.key: sorted ends
// for an undirected tie); `swapped: true` records that the workspace wrote it the other way
// round. `props` holds only the values that differ from the defaults (not swapped, not
// directed, weight 1, no rating, empty texts and lists), and `seq`: fetch_ties gives the
// defaults back. Rows whose ends are not actors of the map are not matched: `rows` then falls
// short of the batch size and the push fails. Nothing is written for a tie that is already as given.
UNWIND $rows AS row
MATCH (a:Actor {map: $map, id: row[0]})
USING INDEX a:Actor(map, id)
MATCH (b:Actor {map: $map, id: row[1]})
USING INDEX b:Actor(map, id)
OPTIONAL MATCH (a)-[old:__TIE_TYPE__]->(b)
WITH a, b, old, row[2] AS props
WITH a, b, old, props, old IS NOT NULL AND properties(old) <> props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET old = props)
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END | CREATE (a)-[r:__TIE_TYPE__]->(b) SET r = props)
RETURN sum(CASE WHEN old IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
