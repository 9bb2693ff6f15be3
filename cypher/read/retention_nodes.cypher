// description: Entity nodes whose provenance loses a source record or a source under the
//   retention rules, with the provenance they keep. A record is expired when it is in
//   $expired_records or starts with one of $expired_prefixes; a source of $aged (a list
//   of {source, cutoff}) is expired on a node last seen before its cutoff, with all its
//   records; a source of $record_sources (retention per record) goes when the node had
//   records of it and none is left. Purposes keep the classes ($purpose_of: a list of
//   {source, purpose}) of the sources kept. A node marked unseen_since (no source's full
//   extract holds it any more, loaders.runs) on or before $unseen_before loses every
//   source. For graph_service.security.retention only.
// mode: read
// access: internal
// indexes: not needed
// params: expired_records: list, expired_prefixes: list, aged: list, record_sources: list, purpose_of: list, unseen_before: str
MATCH (n:Entity)
WITH n, coalesce(n.sources, []) AS sources, coalesce(n.source_records, []) AS records,
     [c IN $aged WHERE n.last_seen < c.cutoff | c.source]
       + CASE WHEN n.unseen_since IS NOT NULL AND n.unseen_since <= $unseen_before
              THEN coalesce(n.sources, []) ELSE [] END AS aged_sources
WITH n, sources, records, aged_sources,
     [r IN records WHERE NOT (r IN $expired_records)
        AND NOT any(p IN $expired_prefixes WHERE r STARTS WITH p)
        AND NOT any(s IN aged_sources WHERE r STARTS WITH (s + ':'))] AS kept_records
WITH n, sources, records, kept_records,
     [s IN sources WHERE NOT (s IN aged_sources)
        AND (NOT (s IN $record_sources)
             OR NOT any(r IN records WHERE r STARTS WITH (s + ':'))
             OR any(r IN kept_records WHERE r STARTS WITH (s + ':')))] AS kept_sources
WHERE size(kept_records) < size(records) OR size(kept_sources) < size(sources)
RETURN n.uid AS uid, [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
       records AS before, kept_sources AS sources, kept_records AS source_records,
       [p IN coalesce(n.purposes, [])
          WHERE any(m IN $purpose_of WHERE m.purpose = p AND m.source IN kept_sources)]
         AS purposes
ORDER BY uid
