// code: SHED_SUSPICIOUS_LEASE
// title: Schuur: verdachte verhuur
// description: Rural objects rented (RENTS valid on as_of) by a natural person or by an
//   organisation whose SBI code does not start with 01 (agriculture), where the rent is
//   paid in cash or the rent per m2 is at least rent_factor times the median rent per m2
//   of all rented objects (median_rent_m2, computed by graph_service.indicators from
//   read/risk_shed_rents; null = no comparison possible). measure = the highest rent per
//   m2 of the suspicious tenancies (null when only the cash payment fired).
// rationale: Criminelen bieden boeren een hoge huur, vaak contant en vooruitbetaald, voor
//   een lege schuur of stal om er drugs te produceren of op te slaan. Huur door een
//   particulier of niet-agrarische partij met contante betaling of een huur ver boven de
//   gangbare prijs per m² past bij dat patroon.
// sentence: Verhuurd aan {huurder}, {huurder_soort}[; hoogste huur {measure:euro} per m²
//   per maand, drempel {drempel_m2:euro} ({rent_factor} × de mediaan van
//   {mediaan_m2:euro})][; de huur wordt contant betaald{contant}].
// users: riec_liaison
// severity: 4
// fires_on: RuralObject
// thresholds: rent_factor=2.0
// mode: read
// indexes: RuralObject
// params: as_of: str, uids: list, max_paths: int, rent_factor: float, median_rent_m2: float,
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
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND (t:Person OR (t:Organisation AND NOT coalesce(t.sbi_code, '') STARTS WITH '01'))
  AND VISIBLE_PATH(path)
WITH o, r, path,
     CASE WHEN o.oppervlakte_m2 > 0 AND r.rent_pm IS NOT NULL
          THEN toFloat(r.rent_pm) / o.oppervlakte_m2 END AS rent_m2
WHERE r.payment = 'contant'
   OR ($median_rent_m2 IS NOT NULL AND rent_m2 >= $rent_factor * $median_rent_m2)
WITH o, rent_m2, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH o, max(rent_m2) AS measure, collect(path) AS paths
WITH o, measure, paths[..$max_paths] AS paths
RETURN o.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
