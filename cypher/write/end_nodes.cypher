// description: A full extract of $source no longer contains these nodes: the source
//   leaves them (prov_gone "<source>|<date>"); a node every source of it has left is
//   marked unseen_since $date, and retention removes it (graph_service.security.retention).
//   Seen again by any source (cypher/templates/merge_node.cypher) lifts both. A row is
//   {uid}.
// mode: write
// params: rows: rows, source: str, date: str
UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
WHERE NOT any(g IN coalesce(n.prov_gone, []) WHERE split(g, '|')[0] = $source)
WITH n, coalesce(n.prov_gone, []) + [$source + '|' + $date] AS gone
SET n.prov_gone = gone,
    n.unseen_since = CASE WHEN n.unseen_since IS NULL
                               AND all(s IN coalesce(n.sources, [])
                                       WHERE any(g IN gone WHERE split(g, '|')[0] = s))
                          THEN $date ELSE n.unseen_since END
