// code: MASS_REGISTRATION
// title: Massale inschrijving op één adres
// description: Addresses where at least min_orgs organisations that are active on as_of
//   are registered (REGISTERED_AT valid on as_of). measure = the number of organisations.
//   The resolved view: records confirmed to be one organisation (SAME_AS,
//   graph_service.risk.judgements) count once.
// rationale: Veel actieve organisaties op één adres wijzen op een brievenbus- of
//   'virtual office'-constructie waarachter de werkelijke activiteit en de werkelijke
//   leiding verborgen blijven (zoals 403 bedrijven op één adres in Muiden).
// sentence: {measure:actieve organisatie/actieve organisaties} ingeschreven op dit adres;
//   drempel {min_orgs}.
// users: analyst, riec
// severity: 2
// fires_on: Address
// thresholds: min_orgs=10
// mode: read
// indexes: Address
// params: as_of: str, uids: list, max_paths: int, min_orgs: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner started from
// a label scan of the other end (measured at 1M: 640 ms per address).
MATCH (a:Address)
WHERE a.uid >= coalesce(anchor, '') AND a.uid <= coalesce(anchor, '~')
WITH a
// fewer visible registrations than min_orgs, valid or not, cannot make min_orgs
// organisations: such an address (most of them) is passed before its organisations and
// their twins are looked at (at 100k, every address: 0.7-0.9 -> 0.11 s). An OPTIONAL
// MATCH, not a pattern comprehension, for the cached-plan reason below.
OPTIONAL MATCH (a)<-[x:REGISTERED_AT]-(y:Organisation)
WHERE VISIBLE(x, y)
WITH a, count(x) AS registered
WHERE registered >= $min_orgs
MATCH path = (a)<-[r:REGISTERED_AT]-(o:Organisation)
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND (o.datum_aanvang IS NULL OR o.datum_aanvang <= $as_of)
  AND CASE WHEN o.datum_einde IS NULL
           THEN NOT coalesce(o.status, 'actief') IN ['opgeheven', 'failliet']
           ELSE o.datum_einde >= $as_of END
  AND VISIBLE_PATH(path)
// an organisation counts by its group (the lowest uid of it the scope sees; every two
// records of a group have a SAME_AS)
// (an OPTIONAL MATCH: a FalkorDB plan cached before the first SAME_AS existed kept a
// pattern comprehension over it empty)
WITH a, o, path
OPTIONAL MATCH (o)-[q:SAME_AS]-(t:Entity)
WHERE VISIBLE(q, t)
WITH a, o, path, collect(t.uid) AS twins
WITH a, path, reduce(m = o.uid, u IN twins | CASE WHEN u < m THEN u ELSE m END) AS org,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH a, count(DISTINCT org) AS measure, collect(path) AS paths
WHERE measure >= $min_orgs
WITH a, measure, paths[..$max_paths] AS paths
RETURN a.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
