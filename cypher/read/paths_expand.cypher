// description: One breadth-first step of the engine-neutral shortest-path search: the
//   distinct visible neighbours of every node in $uids over visible relationships of the
//   types in $types that are valid on $as_of (null = any period), in either direction.
//   Only uids travel; paths_links fetches the relationships of the paths found.
//   Hubs (docs/queries.md, "Hubs") are not walked through: a neighbour that is a hub is
//   left out unless it is one of the path's two ends ($ends).
// mode: read
// indexes: not needed
// params: uids: list, ends: list, types: list, as_of: date, hub_sbi: list, hub_kvk: list, hub_uids: list, hub_forms: list,
//   visible: list, today: str
UNWIND $uids AS uid
MATCH (a:Entity {uid: uid})-[r]-(b:Entity)
WHERE type(r) IN $types
  AND ($as_of IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_of)
                          AND (r.valid_to IS NULL OR r.valid_to >= $as_of)))
  AND (b.uid IN $ends OR NOT (b.uid IN $hub_uids OR coalesce(b.kvk_nummer, '') IN $hub_kvk
      OR coalesce(b.rechtsvorm, '') IN $hub_forms
      OR any(pre IN $hub_sbi WHERE coalesce(b.sbi_code, '') STARTS WITH pre)))
  AND VISIBLE(a, r, b)
RETURN DISTINCT a.uid AS via, b.uid AS other
