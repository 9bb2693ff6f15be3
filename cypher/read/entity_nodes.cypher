// description: The visible entity nodes with these uids (labels, properties, provenance);
//   uids that do not exist, or that the scope may not see, give no row.
// mode: read
// indexes: Entity
// params: uids: list, visible: list, today: str
UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})
WHERE VISIBLE(n)
RETURN n AS node
