// description: The organisations COMPANY_ON_PARK may fire on in any scope: those
//   registered at the main address of a holiday park, or at the address of one of its
//   units, where permanente_bewoning_toegestaan is not true, whatever the dates, the
//   park's exploitant and the purpose classes (the indicator takes the same paths, only
//   those valid on its date that the scope sees, and leaves out the exploitant an
//   OPERATES it sees names: never more). A hit refresh runs the indicator on these
//   only, without the walk from every park (graph_service.risk.reach.MAY_FIRE). Uids
//   only, never shown: internal.
//   $uids: the entities it would run on (null: the whole label).
// mode: read
// access: internal
// indexes: Organisation
// params: uids: list
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (as in the indicators' own statements)
MATCH (o:Organisation)
WHERE o.uid >= coalesce(anchor, '') AND o.uid <= coalesce(anchor, '~')
WITH o
MATCH (o)-[:REGISTERED_AT]->(:Address)<-[:LOCATED_AT]-(loc)-[:UNIT_OF*0..1]->(k:HolidayPark)
WHERE (loc:HolidayPark OR loc:ParkUnit)
  AND coalesce(k.permanente_bewoning_toegestaan, false) = false
RETURN DISTINCT o.uid AS uid
