// description: Relationships of $source (of the types in $types: those the loaders merge)
//   that the full extract of run $stamp ("<source>|<run stamp>") did not contain: the
//   source supplied them, the run did not stamp them (prov_run) and the source has not
//   already left them (prov_gone). $dossiers as in read/full_extract_unseen_nodes. For
//   loaders.runs only.
// mode: read
// access: internal
// indexes: not needed
// params: source: str, stamp: str, types: list, dossiers: list
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) IN $types
  AND $source IN coalesce(r.sources, [])
  AND NOT ($stamp IN coalesce(r.prov_run, []))
  AND NOT any(g IN coalesce(r.prov_gone, []) WHERE split(g, '|')[0] = $source)
  AND ($dossiers IS NULL
       OR all(x IN coalesce(r.source_records, []) WHERE NOT (x STARTS WITH ($source + ':'))
              OR (split(substring(x, size($source) + 1), '/')[0] IN $dossiers)))
RETURN a.uid AS start, type(r) AS type, b.uid AS end, coalesce(r.key, '') AS key
ORDER BY start, type, end, key
