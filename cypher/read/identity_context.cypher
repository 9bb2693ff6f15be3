// description: What tells apart entities of the same name, for the entities with these
//   uids (graph_service.queries.identity): the visible addresses it resides at
//   (RESIDES_AT), is registered at (REGISTERED_AT, with valid_to) or is located at
//   (LOCATED_AT), and the visible holiday park it belongs to: a unit's park (UNIT_OF), the
//   park of a unit a person occupies (OCCUPIES, UNIT_OF), with the park's visible address.
//   The entity's node comes along (its own properties). One row per entity and park (park null when there is none); uids that do not exist or
//   that the scope may not see give no row.
// mode: read
// indexes: Entity
// params: uids: list, visible: list, today: str
UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})
WHERE VISIBLE(n)
OPTIONAL MATCH (n)-[r:RESIDES_AT|REGISTERED_AT|LOCATED_AT]->(a:Address)
WHERE VISIBLE(r, a)
WITH n, collect(CASE WHEN a IS NULL THEN null
                     ELSE {address: a, type: type(r), valid_to: r.valid_to} END) AS addresses
OPTIONAL MATCH pp = (n)-[:OCCUPIES|UNIT_OF*1..2]->(p:HolidayPark)
WHERE VISIBLE_PATH(pp)
WITH n, addresses, p
OPTIONAL MATCH (p)-[pl:LOCATED_AT]->(pa:Address)
WHERE VISIBLE(pl, pa)
RETURN n.uid AS uid, n AS node, addresses, p AS park, pa AS park_address
ORDER BY uid
