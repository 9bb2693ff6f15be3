// description: Visible entities whose name matches a full-text query (Neo4j: the Lucene
//   index entity_name, $ft in Lucene syntax: "word1* AND word2*"); ranks as in the
//   portable file.
// mode: read
// params: ft: str, q: str, persons: bool, limit: int, visible: list, today: str
CALL db.index.fulltext.queryNodes('entity_name', $ft) YIELD node AS n
WITH n
WHERE VISIBLE(n)
  AND ($persons OR NOT n:Person)
WITH n, toLower(coalesce(n.name, '')) AS name_lc
WITH n, name_lc, CASE WHEN name_lc STARTS WITH $q THEN 1 ELSE 2 END AS rank
RETURN n.uid AS uid, labels(n) AS labels, n.name AS name, name_lc, rank,
       n.sources AS prov_sources, n.prov_seen AS prov_seen, n.prov_props AS prov_props,
       n.prov_values AS prov_values
ORDER BY rank, size(name_lc), name_lc, uid
LIMIT $limit
