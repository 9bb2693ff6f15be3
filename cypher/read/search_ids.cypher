// description: Visible entities with an identifier equal to or starting with the search
//   text, best first: rank 0 = an identifier equals $q_id (uid, KvK number, postcode,
//   postcode key, BAG id, dossier, signal, casus, object or park id), 1 = one starts with
//   it. Identifiers are compared lower-cased without spaces; $q_id is the text so. The
//   candidates come from index range seeks, one per spelling in $ranges ([from, to) pairs
//   that graph_service.queries builds: the text as typed, lower- and upper-cased), so an
//   identifier stored in mixed case is found only when typed as stored. Each range seek has
//   an equality twin on its lower bound: FalkorDB's range seek was seen to miss a stored
//   value that its equality seek found (after many deletes), so an exact identifier is
//   never left to the range alone. With $persons
//   false a Person comes back only on an exact identifier (rank 0).
// mode: read
// indexes: Address, BibobDossier, Entity, HolidayPark, Organisation, ParkUnit, RuralObject, Signal
// params: ranges: list, q_id: str, persons: bool, limit: int, visible: list, today: str
CALL {
  UNWIND $ranges AS r MATCH (n:Entity) WHERE n.uid >= r[0] AND n.uid < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Entity) WHERE n.uid = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Organisation) WHERE n.kvk_nummer >= r[0] AND n.kvk_nummer < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Organisation) WHERE n.kvk_nummer = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Address) WHERE n.postcode >= r[0] AND n.postcode < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Address) WHERE n.postcode = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Address) WHERE n.pc_key >= r[0] AND n.pc_key < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Address) WHERE n.pc_key = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Address) WHERE n.bag_id >= r[0] AND n.bag_id < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Address) WHERE n.bag_id = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:BibobDossier) WHERE n.dossier_id >= r[0] AND n.dossier_id < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:BibobDossier) WHERE n.dossier_id = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Signal) WHERE n.signaal_id >= r[0] AND n.signaal_id < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Signal) WHERE n.signaal_id = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Signal) WHERE n.casus_id >= r[0] AND n.casus_id < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:Signal) WHERE n.casus_id = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:RuralObject) WHERE n.object_id >= r[0] AND n.object_id < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:RuralObject) WHERE n.object_id = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:HolidayPark) WHERE n.park_id >= r[0] AND n.park_id < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:HolidayPark) WHERE n.park_id = r[0] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:ParkUnit) WHERE n.park_id >= r[0] AND n.park_id < r[1] RETURN n
  UNION
  UNWIND $ranges AS r MATCH (n:ParkUnit) WHERE n.park_id = r[0] RETURN n
}
WITH n
WHERE VISIBLE(n)
WITH n, toLower(coalesce(n.name, '')) AS name_lc,
     [x IN [n.uid, n.kvk_nummer, n.postcode, n.pc_key, n.bag_id, n.dossier_id, n.signaal_id,
            n.casus_id, n.object_id, n.park_id]
      WHERE x IS NOT NULL | replace(toLower(toString(x)), ' ', '')] AS ids
WITH n, name_lc,
     CASE WHEN $q_id IN ids THEN 0
          WHEN any(x IN ids WHERE x STARTS WITH $q_id) THEN 1
     END AS rank
WHERE rank IS NOT NULL AND (rank = 0 OR $persons OR NOT n:Person)
RETURN n.uid AS uid, labels(n) AS labels, n.name AS name, name_lc, rank,
       n.sources AS prov_sources, n.prov_seen AS prov_seen, n.prov_props AS prov_props,
       n.prov_values AS prov_values
ORDER BY rank, size(name_lc), name_lc, uid
LIMIT $limit
