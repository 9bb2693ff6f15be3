// description: Visible entities whose name matches a full-text query, best first: rank 1 =
//   the lower-cased name starts with $q (the lower-cased search text), rank 2 = every word
//   of the text starts a word of the name. $ft is the full-text query that
//   graph_service.queries builds from the text's letters and digits only (RediSearch syntax
//   here: "word1* word2*"); the index is schema/fulltext. With $persons false no Person
//   comes back (pseudonymised readers do not find persons by name).
// mode: read
// indexes: Entity
// params: ft: str, q: str, persons: bool, limit: int, visible: list, today: str
CALL db.idx.fulltext.queryNodes('Entity', $ft) YIELD node AS n
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
