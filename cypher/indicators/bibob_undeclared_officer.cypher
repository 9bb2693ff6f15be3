// code: BIBOB_UNDECLARED_OFFICER
// title: Bibob: niet opgegeven KvK-functionaris
// description: Dossiers (applied for on or before as_of) where an organisation that is a
//   party in a role that holds control over the applicant (aanvrager, bestuurder,
//   aandeelhouder, uiteindelijk_belanghebbende) has a KvK functionaris (FUNCTIONARY_OF
//   valid on as_of, any functie) who is not a party of the dossier (by a visible
//   PARTY_TO). The officers of a vermogensverschaffer, verhuurder, zakelijke relatie or
//   gemachtigde do not count: they have no control over the applicant and are not on its
//   Bibob form. measure = the number of undeclared functionarissen. The resolved view: an
//   officer confirmed to be the same person as a party of the dossier (SAME_AS,
//   graph_service.risk.judgements) is declared.
// rationale: De aanvrager moet iedereen opgeven die direct of indirect leiding geeft aan
//   of zeggenschap heeft in de betrokken rechtspersoon. Een actieve KvK-functionaris die
//   in het dossier ontbreekt, wijst op een onvolledig of onjuist ingevuld
//   Bibob-formulier.
// sentence: {measure:actieve KvK-functionaris/actieve KvK-functionarissen} van de
//   aanvrager of een partij met zeggenschap niet opgegeven in het dossier (onder meer
//   {functionaris}, {functie} van {organisatie}, {rol} in het dossier); één is genoeg.
// users: bibob
// severity: 4
// fires_on: BibobDossier
// thresholds: none
// legal_basis: Wet Bibob art. 3 lid 4 en art. 4
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
MATCH path = (d)<-[pt:PARTY_TO]-(o:Organisation)<-[f:FUNCTIONARY_OF]-(x)
WHERE (d.aanvraagdatum IS NULL OR d.aanvraagdatum <= $as_of)
  AND pt.role IN ['aanvrager', 'bestuurder', 'aandeelhouder', 'uiteindelijk_belanghebbende']
  AND (f.valid_from IS NULL OR f.valid_from <= $as_of)
  AND (f.valid_to IS NULL OR f.valid_to >= $as_of)
  AND VISIBLE_PATH(path)
WITH d, x, path,
     size([(x)-[q:PARTY_TO]->(d) WHERE VISIBLE(q) | q]) AS own_links
// a confirmed twin's PARTY_TO counts too (an OPTIONAL MATCH: FalkorDB gets a pattern
// comprehension of two steps to an outer node wrong)
OPTIONAL MATCH (x)-[s:SAME_AS]-(y:Entity)-[q2:PARTY_TO]->(d)
WHERE VISIBLE(s, y, q2)
WITH d, x, path, own_links, count(q2) AS twin_links
WHERE own_links + twin_links = 0
WITH d, x, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH d, count(DISTINCT x) AS measure, collect(path) AS paths
WITH d, measure, paths[..$max_paths] AS paths
RETURN d.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
