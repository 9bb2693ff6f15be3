// description: RIEC signals past their retention on $today: bewaren_tot before $today, or,
//   without bewaren_tot, received (ontvangstdatum; else last_seen) before $default_cutoff.
//   For graph_service.security.retention only.
// mode: read
// access: internal
// indexes: not needed
// params: today: date, default_cutoff: date
MATCH (s:Signal)
WHERE (s.bewaren_tot IS NOT NULL AND s.bewaren_tot < $today)
   OR (s.bewaren_tot IS NULL AND coalesce(s.ontvangstdatum, s.last_seen) < $default_cutoff)
RETURN s.uid AS uid, s.signaal_id AS signaal_id, s.bewaren_tot AS bewaren_tot,
       s.ontvangstdatum AS ontvangstdatum, coalesce(s.source_records, []) AS source_records
ORDER BY uid
