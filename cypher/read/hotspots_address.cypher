// description: Addresses ranked by concentration on $as_of, counting visible facts only
//   (every node and relationship counted is visible in the scope and not past its
//   bewaren_tot today). organisations = distinct
//   organisations active on as_of registered at the address (REGISTERED_AT valid on
//   as_of); persons = distinct persons registered or residing there (REGISTERED_AT /
//   RESIDES_AT valid on as_of) or registered in the BRP (OCCUPIES brp = true, since on or
//   before as_of) on a park unit located at the address; signals = distinct RIEC signals
//   received on or before as_of and not past bewaren_tot that concern the address or one
//   of those organisations or persons. score = $w_org * organisations + $w_person *
//   persons + $w_signal * signals; addresses scoring 0 are left out.
//   Conditions sit in CASE inside collect(), not in OPTIONAL MATCH ... WHERE: same result,
//   five times faster on FalkorDB.
// mode: read
// indexes: not needed
// params: as_of: date, limit: int, w_org: int, w_person: int, w_signal: int, visible: list,
//   today: str
MATCH (x:Address)
WHERE VISIBLE(x)
OPTIONAL MATCH (x)<-[reg:REGISTERED_AT]-(o:Organisation)
WITH x, collect(DISTINCT CASE
       WHEN (reg.valid_from IS NULL OR reg.valid_from <= $as_of)
        AND (reg.valid_to IS NULL OR reg.valid_to >= $as_of)
        AND (o.datum_aanvang IS NULL OR o.datum_aanvang <= $as_of)
        AND CASE WHEN o.datum_einde IS NULL
                 THEN NOT coalesce(o.status, 'actief') IN ['opgeheven', 'failliet']
                 ELSE o.datum_einde >= $as_of END
        AND VISIBLE(reg, o)
       THEN o END) AS orgs
OPTIONAL MATCH (x)<-[res:REGISTERED_AT|RESIDES_AT]-(p:Person)
WITH x, orgs, collect(DISTINCT CASE
       WHEN (res.valid_from IS NULL OR res.valid_from <= $as_of)
        AND (res.valid_to IS NULL OR res.valid_to >= $as_of)
        AND VISIBLE(res, p)
       THEN p END) AS residents
OPTIONAL MATCH (x)<-[la:LOCATED_AT]-(u:ParkUnit)<-[oc:OCCUPIES]-(q:Person)
WITH x, orgs, residents, collect(DISTINCT CASE
       WHEN oc.brp = true AND (oc.since IS NULL OR oc.since <= $as_of)
        AND (oc.valid_from IS NULL OR oc.valid_from <= $as_of)
        AND (oc.valid_to IS NULL OR oc.valid_to >= $as_of)
        AND VISIBLE(la, u, oc, q)
       THEN q END) AS occupants
WITH x, orgs, residents + occupants AS people
UNWIND CASE WHEN size(people) = 0 THEN [null] ELSE people END AS person
WITH x, orgs, collect(DISTINCT person) AS persons
UNWIND [x] + orgs + persons AS target
OPTIONAL MATCH (target)<-[c:CONCERNS]-(s:Signal)
WITH x, orgs, persons, collect(DISTINCT CASE
       WHEN s.ontvangstdatum <= $as_of
        AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
        AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
        AND VISIBLE(c, s)
       THEN s END) AS signals
WITH x, size(orgs) AS organisations, size(persons) AS persons, size(signals) AS signals
WITH x, organisations, persons, signals,
     $w_org * organisations + $w_person * persons + $w_signal * signals AS score
WHERE score > 0
RETURN x.uid AS uid, x.name AS name, organisations, persons, signals, 0 AS units, score,
       x.sources AS prov_sources, x.prov_seen AS prov_seen, x.prov_props AS prov_props,
       x.prov_values AS prov_values
ORDER BY score DESC, uid
LIMIT $limit
