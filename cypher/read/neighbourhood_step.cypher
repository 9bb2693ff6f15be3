// description: One level of a neighbourhood expansion. For every node in $uids: at most
//   $per_node of its visible neighbours over visible relationships of the types in $types
//   that are valid on $as_of (null = any period), in either direction, the first by
//   relationship type and then neighbour uid. The per-node cap keeps a supernode (an
//   address with hundreds of registered companies) from flooding the result;
//   neighbourhood_counts gives the totals.
//   Hubs (docs/queries.md, "Hubs": $hub_sbi SBI prefixes, $hub_kvk KvK numbers, $hub_uids
//   uids, $hub_forms legal forms) are not walked through: a node of $uids that is a hub
//   is expanded only when it is in $open (the root); `hub` says whether a neighbour is one.
// mode: read
// indexes: Entity
// params: uids: list, open: list, types: list, as_of: date, per_node: int,
//   hub_sbi: list, hub_kvk: list, hub_uids: list, hub_forms: list, visible: list, today: str
UNWIND $uids AS uid
MATCH (a:Entity {uid: uid})-[r]-(b:Entity)
WHERE type(r) IN $types
  AND (a.uid IN $open OR NOT (a.uid IN $hub_uids OR coalesce(a.kvk_nummer, '') IN $hub_kvk
      OR coalesce(a.rechtsvorm, '') IN $hub_forms
      OR any(pre IN $hub_sbi WHERE coalesce(a.sbi_code, '') STARTS WITH pre)))
  AND ($as_of IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_of)
                          AND (r.valid_to IS NULL OR r.valid_to >= $as_of)))
  AND VISIBLE(a, r, b)
WITH a, r, b
ORDER BY type(r), b.uid
WITH a, collect({rel: r, node: b})[..$per_node] AS items
UNWIND items AS item
WITH a, item.rel AS r, item.node AS b
RETURN a.uid AS via, b AS node, type(r) AS type, startNode(r).uid AS start,
       endNode(r).uid AS end, properties(r) AS props,
       (b.uid IN $hub_uids OR coalesce(b.kvk_nummer, '') IN $hub_kvk
      OR coalesce(b.rechtsvorm, '') IN $hub_forms
      OR any(pre IN $hub_sbi WHERE coalesce(b.sbi_code, '') STARTS WITH pre)) AS hub
