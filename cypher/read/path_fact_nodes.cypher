// description: The nodes $uids as they are now, each once: the facts of the paths a
//   PATH_KEYS statement returned (graph_service/store/pathfacts.py). The store runs it
//   right after that statement, under the same scope; a uid missing from the answer (gone,
//   or no longer visible) makes that read fail.
// mode: read
// indexes: Entity
// params: uids: list, visible: list, today: str
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
WHERE VISIBLE(n)
RETURN n AS node
