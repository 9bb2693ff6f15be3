// description: Display facts of entities by uid, for naming indicator hits: labels, name and
//   (persons) geboortedatum.
// mode: read
// params: uids: list
MATCH (n:Entity)
WHERE n.uid IN $uids
RETURN n.uid AS uid, labels(n) AS labels, n.name AS name, n.geboortedatum AS geboortedatum
ORDER BY uid
