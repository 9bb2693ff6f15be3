// description: The addresses MASS_REGISTRATION may fire on in any scope: those with at
//   least $min_orgs REGISTERED_AT relationships from organisations, whatever their dates
//   and purpose classes (the indicator counts the groups of those organisations that are
//   active, registered on its date and seen by the scope: never more). A hit refresh
//   runs the indicator on these only (graph_service.risk.reach.MAY_FIRE). Uids only,
//   never shown: internal.
//   $uids: the entities it would run on (null: the whole label).
// mode: read
// access: internal
// indexes: Address
// params: uids: list, min_orgs: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (as in the indicators' own statements)
MATCH (a:Address)
WHERE a.uid >= coalesce(anchor, '') AND a.uid <= coalesce(anchor, '~')
WITH a
MATCH (a)<-[x:REGISTERED_AT]-(:Organisation)
WITH a, count(x) AS registered
WHERE registered >= $min_orgs
RETURN a.uid AS uid
