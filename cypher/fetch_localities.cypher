// Localities of a map, in workspace order.
MATCH (l:Locality {map: $map})
USING INDEX l:Locality(map)
RETURN l.key AS key, coalesce(l.name, '') AS name, coalesce(l.population, '') AS population
ORDER BY l.seq, l.key
