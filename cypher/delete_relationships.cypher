// Delete relationships by element id: used by a push with prune.
UNWIND $elements AS element
MATCH ()-[r]->() WHERE elementId(r) = element
DELETE r
RETURN count(*) AS deleted
