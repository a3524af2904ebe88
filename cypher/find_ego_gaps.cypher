// Gap: for ego actor $ego (or, when $ego is null, each ego actor listed by the map), the
// constituencies of framework $framework held neither by the ego nor by any actor it is
// tied to (any type, either direction) or shares a space with.
MATCH (m:Map {key: $map})
UNWIND CASE WHEN $ego IS NULL THEN coalesce(m.ego, []) ELSE [$ego] END AS ego_id
MATCH (e:Actor {map: $map, id: ego_id})
MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(c:Constituency)
WHERE NOT c.key IN e.constituencies
  AND NOT EXISTS {
    MATCH (e)-[]-(n:Actor)
    WHERE c.key IN n.constituencies
  }
  AND NOT EXISTS {
    MATCH (e)-[:MEMBER_OF]->(:Space)<-[:MEMBER_OF]-(n:Actor)
    WHERE n <> e AND c.key IN n.constituencies
  }
RETURN e.id AS ego, e.name AS ego_name, c.key AS constituency, c.label AS label, c.sector AS sector
ORDER BY e.id, c.rank
