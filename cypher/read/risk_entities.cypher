// description: Display facts of visible entities by uid, for naming indicator hits:
//   labels, name and (persons) geboortedatum. The row carries the uid, so the store
//   pseudonymises a person's name and birth date when the scope asks for it.
// mode: read
// indexes: Entity
// params: uids: list, visible: list, today: str
MATCH (n:Entity)
WHERE n.uid IN $uids
  AND VISIBLE(n)
RETURN n.uid AS uid, labels(n) AS labels, n.name AS name, n.geboortedatum AS geboortedatum,
       n.sources AS prov_sources, n.prov_seen AS prov_seen, n.prov_props AS prov_props,
       n.prov_values AS prov_values
ORDER BY uid
