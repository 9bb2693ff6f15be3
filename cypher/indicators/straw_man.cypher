// code: STRAW_MAN
// title: Katvanger: functionaris van veel actieve organisaties
// description: Persons who are bestuurder, (enig) aandeelhouder or vennoot of at least
//   min_orgs organisations that are active on as_of, through roles valid on as_of.
//   measure = the number of such organisations. The resolved view: the roles of every
//   record confirmed to be the same person (SAME_AS, graph_service.risk.judgements) count
//   for each record of the group, each organisation once.
// rationale: Een persoon die bestuurder, aandeelhouder of vennoot is van veel actieve
//   organisaties past bij het profiel van een katvanger (stroman) die zijn naam leent aan
//   constructies van anderen, zoals bij plof-bv's met één facilitator voor honderden bv's.
// sentence: {measure:actieve organisatie/actieve organisaties} met dezelfde functionaris
//   (bestuurder, aandeelhouder of vennoot); drempel {min_orgs}.
// users: analyst, bibob
// severity: 3
// fires_on: Person
// thresholds: min_orgs=5
// mode: read
// indexes: Person
// params: as_of: str, uids: list, max_paths: int, min_orgs: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (p:Person)
WHERE p.uid >= coalesce(anchor, '') AND p.uid <= coalesce(anchor, '~')
WITH p
MATCH path = (p)-[:SAME_AS*0..1]-(:Person)-[f:FUNCTIONARY_OF]->(o:Organisation)
WHERE f.role IN ['bestuurder', 'aandeelhouder', 'enig_aandeelhouder', 'vennoot']
  AND (f.valid_from IS NULL OR f.valid_from <= $as_of)
  AND (f.valid_to IS NULL OR f.valid_to >= $as_of)
  AND (o.datum_aanvang IS NULL OR o.datum_aanvang <= $as_of)
  AND CASE WHEN o.datum_einde IS NULL
           THEN NOT coalesce(o.status, 'actief') IN ['opgeheven', 'failliet']
           ELSE o.datum_einde >= $as_of END
  AND VISIBLE_PATH(path)
WITH p, o, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH p, count(DISTINCT o) AS measure, collect(path) AS paths
WHERE measure >= $min_orgs
WITH p, measure, paths[..$max_paths] AS paths
RETURN p.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
