// description: The alerts on the entities a case or dossier follows, newest first, that
//   the caller's scope sees: an alert keeps the scopes that see the facts it rests on
//   (graph_service.risk.watch), and the caller's classes must be one of them.
// mode: read
// indexes: Alert
// params: purpose: str, reference: str, visible: list, today: str
WITH reduce(k = '', pc IN $visible | k + pc + ',') AS own
// (the scope is built first: in a WHERE, FalkorDB 4 fails on reduce over a parameter)
MATCH (a:Alert {reference: $reference})
WHERE a.purpose = $purpose AND own IN a.scopes
  AND VISIBLE(a)
RETURN a.uid AS uid, a.purpose AS purpose, a.reference AS reference,
       a.followed AS followed, a.kind AS kind, a.about AS about, a.created AS created,
       a.run AS run, a.read AS read
ORDER BY created DESC, uid
