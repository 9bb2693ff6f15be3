// description: The entities MULTI_PARTNER_SIGNALS may fire on in any scope: those that
//   are, themselves or through a SAME_AS, the subject of RIEC signals from at least
//   $min_partners different partners, whatever the signals' dates and purpose classes
//   (the indicator counts the partners of the same signals on the same pattern, only
//   those within its window that the scope sees: never more). A full hit refresh runs
//   the indicator on these only, without the walk from every signal
//   (graph_service.risk.reach.MAY_FIRE). Uids only, never shown: internal.
// mode: read
// access: internal
// indexes: not needed
// params: min_partners: int
MATCH (e:Entity)-[:SAME_AS*0..1]-()<-[c:CONCERNS]-(s:Signal)
WHERE coalesce(c.role, 'subject') = 'subject'
WITH e, count(DISTINCT s.partner) AS partners
WHERE partners >= $min_partners
RETURN e.uid AS uid
