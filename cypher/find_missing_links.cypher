// Gap: constituency pairs framework $framework expects to be tied where map $map has no tie
// (of any type, either direction) and no shared space between an actor holding one and a
// different actor holding the other. $locality (null = the whole map) keeps to the actors
// of one locality and those with no locality.
MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(ca:Constituency)-[e:EXPECTS]->(cb:Constituency)
WHERE NOT EXISTS {
  MATCH (a:Actor {map: $map})-[]-(b:Actor)
  USING INDEX a:Actor(map)
  WHERE a <> b AND ca.key IN a.constituencies AND cb.key IN b.constituencies
    AND ($locality IS NULL OR ((a.locality IS NULL OR a.locality = $locality)
                               AND (b.locality IS NULL OR b.locality = $locality)))
}
AND NOT EXISTS {
  MATCH (a:Actor {map: $map})-[:MEMBER_OF]->(:Space)<-[:MEMBER_OF]-(b:Actor)
  USING INDEX a:Actor(map)
  WHERE a <> b AND ca.key IN a.constituencies AND cb.key IN b.constituencies
    AND ($locality IS NULL OR ((a.locality IS NULL OR a.locality = $locality)
                               AND (b.locality IS NULL OR b.locality = $locality)))
}
RETURN ca.key AS a, cb.key AS b, ca.label AS a_label, cb.label AS b_label, e.reason AS reason
ORDER BY e.rank, ca.rank, cb.rank
