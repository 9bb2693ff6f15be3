// description: Rent per m2 of every tenancy of a rural object valid on as_of with a known
//   rent and floor area; graph_service.indicators takes the median for
//   SHED_SUSPICIOUS_LEASE.
// mode: read
// params: as_of: str
MATCH (o:RuralObject)<-[r:RENTS]-()
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND r.rent_pm IS NOT NULL
  AND o.oppervlakte_m2 > 0
RETURN o.uid AS uid, toFloat(r.rent_pm) / o.oppervlakte_m2 AS rent_m2
ORDER BY uid, rent_m2
