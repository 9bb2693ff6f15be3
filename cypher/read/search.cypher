// description: Visible entities whose name or identifier matches a search text, best first: rank
//   0 = an identifier equals $q_id (uid, KvK number, postcode, postcode key, BAG id,
//   dossier, signal, casus, object or park id); 1 = the name starts with $q or an
//   identifier starts with $q_id; 2 = the name contains $q. $q is the lower-cased text,
//   $q_id the same without spaces; identifiers are compared lower-cased without spaces.
//   A full scan of the name property (no full-text index: those need engine-specific
//   schema files).
// mode: read
// params: q: str, q_id: str, limit: int, visible: list, today: str
MATCH (n:Entity)
WHERE any(pc IN n.purposes WHERE pc IN $visible) AND coalesce(n.bewaren_tot, $today) >= $today
WITH n, toLower(coalesce(n.name, '')) AS name_lc,
     [x IN [n.uid, n.kvk_nummer, n.postcode, n.pc_key, n.bag_id, n.dossier_id, n.signaal_id,
            n.casus_id, n.object_id, n.park_id]
      WHERE x IS NOT NULL | replace(toLower(toString(x)), ' ', '')] AS ids
WITH n, name_lc,
     CASE WHEN $q_id IN ids THEN 0
          WHEN name_lc STARTS WITH $q OR any(x IN ids WHERE x STARTS WITH $q_id) THEN 1
          WHEN name_lc CONTAINS $q THEN 2
     END AS rank
WHERE rank IS NOT NULL
RETURN n.uid AS uid, labels(n) AS labels, n.name AS name, rank
ORDER BY rank, size(name_lc), name_lc, uid
LIMIT $limit
