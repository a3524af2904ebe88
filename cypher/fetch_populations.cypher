// The population profiles the localities of map $map name, as stored (shared by every map).
MATCH (l:Locality {map: $map})-[:HAS_POPULATION]->(p:PopulationProfile)
USING INDEX l:Locality(map)
WITH DISTINCT p
RETURN p.key AS key, p.name AS name, p.geography_code AS geography_code, p.source AS source,
       p.groups AS groups, p.shares AS shares
ORDER BY key
