// description: The entities MULTI_PARTNER_SIGNALS may fire on in any scope: those that
//   are, themselves or through a SAME_AS, the subject of RIEC signals from at least
//   $min_partners different partners, whatever the signals' dates and purpose classes
//   (the indicator counts the partners of the same signals on the same pattern, only
//   those within its window that the scope sees: never more). A hit refresh runs
//   the indicator on these only, without the walk from every signal
//   (graph_service.risk.reach.MAY_FIRE). Uids only, never shown: internal.
//   $uids: the entities it would run on (null: the whole label).
// mode: read
// access: internal
// indexes: Entity
// params: uids: list, min_partners: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (as in the indicators' own statements)
MATCH (e:Entity)
WHERE e.uid >= coalesce(anchor, '') AND e.uid <= coalesce(anchor, '~')
WITH e
MATCH (e)-[:SAME_AS*0..1]-()<-[c:CONCERNS]-(s:Signal)
WHERE coalesce(c.role, 'subject') = 'subject'
WITH e, count(DISTINCT s.partner) AS partners
WHERE partners >= $min_partners
RETURN e.uid AS uid
