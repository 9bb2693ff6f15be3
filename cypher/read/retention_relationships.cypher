// description: Relationships between entities whose provenance loses a source record or a
//   source under the retention rules (the same rules and parameters as
//   read/retention_nodes), with the provenance they keep. Keyed by start uid, type, end
//   uid and key ('' when none). For graph_service.security.retention only.
// mode: read
// access: internal
// indexes: not needed
// params: expired_records: list, expired_prefixes: list, aged: list, record_sources: list, purpose_of: list
MATCH (a:Entity)-[r]->(b:Entity)
WITH a, r, b, coalesce(r.sources, []) AS sources, coalesce(r.source_records, []) AS records,
     [c IN $aged WHERE r.last_seen < c.cutoff | c.source] AS aged_sources
WITH a, r, b, sources, records, aged_sources,
     [x IN records WHERE NOT (x IN $expired_records)
        AND NOT any(p IN $expired_prefixes WHERE x STARTS WITH p)
        AND NOT any(s IN aged_sources WHERE x STARTS WITH (s + ':'))] AS kept_records
WITH a, r, b, sources, records, kept_records,
     [s IN sources WHERE NOT (s IN aged_sources)
        AND (NOT (s IN $record_sources)
             OR NOT any(x IN records WHERE x STARTS WITH (s + ':'))
             OR any(x IN kept_records WHERE x STARTS WITH (s + ':')))] AS kept_sources
WHERE size(kept_records) < size(records) OR size(kept_sources) < size(sources)
RETURN a.uid AS start, type(r) AS type, b.uid AS end, coalesce(r.key, '') AS key,
       records AS before, kept_sources AS sources, kept_records AS source_records,
       [p IN coalesce(r.purposes, [])
          WHERE any(m IN $purpose_of WHERE m.purpose = p AND m.source IN kept_sources)]
         AS purposes
ORDER BY start, type, end, key
