// description: One hop of the art. 3 lid 4 network of a Bibob screening (breadth first,
//   graph_service/screening.py). For every node in $uids: its visible neighbours that are
//   not in $seen, over visible FUNCTIONARY_OF, BIBOB_RELATION (not role gemachtigde) or
//   FINANCES relationships valid on $as_of, in either direction, not past bewaren_tot
//   today (a record confirmed to be the same, SAME_AS, joins the walk on the hop of its
//   twin: graph_service.risk.screening, read/review_twins). A neighbour
//   of a node in $cut (a node of an earlier hop whose neighbours were
//   cut off) lies on an earlier hop and is left out. Per node: how many such neighbours
//   there are (total) and the first $per_node of them by uid, each with every
//   relationship that links it to the node: a hub with thousands of functionaries sends
//   its count, not its functionaries.
//   Hubs (docs/queries.md, "Hubs": $hub_sbi, $hub_kvk, $hub_uids, $hub_forms) are not
//   walked through: a node of $uids that is a hub is expanded only when it is in $open
//   (the parties the walk starts from); `hub` says whether a neighbour is one.
// mode: read
// indexes: Entity
// params: uids: list, open: list, seen: list, cut: list, as_of: str, per_node: int,
//   hub_sbi: list, hub_kvk: list, hub_uids: list, hub_forms: list, visible: list, today: str
UNWIND $uids AS uid
// the anchor on its own: with it inside the pattern, the filter on b.uid made FalkorDB
// start from a label scan of b (seconds per hop at 100k)
MATCH (a:Entity {uid: uid})
WHERE VISIBLE(a)
  AND (a.uid IN $open OR NOT (a.uid IN $hub_uids OR coalesce(a.kvk_nummer, '') IN $hub_kvk
              OR coalesce(a.rechtsvorm, '') IN $hub_forms
              OR any(pre IN $hub_sbi WHERE coalesce(a.sbi_code, '') STARTS WITH pre)))
WITH a
MATCH (a)-[r:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES]-(b:Entity)
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde')
  AND NOT b.uid IN $seen
  AND VISIBLE(r, b)
WITH a, b, collect(r) AS rels
WITH a, b, rels,
     CASE WHEN size($cut) = 0 THEN 0
          ELSE size([(b)-[k:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES]-(c:Entity)
                     WHERE c.uid IN $cut
                       AND (k.valid_from IS NULL OR k.valid_from <= $as_of)
                       AND (k.valid_to IS NULL OR k.valid_to >= $as_of)
                       AND NOT (type(k) = 'BIBOB_RELATION' AND k.role = 'gemachtigde')
                       AND VISIBLE(k, c) | c.uid]) END AS earlier
WHERE earlier = 0
WITH a, b, rels
ORDER BY b.uid
WITH a, collect({node: b, rels: rels}) AS items
WITH a, size(items) AS total, items[..$per_node] AS shown
UNWIND shown AS item
WITH a, total, item.node AS b, item.rels AS rels
RETURN a.uid AS via, total, b AS node,
       (b.uid IN $hub_uids OR coalesce(b.kvk_nummer, '') IN $hub_kvk
        OR coalesce(b.rechtsvorm, '') IN $hub_forms
        OR any(pre IN $hub_sbi WHERE coalesce(b.sbi_code, '') STARTS WITH pre)) AS hub,
       [r IN rels | {type: type(r), start: startNode(r).uid, end: endNode(r).uid,
                          props: properties(r)}] AS rels
