// Delete nodes (and their relationships) by element id: used by a push with prune.
UNWIND $elements AS element
MATCH (n) WHERE elementId(n) = element
DETACH DELETE n
RETURN count(*) AS deleted
