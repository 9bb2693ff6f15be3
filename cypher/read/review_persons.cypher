// description: The visible Person and Organisation nodes with these uids (labels,
//   properties and provenance), for the review of a look-alike pair; a uid the scope may
//   not see, or of another label, gives no row.
// mode: read
// indexes: Entity
// params: uids: list, visible: list, today: str
UNWIND $uids AS uid
MATCH (p:Entity {uid: uid})
WHERE (p:Person OR p:Organisation) AND VISIBLE(p)
RETURN p AS node
