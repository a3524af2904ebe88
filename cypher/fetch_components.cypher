// The server's name, version and edition (netmap needs Neo4j 5 or later).
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions, edition
