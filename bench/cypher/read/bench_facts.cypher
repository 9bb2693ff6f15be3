// description: Benchmark sampling: name and identifiers of the given entities (to build
//   search texts from).
// mode: read
// access: internal
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
RETURN n.uid AS uid, labels(n) AS labels, n.name AS name, n.kvk_nummer AS kvk_nummer,
       n.postcode AS postcode, n.geslachtsnaam AS geslachtsnaam
