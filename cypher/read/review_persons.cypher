// description: The visible Person nodes with these uids (properties and provenance), for
//   the review of a look-alike pair; a uid the scope may not see gives no row.
// mode: read
// params: uids: list, visible: list, today: str
UNWIND $uids AS uid
MATCH (p:Person {uid: uid})
WHERE VISIBLE(p)
RETURN p AS node
