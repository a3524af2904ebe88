// Identity of everything a map holds (for pruning what a workspace no longer has):
// kind, id/key (a tie: type and the ends it is stored between), and the element id.
MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
RETURN 'actor' AS kind, [a.id] AS key, elementId(a) AS element
UNION ALL
MATCH (s:Space {map: $map})
USING INDEX s:Space(map)
RETURN 'space' AS kind, [s.id] AS key, elementId(s) AS element
UNION ALL
MATCH (l:Locality {map: $map})
USING INDEX l:Locality(map)
RETURN 'locality' AS kind, [l.key] AS key, elementId(l) AS element
UNION ALL
MATCH (a:Actor {map: $map})-[r]->(b:Actor)
USING INDEX a:Actor(map)
RETURN 'tie' AS kind, [toLower(type(r)), a.id, b.id] AS key, elementId(r) AS element
UNION ALL
MATCH (a:Actor {map: $map})-[r:MEMBER_OF]->(s:Space)
USING INDEX a:Actor(map)
RETURN 'membership' AS kind, [a.id, s.id] AS key, elementId(r) AS element
