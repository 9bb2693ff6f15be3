// code: SIGNAL_NETWORK
// title: Netwerk met meerdere signaalsubjecten
// description: Persons and organisations within 2 hops (FUNCTIONARY_OF, OWNS, RENTS,
//   FINANCES, either direction, valid on as_of) of at least min_subjects distinct other
//   entities that are the subject of a RIEC signal received on or before as_of and not
//   past its bewaren_tot. Paths are node-simple. measure = the number of such subjects.
//   The resolved view: records confirmed to be the same person or organisation (SAME_AS,
//   graph_service.risk.judgements) are one, at no extra step: the links of every record
//   of the entity's group count for each record of it, a subject's twin counts as the
//   subject, a group of subjects counts once and the entity's own group is not another.
// rationale: Wie via KvK-functies, eigendom, huur of financiering binnen twee stappen
//   verbonden is met meerdere subjecten van RIEC-signalen, kan een spil zijn in een
//   crimineel netwerk, ook als over hem of haar zelf nog niets bekend is.
// sentence: {measure:signaalsubject/signaalsubjecten} binnen twee stappen via
//   KvK-functies, eigendom, huur of financiering; drempel {min_subjects}.
// users: riec, analyst
// severity: 3
// fires_on: Person, Organisation
// thresholds: min_subjects=2
// legal_basis: Wgs (Wet gegevensverwerking door samenwerkingsverbanden); RIEC-convenant
// mode: read
// indexes: Entity
// params: as_of: str, uids: list, max_paths: int, min_subjects: int,
//   visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (e:Entity)
WHERE e.uid >= coalesce(anchor, '') AND e.uid <= coalesce(anchor, '~')
WITH e
MATCH path = (e)-[:SAME_AS*0..1]-()-[:FUNCTIONARY_OF|OWNS|RENTS|FINANCES*1..2]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s:Signal)
WHERE (e:Person OR e:Organisation)
  AND coalesce(c.role, 'subject') = 'subject'
  AND s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND VISIBLE_PATH(path)
// a subject counts by its group (the lowest uid of it the scope sees; every two records
// of a group have a SAME_AS); a subject in the own group of the entity is not another one
// (an OPTIONAL MATCH: a FalkorDB plan cached before the first SAME_AS existed kept a
// pattern comprehension over it empty)
WITH e, x, path
OPTIONAL MATCH (x)-[q:SAME_AS]-(t:Entity)
WHERE VISIBLE(q, t)
WITH e, x, path, collect(t.uid) AS twins
WHERE NOT e.uid IN twins
WITH e, path, reduce(m = x.uid, u IN twins | CASE WHEN u < m THEN u ELSE m END) AS subject,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY size(relationships(path)), path_key
WITH e, count(DISTINCT subject) AS measure, collect(path) AS paths
WHERE measure >= $min_subjects
WITH e, measure, paths[..$max_paths] AS paths
RETURN e.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
