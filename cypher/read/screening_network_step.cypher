// description: One hop of the art. 3 lid 4 network of a Bibob screening (breadth first,
//   graph_service/screening.py). For every node in $uids: its visible neighbours that are
//   not in $seen, over visible FUNCTIONARY_OF, BIBOB_RELATION (not role gemachtigde) or
//   FINANCES relationships valid on $as_of, in either direction, not past bewaren_tot
//   today. A neighbour of a node in $cut (a node of an earlier hop whose neighbours were
//   cut off) lies on an earlier hop and is left out. Per node: how many such neighbours
//   there are (total) and the first $per_node of them by uid, each with every
//   relationship that links it to the node: a hub with thousands of functionaries sends
//   its count, not its functionaries.
// mode: read
// params: uids: list, seen: list, cut: list, as_of: str, per_node: int, visible: list, today: str
UNWIND $uids AS uid
// the anchor on its own: with it inside the pattern, the filter on b.uid made FalkorDB
// start from a label scan of b (seconds per hop at 100k)
MATCH (a:Entity {uid: uid})
WHERE VISIBLE(a)
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
RETURN a.uid AS via, total, item.node AS node,
       [r IN item.rels | {type: type(r), start: startNode(r).uid, end: endNode(r).uid,
                          props: properties(r)}] AS rels
