// code: BIBOB_RELATED_SIGNAL
// title: Bibob: signaal in het netwerk van een betrokkene
// description: Dossiers (applied for on or before as_of) where a party other than a
//   gemachtigde, or anyone linked to a party within 3 hops by
//   FUNCTIONARY_OF (KvK functie), BIBOB_RELATION (bestuurder, aandeelhouder,
//   uiteindelijk_belanghebbende, verhuurder, zakelijke_relatie; a gemachtigde is a
//   representative, not an art. 3 lid 4 relation) or
//   FINANCES (vermogensverschaffer) relationships valid on as_of, is the subject of a
//   RIEC signal received on or before as_of and not past its bewaren_tot. Paths are
//   node-simple (no entity twice). measure = the number of distinct signals. The resolved
//   view: a record confirmed to be the same person (SAME_AS, graph_service.risk.judgements)
//   as the party or as the signal's subject counts as that person, at no extra step.
// rationale: De Wet Bibob weegt ook wie direct of indirect leiding geeft aan, zeggenschap
//   heeft over of vermogen verschaft aan de betrokkene, of met hem in een zakelijk
//   samenwerkingsverband staat. Een RIEC-signaal op zo iemand binnen drie stappen is
//   reden voor eigen onderzoek of een advies van het Landelijk Bureau Bibob.
// sentence: {measure:RIEC-signaal/RIEC-signalen} op een partij of op iemand binnen drie
//   stappen van een partij (dichtstbij: {subject}, {afstand}); één signaal is genoeg.
// users: bibob
// severity: 4
// fires_on: BibobDossier
// thresholds: none
// legal_basis: Wet Bibob art. 3 lid 4
// mode: read
// indexes: BibobDossier
// params: as_of: str, uids: list, max_paths: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (d:BibobDossier)
WHERE d.uid >= coalesce(anchor, '') AND d.uid <= coalesce(anchor, '~')
WITH d
MATCH path = (d)<-[pt:PARTY_TO]-(party)-[:SAME_AS*0..1]-()-[:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES*0..3]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s:Signal)
WHERE (d.aanvraagdatum IS NULL OR d.aanvraagdatum <= $as_of)
  AND coalesce(pt.role, '') <> 'gemachtigde'
  AND coalesce(c.role, 'subject') = 'subject'
  AND s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
        AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde'))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND VISIBLE_PATH(path)
WITH d, s, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY size(relationships(path)), path_key
WITH d, count(DISTINCT s) AS measure, collect(path) AS paths
WITH d, measure, paths[..$max_paths] AS paths
RETURN d.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
