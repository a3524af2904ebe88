// A constituency framework (shared by every map that uses it): the :Framework node.
MERGE (f:Framework {key: $framework})
WITH f, f.name IS NULL AS created, properties(f) <> $props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET f = $props)
RETURN created, changed AND NOT created AS updated
