// description: Every dossier that BIBOB_RELATED_SIGNAL fires on as of $as_of, with the RIEC
//   signals that reach it along the indicator's pattern under the indicator's own
//   conditions (cypher/indicators/bibob_related_signal.cypher), found from the signals'
//   side: the hits without their paths. A hit refresh of many dossiers runs this once,
//   then read/bibob_related_signal_from_signals on the dossiers found, from their
//   signals (graph_service.risk.stored). One run walks from every signal, whatever the
//   dossiers asked for: at 100k entities 2.1 s for the 912 of 2,299 dossiers.
// mode: read
// indexes: not needed
// params: as_of: str, visible: list, today: str
MATCH (s:Signal)
WHERE s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND VISIBLE(s)
WITH s
MATCH path = (d:BibobDossier)<-[pt:PARTY_TO]-(party)-[:SAME_AS*0..1]-()-[:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES*0..3]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s)
WHERE (d.aanvraagdatum IS NULL OR d.aanvraagdatum <= $as_of)
  AND coalesce(pt.role, '') <> 'gemachtigde'
  AND coalesce(c.role, 'subject') = 'subject'
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
        AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde'))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND VISIBLE_PATH(path)
RETURN d.uid AS uid, collect(DISTINCT s.uid) AS far
ORDER BY uid
