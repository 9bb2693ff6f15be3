// code: BIBOB_PRIVATE_FINANCIER
// title: Bibob: onderhandse financiering door particulier of niet-financiële partij
// description: Dossiers with a vermogensverschaffer (PARTY_TO role vermogensverschaffer)
//   that is a natural person or an organisation whose SBI code does not start with 64
//   (financial services), financing at least min_amount euro: the PARTY_TO amount or the
//   amount of its FINANCES relationship for this dossier, whichever is larger (both
//   paths are evidence). Only dossiers applied for on or before as_of. measure = the largest such amount.
// rationale: Onderhandse leningen van particulieren of van bedrijven zonder financiële
//   activiteit hebben vaak een onduidelijke herkomst (in Amsterdam bij de helft van de
//   nieuwe horecazaken). Wie vermogen verschaft, valt onder de relaties die de Wet Bibob
//   laat wegen.
// sentence: Onderhandse financiering van {measure:euro} door {financier}, {reden}; drempel
//   {min_amount:euro}.
// users: bibob
// severity: 3
// fires_on: BibobDossier
// thresholds: min_amount=50000
// legal_basis: Wet Bibob art. 3 lid 4 sub b
// mode: read
// indexes: BibobDossier
// params: as_of: str, uids: list, max_paths: int, min_amount: float,
//   visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (d:BibobDossier)
WHERE d.uid >= coalesce(anchor, '') AND d.uid <= coalesce(anchor, '~')
WITH d
MATCH path = (d)<-[pt:PARTY_TO]-(fin)
WHERE pt.role = 'vermogensverschaffer'
  AND (fin:Person OR (fin:Organisation AND NOT coalesce(fin.sbi_code, '') STARTS WITH '64'))
  AND (d.aanvraagdatum IS NULL OR d.aanvraagdatum <= $as_of)
  AND VISIBLE_PATH(path)
OPTIONAL MATCH fpath = (fin)-[fr:FINANCES]->(y)-[:PARTY_TO]->(d)
WHERE (fr.dossier_id IS NULL OR fr.dossier_id = d.dossier_id)
  AND VISIBLE_PATH(fpath)
WITH d, fin, path, pt, collect(fpath) AS fpaths, max(fr.amount) AS fr_amount
WITH d, fin, [path] + fpaths AS fin_paths,
     CASE WHEN pt.amount IS NULL THEN fr_amount
          WHEN fr_amount IS NULL OR pt.amount >= fr_amount THEN pt.amount
          ELSE fr_amount END AS amount
WHERE amount >= $min_amount
UNWIND fin_paths AS p
WITH d, amount, p,
     reduce(pk = '', pn IN nodes(p) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(p) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH d, max(amount) AS measure, collect(p) AS paths
WITH d, measure, paths[..$max_paths] AS paths
RETURN d.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
