// Delete up to $limit nodes (with their relationships) staged under the temporary key
// $staging; run again until it returns 0.
CALL {
  MATCH (a:Actor {map: $staging}) RETURN a AS n
  UNION
  MATCH (s:Space {map: $staging}) RETURN s AS n
  UNION
  MATCH (l:Locality {map: $staging}) RETURN l AS n
}
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
