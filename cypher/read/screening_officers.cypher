// description: The KvK functionarissen (FUNCTIONARY_OF valid on as_of) of every
//   organisation that is a party of a Bibob dossier in a role that holds control over the
//   applicant (aanvrager, bestuurder, aandeelhouder, uiteindelijk_belanghebbende; not a
//   vermogensverschaffer, verhuurder, zakelijke relatie or gemachtigde, as
//   BIBOB_UNDECLARED_OFFICER), each with the path
//   party organisation <- functionaris, whether the functionaris is a party itself, and
//   whether the dossier declares a BIBOB_RELATION from it to the organisation. Only
//   visible facts (not past bewaren_tot today) count, in the flags too. A record confirmed
//   to be the same person (SAME_AS, graph_service.risk.judgements) counts as the
//   functionaris: its PARTY_TO and BIBOB_RELATION are the functionaris's.
// mode: read
// indexes: BibobDossier
// params: uid: str, as_of: str, visible: list, today: str
MATCH (d:BibobDossier {uid: $uid})<-[pt:PARTY_TO]-(o:Organisation)
WHERE pt.role IN ['aanvrager', 'bestuurder', 'aandeelhouder', 'uiteindelijk_belanghebbende']
  AND VISIBLE(d, pt, o)
WITH DISTINCT d, o
MATCH path = (o)<-[f:FUNCTIONARY_OF]-(x:Entity)
WHERE (f.valid_from IS NULL OR f.valid_from <= $as_of)
  AND (f.valid_to IS NULL OR f.valid_to >= $as_of)
  AND VISIBLE(f, x)
// a confirmed twin's PARTY_TO and BIBOB_RELATION count too (OPTIONAL MATCH: FalkorDB gets
// a pattern comprehension of two steps to an outer node wrong)
OPTIONAL MATCH (x)-[s:SAME_AS]-(y:Entity)-[q2:PARTY_TO]->(d)
WHERE VISIBLE(s, y, q2)
WITH d, o, f, x, path, count(q2) AS twin_party
OPTIONAL MATCH (x)-[s2:SAME_AS]-(y2:Entity)-[b2:BIBOB_RELATION]->(o)
WHERE b2.dossier_id = d.dossier_id AND VISIBLE(s2, y2, b2)
WITH d, o, f, x, path, twin_party, count(b2) AS twin_declared
RETURN path,
       size([(x)-[q:PARTY_TO]->(d)
             WHERE VISIBLE(q) | q]) + twin_party > 0 AS officer_is_party,
       size([(x)-[b:BIBOB_RELATION]->(o)
             WHERE b.dossier_id = d.dossier_id
               AND VISIBLE(b) | b]) + twin_declared > 0 AS declared
ORDER BY o.uid, x.uid, f.key
