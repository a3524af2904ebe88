// The constituency pairs a framework expects to be tied: (a)-[:EXPECTS {reason}]->(b).
UNWIND $rows AS row
MATCH (a:Constituency {framework: $framework, key: row.a})
USING INDEX a:Constituency(framework, key)
MATCH (b:Constituency {framework: $framework, key: row.b})
USING INDEX b:Constituency(framework, key)
MERGE (a)-[e:EXPECTS]->(b)
WITH e, row, e.reason IS NULL AS created, properties(e) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET e = row.props)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated,
       count(*) AS rows
