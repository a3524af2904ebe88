// Gap: for ego actor $ego (or, when $ego is null, each ego the map lists, or without such a
// list every statutory actor: primary constituency in the statutory sector, not an
// individual), the constituencies of framework $framework held neither by the ego nor by
// any actor it is tied to (any type, either direction) or shares a space with.
MATCH (m:Map {key: $map})
USING INDEX m:Map(key)
MATCH (f:Framework {key: $framework})
MATCH (e:Actor {map: $map})
USING INDEX e:Actor(map)
WHERE CASE
  WHEN $ego IS NOT NULL THEN e.id = $ego
  WHEN size(coalesce(m.ego, [])) > 0 THEN e.id IN m.ego
  ELSE coalesce(e.kind, '') <> 'individual'
       AND EXISTS { MATCH (f)-[:HAS_CONSTITUENCY]->(:Constituency {sector: 'statutory', key: e.constituencies[0]}) }
END
MATCH (f)-[:HAS_CONSTITUENCY]->(c:Constituency)
WHERE NOT c.key IN coalesce(e.constituencies, [])
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
