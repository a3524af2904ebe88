// Actors of a map that holds none yet (a map's first push): rows {id, props}, with the links
// drawn from their properties in the same statement: IN_CONSTITUENCY {rank, primary} to the
// constituencies of framework $framework (rank 0 is the primary), SERVES {led_by} to the
// communities they list, OPERATES_IN to their locality of the map. Returns the element id of
// each actor created, by its `seq`, for create_ties.
UNWIND $rows AS row
CREATE (a:Actor)
SET a = row.props
WITH a
CALL {
  WITH a
  UNWIND range(0, size(coalesce(a.constituencies, [])) - 1) AS rank
  MATCH (c:Constituency {framework: $framework, key: a.constituencies[rank]})
  USING INDEX c:Constituency(framework, key)
  CREATE (a)-[:IN_CONSTITUENCY {rank: rank, primary: rank = 0}]->(c)
}
CALL {
  WITH a
  UNWIND coalesce(a.communities, []) AS key
  MATCH (c:Community {key: key})
  USING INDEX c:Community(key)
  CREATE (a)-[:SERVES {led_by: coalesce(a.led_by_community, false)}]->(c)
}
CALL {
  WITH a
  MATCH (l:Locality {map: $map, key: a.locality})
  USING INDEX l:Locality(map, key)
  CREATE (a)-[:OPERATES_IN]->(l)
}
RETURN count(*) AS created, 0 AS updated, count(*) AS rows, collect(a.seq) AS seqs, collect(elementId(a)) AS elements
