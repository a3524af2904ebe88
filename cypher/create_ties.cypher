// Ties of one type in a map that held no actors before this push (its first push), sent as
// columns (netmap.store.rows.tie_columns). __TIE_TYPE__ is replaced as in upsert_ties.
// $start[i] and $end[i] are the element ids of the i-th tie's ends, as create_actors returned
// them: each is found by a direct seek, with no index look-up and no sort of the map's actors.
// Every other column holds one property, null where the tie keeps the default (a null is not
// stored), or is null as a whole when no tie of the batch has that property.
UNWIND range(0, size($seq) - 1) AS i
MATCH (a:Actor) WHERE elementId(a) = $start[i]
MATCH (b:Actor) WHERE elementId(b) = $end[i]
CREATE (a)-[:__TIE_TYPE__ {seq: $seq[i], directed: $directed[i], swapped: $swapped[i], weight: $weight[i],
  trust: $trust[i], value: $value[i], since: $since[i], until: $until[i], source: $source[i], notes: $notes[i],
  reported_by: $reported_by[i]}]->(b)
RETURN count(*) AS created, 0 AS updated, count(*) AS rows
