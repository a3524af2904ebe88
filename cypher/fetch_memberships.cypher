// Memberships of a map's actors in its spaces, in workspace order.
MATCH (a:Actor {map: $map})-[r:MEMBER_OF]->(s:Space)
USING INDEX a:Actor(map)
RETURN a.id AS actor, s.id AS space, r.role AS role, r.since AS since, r.until AS until, r.source AS source
ORDER BY r.seq, a.id, s.id
