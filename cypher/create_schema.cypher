// Schema of netmap's graph: run once per database (every statement is IF NOT EXISTS).
// Map-scoped nodes are unique per (map, id|key), so several maps live side by side.
CREATE CONSTRAINT netmap_map_key IF NOT EXISTS FOR (m:Map) REQUIRE m.key IS UNIQUE;
CREATE CONSTRAINT netmap_actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE (a.map, a.id) IS UNIQUE;
CREATE CONSTRAINT netmap_space_id IF NOT EXISTS FOR (s:Space) REQUIRE (s.map, s.id) IS UNIQUE;
CREATE CONSTRAINT netmap_locality_key IF NOT EXISTS FOR (l:Locality) REQUIRE (l.map, l.key) IS UNIQUE;
CREATE CONSTRAINT netmap_framework_key IF NOT EXISTS FOR (f:Framework) REQUIRE f.key IS UNIQUE;
CREATE CONSTRAINT netmap_constituency_key IF NOT EXISTS FOR (c:Constituency) REQUIRE (c.framework, c.key) IS UNIQUE;
CREATE CONSTRAINT netmap_community_key IF NOT EXISTS FOR (c:Community) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT netmap_population_key IF NOT EXISTS FOR (p:PopulationProfile) REQUIRE p.key IS UNIQUE;
CREATE INDEX netmap_actor_map IF NOT EXISTS FOR (a:Actor) ON (a.map);
CREATE INDEX netmap_space_map IF NOT EXISTS FOR (s:Space) ON (s.map);
CREATE INDEX netmap_locality_map IF NOT EXISTS FOR (l:Locality) ON (l.map);
