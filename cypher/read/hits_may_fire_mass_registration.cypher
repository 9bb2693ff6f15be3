// description: The addresses MASS_REGISTRATION may fire on in any scope: those with at
//   least $min_orgs REGISTERED_AT relationships from organisations, whatever their dates
//   and purpose classes (the indicator counts the groups of those organisations that are
//   active, registered on its date and seen by the scope: never more). A full hit refresh
//   runs the indicator on these only (graph_service.risk.reach.MAY_FIRE). Uids only,
//   never shown: internal.
// mode: read
// access: internal
// indexes: not needed
// params: min_orgs: int
MATCH (a:Address)<-[x:REGISTERED_AT]-(:Organisation)
WITH a, count(x) AS registered
WHERE registered >= $min_orgs
RETURN a.uid AS uid
