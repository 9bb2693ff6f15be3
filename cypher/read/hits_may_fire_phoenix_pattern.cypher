// description: The persons PHOENIX_PATTERN may fire on in any scope: those linked,
//   themselves or through a SAME_AS, as functionaris to at least $min_orgs organisations
//   that ended (opgeheven or failliet, with both dates), whatever the dates of the roles,
//   the organisations' lifetimes and the purpose classes (the indicator counts the same
//   organisations on the same pattern, only those within its windows that the scope
//   sees: never more). A hit refresh runs the indicator on these only
//   (graph_service.risk.reach.MAY_FIRE). Uids only, never shown: internal.
//   $uids: the entities it would run on (null: the whole label).
// mode: read
// access: internal
// indexes: Person
// params: uids: list, min_orgs: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (as in the indicators' own statements)
MATCH (p:Person)
WHERE p.uid >= coalesce(anchor, '') AND p.uid <= coalesce(anchor, '~')
WITH p
MATCH (p)-[:SAME_AS*0..1]-(:Person)-[:FUNCTIONARY_OF]->(o:Organisation)
WHERE o.status IN ['opgeheven', 'failliet']
  AND o.datum_aanvang IS NOT NULL
  AND o.datum_einde IS NOT NULL
WITH p, count(DISTINCT o) AS orgs
WHERE orgs >= $min_orgs
RETURN p.uid AS uid
