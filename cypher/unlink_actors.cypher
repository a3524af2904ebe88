// Drop the derived links (constituencies, communities, localities) of actors whose
// properties changed; link_actors then draws them again.
UNWIND $ids AS id
MATCH (a:Actor {map: $map, id: id})-[r:IN_CONSTITUENCY|SERVES|OPERATES_IN]->(target)
USING INDEX a:Actor(map, id)
WHERE NOT target:Actor
DELETE r
RETURN count(r) AS deleted
