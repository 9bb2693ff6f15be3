// description: Entity nodes of $source that the full extract of run $stamp
//   ("<source>|<run stamp>") did not contain: the source supplied them, no fact of the run
//   stamped them (prov_run) and the source has not already left them (prov_gone). With
//   $dossiers (a per-municipality source, by the dossier ids of the extract's
//   municipalities) only nodes whose every record of the source belongs to one of them.
//   For loaders.runs only.
// mode: read
// access: internal
// indexes: not needed
// params: source: str, stamp: str, dossiers: list
MATCH (n:Entity)
WHERE $source IN coalesce(n.sources, [])
  AND NOT ($stamp IN coalesce(n.prov_run, []))
  AND NOT any(g IN coalesce(n.prov_gone, []) WHERE split(g, '|')[0] = $source)
  AND ($dossiers IS NULL
       OR all(x IN coalesce(n.source_records, []) WHERE NOT (x STARTS WITH ($source + ':'))
              OR (split(substring(x, size($source) + 1), '/')[0] IN $dossiers)))
RETURN n.uid AS uid
ORDER BY uid
