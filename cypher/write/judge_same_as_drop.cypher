// description: Remove every SAME_AS of these records before their groups are written
//   again (graph_service.risk.judgements, after a decision). A row is {uid}.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (p:Entity {uid: row.uid})-[r:SAME_AS]-(:Entity)
DELETE r
