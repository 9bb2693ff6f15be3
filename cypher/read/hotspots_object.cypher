// description: Rural objects (sheds, barns) ranked by concentration on $as_of, counting
//   visible facts only (every node and relationship counted is visible in the scope and
//   not past its bewaren_tot today).
//   organisations = distinct organisations active on as_of that rent the object (RENTS
//   valid on as_of) or are registered at its address (REGISTERED_AT valid on as_of);
//   persons = distinct persons who rent it or are registered or residing at its address
//   (RENTS / REGISTERED_AT / RESIDES_AT valid on as_of); signals = distinct RIEC signals
//   received on or before as_of and not past bewaren_tot that concern the object, its
//   address, or one of those organisations or persons. score = $w_org * organisations +
//   $w_person * persons + $w_signal * signals; objects scoring 0 are left out.
//   Conditions sit in CASE inside collect() (see hotspots_address).
// mode: read
// indexes: not needed
// params: as_of: date, limit: int, w_org: int, w_person: int, w_signal: int, visible: list,
//   today: str
MATCH (x:RuralObject)
WHERE VISIBLE(x)
OPTIONAL MATCH (x)-[la:LOCATED_AT]->(a:Address)
WITH x, collect(DISTINCT CASE
       WHEN VISIBLE(la, a)
       THEN a END) AS addrs
OPTIONAL MATCH (x)<-[rent:RENTS]-(party)
WITH x, addrs, collect(DISTINCT CASE
       WHEN (party:Organisation OR party:Person)
        AND (rent.valid_from IS NULL OR rent.valid_from <= $as_of)
        AND (rent.valid_to IS NULL OR rent.valid_to >= $as_of)
        AND VISIBLE(rent, party)
       THEN party END) AS tenants
UNWIND CASE WHEN size(addrs) = 0 THEN [null] ELSE addrs END AS addr
OPTIONAL MATCH (addr)<-[reg:REGISTERED_AT|RESIDES_AT]-(party)
WITH x, addrs, tenants, collect(DISTINCT CASE
       WHEN (party:Organisation OR party:Person)
        AND (reg.valid_from IS NULL OR reg.valid_from <= $as_of)
        AND (reg.valid_to IS NULL OR reg.valid_to >= $as_of)
        AND VISIBLE(reg, party)
       THEN party END) AS registered
WITH x, addrs, tenants + registered AS parties
UNWIND CASE WHEN size(parties) = 0 THEN [null] ELSE parties END AS o
WITH x, addrs, collect(DISTINCT CASE
       WHEN o:Person
         OR ((o.datum_aanvang IS NULL OR o.datum_aanvang <= $as_of)
             AND CASE WHEN o.datum_einde IS NULL
                      THEN NOT coalesce(o.status, 'actief') IN ['opgeheven', 'failliet']
                      ELSE o.datum_einde >= $as_of END)
       THEN o END) AS parties
WITH x, addrs, [o IN parties WHERE o:Organisation] AS orgs,
     [p IN parties WHERE p:Person] AS persons
UNWIND [x] + addrs + orgs + persons AS target
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
