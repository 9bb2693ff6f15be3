// description: The park units PARK_OVERCROWDING may fire on in any scope: those with at
//   least $min_persons OCCUPIES relationships registered in the BRP (brp = true), whatever
//   their dates and purpose classes (the indicator counts the groups of those persons
//   living there on its date that the scope sees: never more). A hit refresh runs
//   the indicator on these only (graph_service.risk.reach.MAY_FIRE). Uids only, never
//   shown: internal.
//   $uids: the entities it would run on (null: the whole label).
// mode: read
// access: internal
// indexes: ParkUnit
// params: uids: list, min_persons: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (as in the indicators' own statements)
MATCH (u:ParkUnit)
WHERE u.uid >= coalesce(anchor, '') AND u.uid <= coalesce(anchor, '~')
WITH u
MATCH (u)<-[oc:OCCUPIES]-(:Person)
WHERE oc.brp = true
WITH u, count(oc) AS occupants
WHERE occupants >= $min_persons
RETURN u.uid AS uid
