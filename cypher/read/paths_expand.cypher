// description: One breadth-first step of the engine-neutral shortest-path search: the
//   distinct visible neighbours of every node in $uids over visible relationships of the
//   types in $types that are valid on $as_of (null = any period), in either direction.
//   Only uids travel; paths_links fetches the relationships of the paths found.
// mode: read
// params: uids: list, types: list, as_of: date, visible: list, today: str
UNWIND $uids AS uid
MATCH (a:Entity {uid: uid})-[r]-(b:Entity)
WHERE type(r) IN $types
  AND ($as_of IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_of)
                          AND (r.valid_to IS NULL OR r.valid_to >= $as_of)))
  AND VISIBLE(a, r, b)
RETURN DISTINCT a.uid AS via, b.uid AS other
