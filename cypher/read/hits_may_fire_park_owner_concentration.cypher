// description: The persons and organisations PARK_OWNER_CONCENTRATION may fire on in any
//   scope: those that own, themselves or through a SAME_AS, at least $min_units units of
//   one holiday park, whatever the dates and purpose classes (the indicator counts the
//   same units on the same pattern, only those owned on its date that the scope sees:
//   never more). A full hit refresh runs the indicator on these only, without the walk
//   from every park (graph_service.risk.reach.MAY_FIRE). Uids only, never shown:
//   internal.
// mode: read
// access: internal
// indexes: not needed
// params: min_units: int
MATCH (k:HolidayPark)<-[:UNIT_OF]-(u:ParkUnit)<-[:OWNS]-()-[:SAME_AS*0..1]-(x)
// from the parks: from every entity, FalkorDB scanned the label first (0.19 -> 0.07 s)
WHERE x:Person OR x:Organisation
WITH x, k, count(DISTINCT u) AS units
WHERE units >= $min_units
RETURN DISTINCT x.uid AS uid
