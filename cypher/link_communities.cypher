// (:Actor)-[:SERVES {led_by}]->(:Community) for actors just written (their old links are
// gone); led_by is true when the actor is led by the communities it lists.
UNWIND $ids AS id
MATCH (a:Actor {map: $map, id: id})
USING INDEX a:Actor(map, id)
UNWIND coalesce(a.communities, []) AS key
MATCH (c:Community {key: key})
USING INDEX c:Community(key)
CREATE (a)-[:SERVES {led_by: coalesce(a.led_by_community, false)}]->(c)
RETURN count(*) AS links
