// code: SHED_VULNERABLE_OWNER
// title: Schuur: kwetsbare eigenaar met nieuwe niet-agrarische huurder
// description: Rural objects with a new tenancy (RENTS valid on as_of that began less than
//   new_tenancy_months before as_of) by a natural person or an organisation whose SBI code
//   does not start with 01, where the owner is stoppend (eigenaar_agrarisch_actief) or the
//   object had stood empty (leegstaand_sinds) at least vacancy_months when the tenancy
//   began. The owner's OWNS relationship is added as evidence when known. measure = the
//   number of such tenancies.
// rationale: Stoppende boeren en eigenaren van langdurig leegstaande stallen zijn het
//   doelwit van criminelen die ruimte zoeken; in het noorden is één op de vijf boeren
//   benaderd. Een recente verhuur aan een niet-agrarische partij verdient dan een bezoek.
// sentence: {measure:nieuwe huur/nieuwe huren} (korter dan {new_tenancy_months} maanden)
//   door {huurder}, {huurder_soort}, terwijl {reden}; drempel leegstand {vacancy_months}
//   maanden.
// users: riec_liaison
// severity: 3
// fires_on: RuralObject
// thresholds: new_tenancy_months=12, vacancy_months=12
// mode: read
// indexes: RuralObject
// params: as_of: str, uids: list, max_paths: int, new_tenancy_months: int, vacancy_months: int,
//   visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (o:RuralObject)
WHERE o.uid >= coalesce(anchor, '') AND o.uid <= coalesce(anchor, '~')
WITH o
MATCH path = (o)<-[r:RENTS]-(t)
WHERE r.valid_from IS NOT NULL
  AND r.valid_from <= $as_of
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND (t:Person OR (t:Organisation AND NOT coalesce(t.sbi_code, '') STARTS WITH '01'))
  AND VISIBLE_PATH(path)
WITH o, path,
     (toInteger(substring(r.valid_from, 0, 4)) * 12 + toInteger(substring(r.valid_from, 5, 2))) * 100
       + toInteger(substring(r.valid_from, 8, 2)) AS start_key,
     (toInteger(substring($as_of, 0, 4)) * 12 + toInteger(substring($as_of, 5, 2))) * 100
       + toInteger(substring($as_of, 8, 2)) AS as_of_key,
     CASE WHEN o.leegstaand_sinds IS NULL THEN NULL
          ELSE (toInteger(substring(o.leegstaand_sinds, 0, 4)) * 12
                + toInteger(substring(o.leegstaand_sinds, 5, 2))) * 100
               + toInteger(substring(o.leegstaand_sinds, 8, 2)) END AS empty_key
WHERE start_key > as_of_key - 100 * $new_tenancy_months
  AND (o.eigenaar_agrarisch_actief = 'stoppend'
       OR (empty_key IS NOT NULL AND empty_key + 100 * $vacancy_months <= start_key))
WITH o, collect(path) AS tenancy_paths
OPTIONAL MATCH owner_path = (o)<-[:OWNS]-(w)
WHERE VISIBLE_PATH(owner_path)
WITH o, tenancy_paths, collect(owner_path) AS owner_paths
WITH o, size(tenancy_paths) AS measure, tenancy_paths + owner_paths AS all_paths
UNWIND all_paths AS path
WITH o, measure, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH o, measure, collect(path) AS paths
WITH o, measure, paths[..$max_paths] AS paths
RETURN o.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
