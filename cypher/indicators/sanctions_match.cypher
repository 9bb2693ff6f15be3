// code: SANCTIONS_MATCH
// title: Lijkt op een vermelding op een sanctie- of PEP-lijst
// description: Persons and organisations of the registers (no list entries themselves)
//   linked to an entity of an outside sanctions or PEP list (source ftm, docs/ftm.md) by
//   a strong look-alike pair (POSSIBLE_SAME_AS with score >= min_score) or by a confirmed
//   pair (SAME_AS), the list entity first seen on or before as_of and not left by its
//   list (unseen_since) on or before as_of. measure = the number of such list entities.
// rationale: Zakendoen met een partij op een sanctielijst is verboden, en een politiek
//   prominente persoon (PEP) brengt een verhoogd risico op corruptie en witwassen mee. Een
//   sterke gelijkenis is nog geen vaststelling: beoordeel het paar voordat u erop handelt.
// sentence: {measure:lijstvermelding/lijstvermeldingen} met sterke gelijkenis[:
//   {vermelding}][ ({lijst})]; drempel overeenkomst {min_score}.
// users: bibob, riec_liaison
// severity: 4
// fires_on: Person, Organisation
// thresholds: min_score=0.8
// legal_basis: Wet Bibob art. 3; Sanctiewet 1977
// mode: read
// indexes: Entity
// params: as_of: str, uids: list, max_paths: int, min_score: float, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds). The anchor is
// matched on its own: inside a path pattern the FalkorDB planner may start from a label
// scan of the other end.
MATCH (x:Entity)
WHERE x.uid >= coalesce(anchor, '') AND x.uid <= coalesce(anchor, '~')
WITH x
MATCH path = (x)-[m:POSSIBLE_SAME_AS|SAME_AS]-(l:Entity)
WHERE (x:Person OR x:Organisation) AND x.ftm_id IS NULL
  AND l.ftm_id IS NOT NULL
  AND (type(m) = 'SAME_AS' OR m.score >= $min_score)
  AND l.first_seen <= $as_of
  AND (l.unseen_since IS NULL OR l.unseen_since > $as_of)
  AND VISIBLE_PATH(path)
WITH x, l, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH x, count(DISTINCT l) AS measure, collect(path) AS paths
WITH x, measure, paths[..$max_paths] AS paths
RETURN x.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
