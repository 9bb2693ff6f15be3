// description: What lies behind the hubs a Bibob screening stopped at (docs/queries.md,
//   "Hubs"): for every node in $uids, the number of its distinct visible neighbours over
//   visible FUNCTIONARY_OF, BIBOB_RELATION (not role gemachtigde) or FINANCES
//   relationships valid on $as_of, in either direction, that are not in $seen (the
//   dossier's parties and network), and how many of those are a party (PARTY_TO, not a
//   gemachtigde) of another visible Bibob dossier than $dossier: the other applicants.
// mode: read
// indexes: Entity
// params: uids: list, seen: list, dossier: str, as_of: str, visible: list, today: str
UNWIND $uids AS uid
MATCH (a:Entity {uid: uid})
WHERE VISIBLE(a)
WITH a
MATCH (a)-[r:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES]-(b:Entity)
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde')
  AND NOT b.uid IN $seen
  AND VISIBLE(r, b)
WITH DISTINCT a, b
OPTIONAL MATCH (b)-[t:PARTY_TO]->(d:BibobDossier)
WHERE d.uid <> $dossier AND coalesce(t.role, '') <> 'gemachtigde'
  AND VISIBLE(t, d)
WITH a, b, count(d) AS dossiers
RETURN a.uid AS via, count(b) AS behind,
       sum(CASE WHEN dossiers > 0 THEN 1 ELSE 0 END) AS applicants
