// Every map in the database with its size.
MATCH (m:Map)
RETURN m.key AS key, m.name AS name, m.snapshot AS snapshot, m.framework AS framework,
       m.actors AS actors, m.ties AS ties
ORDER BY m.key
