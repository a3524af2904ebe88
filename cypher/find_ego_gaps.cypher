// Gap: for ego actor $ego (or, when $ego is null, each ego the map lists, or without such a
// list every actor, not an individual, holding a constituency whose `reaches` list is not
// empty, except the local teams (actors with a locality) of such a constituency when a body
// of it serves the whole map (no locality)), the constituencies of framework $framework it is
// expected to reach (the `reaches` of its constituencies, or every constituency when they have
// none) that some actor of its locality holds (any actor, for an ego with no locality) but
// neither the ego nor any actor it is tied to (any type, either direction) or shares a space with holds.
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
MATCH (f:Framework {key: $framework})
OPTIONAL MATCH (f)-[:HAS_CONSTITUENCY]->(wc:Constituency)
WHERE size(coalesce(wc.reaches, [])) > 0 AND EXISTS {
  MATCH (w:Actor {map: $map})
  WHERE w.locality IS NULL AND coalesce(w.kind, '') <> 'individual' AND wc.key IN w.constituencies
}
WITH m, f, collect(wc.key) AS wide
MATCH (e:Actor {map: $map})
USING INDEX e:Actor(map)
WITH m, f, wide, e,
     [(f)-[:HAS_CONSTITUENCY]->(own:Constituency)
      WHERE own.key IN coalesce(e.constituencies, []) AND size(coalesce(own.reaches, [])) > 0 | own.key] AS reaching,
     reduce(r = [], x IN [(f)-[:HAS_CONSTITUENCY]->(own:Constituency)
                          WHERE own.key IN coalesce(e.constituencies, []) | coalesce(own.reaches, [])]
            | r + x) AS reaches
WHERE CASE
  WHEN $ego IS NOT NULL THEN e.id = $ego
  WHEN size(coalesce(m.ego, [])) > 0 THEN e.id IN m.ego
  ELSE coalesce(e.kind, '') <> 'individual' AND size(reaches) > 0
       AND (e.locality IS NULL OR none(k IN reaching WHERE k IN wide))
END
MATCH (f)-[:HAS_CONSTITUENCY]->(c:Constituency)
WHERE (size(reaches) = 0 OR c.key IN reaches)
  AND NOT c.key IN coalesce(e.constituencies, [])
  AND EXISTS {
    MATCH (p:Actor {map: $map})
    WHERE c.key IN p.constituencies AND (e.locality IS NULL OR p.locality IS NULL OR p.locality = e.locality)
  }
  AND NOT EXISTS {
    MATCH (e)-[]-(n:Actor)
    WHERE c.key IN n.constituencies
  }
  AND NOT EXISTS {
    MATCH (e)-[:MEMBER_OF]->(:Space)<-[:MEMBER_OF]-(n:Actor)
    WHERE n <> e AND c.key IN n.constituencies
  }
RETURN e.id AS ego, e.name AS ego_name, c.key AS constituency, c.label AS label, c.sector AS sector
ORDER BY e.seq, e.id, c.rank
