// description: The persons and organisations PARK_OWNER_CONCENTRATION may fire on in any
//   scope: those that own, themselves or through a SAME_AS, at least $min_units units of
//   one holiday park, whatever the dates and purpose classes (the indicator counts the
//   same units on the same pattern, only those owned on its date that the scope sees:
//   never more). A hit refresh runs the indicator on these only, without the walk
//   from every park (graph_service.risk.reach.MAY_FIRE). Uids only, never shown:
//   internal.
//   $uids: the entities it would run on (null: the whole label).
// mode: read
// access: internal
// indexes: Entity
// params: uids: list, min_units: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (as in the indicators' own statements)
MATCH (x:Entity)
WHERE x.uid >= coalesce(anchor, '') AND x.uid <= coalesce(anchor, '~')
WITH x
MATCH (x)-[:SAME_AS*0..1]-()-[:OWNS]->(u:ParkUnit)-[:UNIT_OF]->(k:HolidayPark)
WHERE x:Person OR x:Organisation
WITH x, k, count(DISTINCT u) AS units
WHERE units >= $min_units
RETURN DISTINCT x.uid AS uid
