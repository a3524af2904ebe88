// Memberships of a map's actors in its spaces, in workspace order (a role not stored is the
// default, "member"; a text not stored is "").
MATCH (a:Actor {map: $map})-[r:MEMBER_OF]->(s:Space)
USING INDEX a:Actor(map)
RETURN a.id AS actor, s.id AS space, coalesce(r.role, 'member') AS role, coalesce(r.since, '') AS since,
       coalesce(r.until, '') AS until, coalesce(r.source, '') AS source
ORDER BY r.seq, a.id, s.id
