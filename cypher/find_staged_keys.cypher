// Temporary keys that pushes of map $map staged under and left behind (a client that died
// half-way): every key starting with $prefix.
MATCH (a:Actor)
WHERE a.map STARTS WITH $prefix
RETURN DISTINCT a.map AS staging
UNION
MATCH (l:Locality)
WHERE l.map STARTS WITH $prefix
RETURN DISTINCT l.map AS staging
