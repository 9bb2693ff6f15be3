// description: The persons STRAW_MAN may fire on in any scope: those linked, themselves or
//   through a SAME_AS, as bestuurder, aandeelhouder, enig_aandeelhouder or vennoot to at
//   least $min_orgs organisations, whatever the dates and purpose classes (the indicator
//   counts the same organisations on the same pattern, only those valid on its date that
//   the scope sees: never more). A hit refresh runs the indicator on these only
//   (graph_service.risk.reach.MAY_FIRE): one walk over the label instead of a run per
//   500 persons in every scope. Uids only, never shown: internal.
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
MATCH (p)-[:SAME_AS*0..1]-(:Person)-[f:FUNCTIONARY_OF]->(o:Organisation)
WHERE f.role IN ['bestuurder', 'aandeelhouder', 'enig_aandeelhouder', 'vennoot']
WITH p, count(DISTINCT o) AS orgs
WHERE orgs >= $min_orgs
RETURN p.uid AS uid
