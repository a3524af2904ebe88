// Community coverage: for each locality of map $map with a population profile, each Census
// group's share of the population against the actors of that locality (or of no locality:
// map-wide bodies count everywhere) that serve the group
// (naming it, or one of its detailed groups, among their communities), how many of them are
// led by it, and how many of those are VCSE or community organisations (by the sector of
// their primary constituency in framework $framework). A group joined by '+'
// (e.g. mixed+other) counts the actors of either group.
MATCH (l:Locality {map: $map})-[:HAS_POPULATION]->(p:PopulationProfile)
USING INDEX l:Locality(map)
UNWIND range(0, size(p.groups) - 1) AS i
WITH l, p, p.groups[i] AS grp, p.shares[i] AS share, split(p.groups[i], '+') AS parts
OPTIONAL MATCH (d:Community)
WHERE d.parent IN parts
WITH l, p, grp, share, parts, collect(d.key) AS detailed
WITH l, p, grp, share, parts + detailed AS keys
OPTIONAL MATCH (a:Actor {map: $map})
USING INDEX a:Actor(map)
WHERE (a.locality IS NULL OR a.locality = l.key) AND any(k IN a.communities WHERE k IN keys)
OPTIONAL MATCH (:Framework {key: $framework})-[:HAS_CONSTITUENCY]->(c:Constituency {key: a.constituencies[0]})
RETURN l.key AS locality, p.key AS population, grp AS community, share AS population_share,
       count(DISTINCT a) AS actors_serving,
       count(DISTINCT CASE WHEN a.led_by_community THEN a END) AS actors_led_by,
       count(DISTINCT CASE WHEN a.led_by_community AND c.sector IN ['vcse', 'community'] THEN a END)
         AS by_and_for_vcse
ORDER BY locality, population_share DESC
