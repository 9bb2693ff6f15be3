// description: Every person and organisation that SIGNAL_NETWORK may fire on as of
//   $as_of, with the RIEC signals that reach it along the indicator's pattern under the
//   indicator's own conditions (cypher/indicators/signal_network.cypher), found from the
//   signals' side: the entities within reach of a signal, without their paths, subjects
//   or threshold. A hit refresh of many entities runs this once, then
//   read/signal_network_from_signals on the entities found, from their signals
//   (graph_service.risk.reach.from_far_end).
// mode: read
// indexes: not needed
// params: as_of: str, visible: list, today: str
MATCH (s:Signal)
WHERE s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND VISIBLE(s)
WITH s
MATCH path = (e)-[:SAME_AS*0..1]-()-[:FUNCTIONARY_OF|OWNS|RENTS|FINANCES*1..2]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s)
WHERE (e:Person OR e:Organisation)
  AND coalesce(c.role, 'subject') = 'subject'
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND VISIBLE_PATH(path)
RETURN e.uid AS uid, collect(DISTINCT s.uid) AS far
ORDER BY uid
