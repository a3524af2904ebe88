// Gap: constituency pairs framework $framework expects to be tied that map $map leaves unmet
// although both are present: no actor holds both, no tie (of any type, either direction) joins
// an actor holding one to a different actor holding the other, and, unless the link is direct
// (e.direct), no shared space does. $locality (null = the whole map) keeps to the actors of one
// locality and those with no locality. shares_space: the link is direct and only a space joins them.
MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(ca:Constituency)-[e:EXPECTS]->(cb:Constituency)
WHERE EXISTS {
  MATCH (a:Actor {map: $map})
  USING INDEX a:Actor(map)
  WHERE ca.key IN a.constituencies AND ($locality IS NULL OR a.locality IS NULL OR a.locality = $locality)
}
AND EXISTS {
  MATCH (b:Actor {map: $map})
  USING INDEX b:Actor(map)
  WHERE cb.key IN b.constituencies AND ($locality IS NULL OR b.locality IS NULL OR b.locality = $locality)
}
AND NOT EXISTS {
  MATCH (a:Actor {map: $map})
  USING INDEX a:Actor(map)
  WHERE ca.key IN a.constituencies AND cb.key IN a.constituencies
    AND ($locality IS NULL OR a.locality IS NULL OR a.locality = $locality)
}
AND NOT EXISTS {
  MATCH (a:Actor {map: $map})-[]-(b:Actor)
  USING INDEX a:Actor(map)
  WHERE a <> b AND ca.key IN a.constituencies AND cb.key IN b.constituencies
    AND ($locality IS NULL OR ((a.locality IS NULL OR a.locality = $locality)
                               AND (b.locality IS NULL OR b.locality = $locality)))
}
WITH ca, cb, e, EXISTS {
  MATCH (a:Actor {map: $map})-[:MEMBER_OF]->(:Space)<-[:MEMBER_OF]-(b:Actor)
  USING INDEX a:Actor(map)
  WHERE a <> b AND ca.key IN a.constituencies AND cb.key IN b.constituencies
    AND ($locality IS NULL OR ((a.locality IS NULL OR a.locality = $locality)
                               AND (b.locality IS NULL OR b.locality = $locality)))
} AS shares_space
WHERE coalesce(e.direct, false) OR NOT shares_space
RETURN ca.key AS a, cb.key AS b, ca.label AS a_label, cb.label AS b_label, e.reason AS reason,
       coalesce(e.direct, false) AS direct, shares_space
ORDER BY e.rank, ca.rank, cb.rank
