// Memberships: (:Actor)-[:MEMBER_OF {role, since, until, source, seq}]->(:Space), one per pair
// (props without the default role "member" and empty texts).
// Rows whose actor or space is not in the map are not matched (`rows` falls short).
UNWIND $rows AS row
MATCH (a:Actor {map: $map, id: row.actor})
USING INDEX a:Actor(map, id)
MATCH (s:Space {map: $map, id: row.space})
USING INDEX s:Space(map, id)
MERGE (a)-[r:MEMBER_OF]->(s)
WITH r, row, r.seq IS NULL AS created, properties(r) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET r = row.props)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
