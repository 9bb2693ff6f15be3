// description: Holiday parks ranked by concentration on $as_of, counting visible facts
//   only (every node and relationship counted, the units and addresses included, is
//   visible in the scope and not past its bewaren_tot today). The park's places are the
//   park, its units (UNIT_OF) and the addresses they are located at (LOCATED_AT).
//   organisations = distinct organisations active on as_of registered at one of those
//   addresses (REGISTERED_AT valid on as_of); persons = distinct persons registered in the
//   BRP on one of its units (OCCUPIES brp = true, since on or before as_of) or registered
//   or residing at one of its addresses (REGISTERED_AT / RESIDES_AT valid on as_of);
//   signals = distinct RIEC signals received on or before as_of and not past bewaren_tot
//   that concern the park, one of its units or addresses, or one of those organisations or
//   persons; units = the number of units (context, not scored). score = $w_org *
//   organisations + $w_person * persons + $w_signal * signals; parks scoring 0 are left out.
//   Conditions sit in CASE inside collect() (see hotspots_address).
// mode: read
// indexes: not needed
// params: as_of: date, limit: int, w_org: int, w_person: int, w_signal: int, visible: list,
//   today: str
MATCH (x:HolidayPark)
WHERE VISIBLE(x)
OPTIONAL MATCH (x)<-[uo:UNIT_OF]-(u:ParkUnit)
WITH x, collect(DISTINCT CASE
       WHEN VISIBLE(uo, u)
       THEN u END) AS units
OPTIONAL MATCH lp = (x)<-[:UNIT_OF*0..1]-(loc)-[:LOCATED_AT]->(a:Address)
WITH x, units, collect(DISTINCT CASE
       WHEN (loc:HolidayPark OR loc:ParkUnit)
        AND VISIBLE_PATH(lp)
       THEN a END) AS addrs
UNWIND CASE WHEN size(addrs) = 0 THEN [null] ELSE addrs END AS addr
OPTIONAL MATCH (addr)<-[reg:REGISTERED_AT]-(o:Organisation)
WITH x, units, addrs, collect(DISTINCT CASE
       WHEN (reg.valid_from IS NULL OR reg.valid_from <= $as_of)
        AND (reg.valid_to IS NULL OR reg.valid_to >= $as_of)
        AND (o.datum_aanvang IS NULL OR o.datum_aanvang <= $as_of)
        AND CASE WHEN o.datum_einde IS NULL
                 THEN NOT coalesce(o.status, 'actief') IN ['opgeheven', 'failliet']
                 ELSE o.datum_einde >= $as_of END
        AND VISIBLE(reg, o)
       THEN o END) AS orgs
UNWIND CASE WHEN size(addrs) = 0 THEN [null] ELSE addrs END AS addr
OPTIONAL MATCH (addr)<-[res:REGISTERED_AT|RESIDES_AT]-(p:Person)
WITH x, units, addrs, orgs, collect(DISTINCT CASE
       WHEN (res.valid_from IS NULL OR res.valid_from <= $as_of)
        AND (res.valid_to IS NULL OR res.valid_to >= $as_of)
        AND VISIBLE(res, p)
       THEN p END) AS residents
OPTIONAL MATCH (x)<-[uf:UNIT_OF]-(ou:ParkUnit)<-[oc:OCCUPIES]-(q:Person)
WITH x, units, addrs, orgs, residents, collect(DISTINCT CASE
       WHEN oc.brp = true AND (oc.since IS NULL OR oc.since <= $as_of)
        AND (oc.valid_from IS NULL OR oc.valid_from <= $as_of)
        AND (oc.valid_to IS NULL OR oc.valid_to >= $as_of)
        AND VISIBLE(uf, ou, oc, q)
       THEN q END) AS occupants
WITH x, units, addrs, orgs, residents + occupants AS people
UNWIND CASE WHEN size(people) = 0 THEN [null] ELSE people END AS person
WITH x, units, addrs, orgs, collect(DISTINCT person) AS persons
UNWIND [x] + units + addrs + orgs + persons AS target
OPTIONAL MATCH (target)<-[c:CONCERNS]-(s:Signal)
WITH x, units, orgs, persons, collect(DISTINCT CASE
       WHEN s.ontvangstdatum <= $as_of
        AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
        AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
        AND VISIBLE(c, s)
       THEN s END) AS signals
WITH x, size(units) AS units, size(orgs) AS organisations, size(persons) AS persons,
     size(signals) AS signals
WITH x, units, organisations, persons, signals,
     $w_org * organisations + $w_person * persons + $w_signal * signals AS score
WHERE score > 0
RETURN x.uid AS uid, x.name AS name, organisations, persons, signals, units, score,
       x.sources AS prov_sources, x.prov_seen AS prov_seen, x.prov_props AS prov_props,
       x.prov_values AS prov_values
ORDER BY score DESC, uid
LIMIT $limit
