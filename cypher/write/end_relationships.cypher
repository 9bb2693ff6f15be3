// description: A full extract of $source no longer contains these relationships: the
//   source leaves them (prov_gone "<source>|<date>"); a relationship every source of it
//   has left ends: ended_on $date, its own valid_to kept in ended_valid_to and valid_to
//   set to $valid_to (the day before the extract) unless it ended earlier, so it no
//   longer counts as active (the indicators read valid_to). Seen again by any source
//   (cypher/templates/merge_relationship.cypher) lifts the end. A row is
//   {start, type, end, key}.
// mode: write
// params: rows: rows, source: str, date: str, valid_to: str
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})-[r]->(b:Entity {uid: row.end})
WHERE type(r) = row.type AND coalesce(r.key, '') = row.key
  AND NOT any(g IN coalesce(r.prov_gone, []) WHERE split(g, '|')[0] = $source)
WITH r, r.valid_to AS own, coalesce(r.prov_gone, []) + [$source + '|' + $date] AS gone
WITH r, own, gone,
     (r.ended_on IS NULL
      AND all(s IN coalesce(r.sources, []) WHERE any(g IN gone WHERE split(g, '|')[0] = s))) AS ends
SET r.prov_gone = gone,
    r.ended_on = CASE WHEN ends THEN $date ELSE r.ended_on END,
    r.ended_valid_to = CASE WHEN ends THEN own ELSE r.ended_valid_to END,
    r.valid_to = CASE WHEN NOT ends THEN own
                      WHEN own IS NOT NULL AND own < $valid_to THEN own
                      ELSE $valid_to END
