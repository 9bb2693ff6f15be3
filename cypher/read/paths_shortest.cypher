// description: One shortest undirected path of at most 6 relationships between two
//   visible entities, over visible relationships of the types in $types valid on $as_of
//   (null = any period) and through visible nodes only.
//   The hop bound is a literal because Neo4j plans a parameter bound (or a length()
//   predicate) as an exhaustive search; graph_service.queries drops longer paths than asked.
//   The type and validity predicates sit in all(...) over relationships(p), and
//   VISIBLE_PATH(p) expands to all(...) over nodes(p) and relationships(p): Neo4j evaluates
//   them during its bidirectional search.
//   Neo4j only: FalkorDB has no undirected shortestPath, so graph_service.queries searches
//   there breadth-first with paths_expand and paths_links.
//   Hubs (docs/queries.md, "Hubs") are not walked through: no node between the two ends
//   is one.
// engines: neo4j
// mode: read
// params: from_uid: str, to_uid: str, types: list, as_of: date, hub_sbi: list,
//   hub_kvk: list, hub_uids: list, hub_forms: list, visible: list, today: str
MATCH (a:Entity {uid: $from_uid}), (b:Entity {uid: $to_uid})
WHERE VISIBLE(a, b)
MATCH p = shortestPath((a)-[*..6]-(b))
WHERE all(r IN relationships(p) WHERE type(r) IN $types
          AND ($as_of IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_of)
                                  AND (r.valid_to IS NULL OR r.valid_to >= $as_of))))
  AND all(n IN nodes(p) WHERE n.uid IN [$from_uid, $to_uid]
          OR NOT (n.uid IN $hub_uids OR coalesce(n.kvk_nummer, '') IN $hub_kvk
                  OR coalesce(n.rechtsvorm, '') IN $hub_forms
                  OR any(pre IN $hub_sbi WHERE coalesce(n.sbi_code, '') STARTS WITH pre)))
  AND VISIBLE_PATH(p)
RETURN p AS path
