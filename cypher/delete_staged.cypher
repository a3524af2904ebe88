// Delete up to $limit actors, spaces and localities (with their relationships) staged under
// the temporary key $staging; run again until it returns 0.
OPTIONAL MATCH (a:Actor {map: $staging})
USING INDEX a:Actor(map)
WITH a LIMIT $limit
DETACH DELETE a
WITH count(a) AS actors
OPTIONAL MATCH (s:Space {map: $staging})
USING INDEX s:Space(map)
WITH actors, s LIMIT $limit
DETACH DELETE s
WITH actors, count(s) AS spaces
OPTIONAL MATCH (l:Locality {map: $staging})
USING INDEX l:Locality(map)
WITH actors, spaces, l LIMIT $limit
DETACH DELETE l
WITH actors, spaces, count(l) AS localities
RETURN actors + spaces + localities AS deleted
