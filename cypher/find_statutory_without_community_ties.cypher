// Pledge objective 3: statutory actors of map $map (by their primary constituency in
// framework $framework) with no tie to any actor whose primary constituency is in the
// community sector or which is lived-experience led.
MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(c:Constituency {sector: 'statutory'})
MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
WHERE a.constituencies[0] = c.key
  AND NOT EXISTS {
    MATCH (a)-[]-(b:Actor)
    WHERE b.lived_experience_led
       OR EXISTS { MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(:Constituency {sector: 'community', key: b.constituencies[0]}) }
  }
RETURN a.id AS actor, a.name AS name, c.key AS constituency
ORDER BY a.id
