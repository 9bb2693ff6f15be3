// description: The entity nodes with these uids (labels, properties, provenance); uids
//   that do not exist give no row.
// mode: read
// params: uids: list
UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})
RETURN n AS node
