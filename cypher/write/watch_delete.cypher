// description: Stop following an entity: the watch and its alerts.
// mode: write
// generation: keep
// params: uid: str
MATCH (w:Watch {uid: $uid})
OPTIONAL MATCH (a:Alert {watch: $uid})
DELETE a, w
