// description: The median rent per m2 over every visible tenancy (object, RENTS and tenant
//   visible) of a rural object valid on as_of with a known rent and floor area, and the
//   number of those tenancies: SHED_SUSPICIOUS_LEASE compares a rent with it, so the
//   median is computed from visible facts only. Aggregated in the engine: returning the
//   tenancies and taking the median in Python cost 0.5-0.9 s per request at 1M entities.
// mode: read
// indexes: not needed
// params: as_of: str, visible: list, today: str
MATCH (o:RuralObject)<-[r:RENTS]-(t)
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND r.rent_pm IS NOT NULL
  AND o.oppervlakte_m2 > 0
  AND VISIBLE(o, r, t)
WITH toFloat(r.rent_pm) / o.oppervlakte_m2 AS rent_m2
RETURN count(rent_m2) AS tenancies, percentileCont(rent_m2, 0.5) AS median
