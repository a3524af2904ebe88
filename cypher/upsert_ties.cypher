// Ties of one type between actors of a map. __TIE_TYPE__ is replaced by the tie type in
// upper case (e.g. PARTNERSHIP) after netmap.model.is_identifier has accepted it; every
// value is a parameter. Rows: {from, to, key, props}; `key` is the tie's identity
// ([from, to], sorted for an undirected tie). A tie is stored from -> to as given; an
// undirected tie given the other way round is redrawn. Rows whose ends are not actors of
// the map are not matched: `rows` then falls short of the batch size and the push fails.
UNWIND $rows AS row
MATCH (a:Actor {map: $map, id: row.from})
MATCH (b:Actor {map: $map, id: row.to})
OPTIONAL MATCH (a)-[old:__TIE_TYPE__]-(b)
WHERE old.key = row.key
WITH row, a, b, old,
     old IS NOT NULL AND startNode(old) <> a AS flipped,
     old IS NOT NULL AND startNode(old) = a AND properties(old) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET old = row.props)
FOREACH (_ IN CASE WHEN flipped THEN [1] ELSE [] END | DELETE old)
FOREACH (_ IN CASE WHEN old IS NULL OR flipped THEN [1] ELSE [] END |
  CREATE (a)-[r:__TIE_TYPE__]->(b)
  SET r = row.props)
RETURN sum(CASE WHEN old IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed OR flipped THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
