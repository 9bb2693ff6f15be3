// A {{label}} fact with its provenance kept per source in plain properties
// (<source>_first, _last, _grades, _run; the source's own values as <source>__<property>),
// merged with what is stored (bench.merges, variant "per-source"): what a write model
// without the per-source lists would cost. An older row's own values fill nothing
// (the loader's template fills what is missing). {{source}} is the batch's source.
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {uid: row.uid})
ON CREATE SET n += row.props, n += row.own,
    n.sources = ['{{source}}'], n.source_records = row.records, n.purposes = row.purposes,
    n.first_seen = row.first, n.last_seen = row.last,
    n.{{source}}_first = row.first, n.{{source}}_last = row.last,
    n.{{source}}_grades = row.grades, n.{{source}}_run = row.run
ON MATCH SET n.merge_pending = true
WITH n, row WHERE n.merge_pending
WITH n, row, properties(n) AS current
WITH n, row, current, (current.last_seen IS NULL OR row.last >= current.last_seen) AS newer,
     (current.{{source}}_last IS NULL OR row.last >= current.{{source}}_last) AS snewer
SET n += row.props,
    n += CASE WHEN newer THEN {} ELSE current END,
    n += CASE WHEN snewer THEN row.own ELSE {} END,
    n.sources = CASE WHEN '{{source}}' IN current.sources THEN current.sources
                     ELSE current.sources + ['{{source}}'] END,
    n.source_records = coalesce(head([go IN [1]
        WHERE NOT all(x IN row.records WHERE x IN current.source_records) |
        current.source_records + [x IN row.records WHERE NOT x IN current.source_records]]),
        current.source_records),
    n.purposes = current.purposes + [x IN row.purposes WHERE NOT x IN current.purposes],
    n.first_seen = CASE WHEN row.first < current.first_seen THEN row.first
                        ELSE current.first_seen END,
    n.last_seen = CASE WHEN newer THEN row.last ELSE current.last_seen END,
    n.{{source}}_first = CASE WHEN current.{{source}}_first IS NULL
                                  OR row.first < current.{{source}}_first
                                THEN row.first ELSE current.{{source}}_first END,
    n.{{source}}_last = CASE WHEN snewer THEN row.last ELSE current.{{source}}_last END,
    n.{{source}}_grades = coalesce(current.{{source}}_grades, [])
        + [g IN row.grades WHERE NOT g IN coalesce(current.{{source}}_grades, [])],
    n.{{source}}_run = row.run,
    n.merge_pending = null
