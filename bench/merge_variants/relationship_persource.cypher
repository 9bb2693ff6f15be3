// A {{type}} fact with its provenance kept per source in plain properties
// (<source>_first, _last, _grades, _run; the source's own values as <source>__<property>),
// merged with what is stored (bench.merges, variant "per-source"): what a write model
// without the per-source lists would cost. An older row's own values fill nothing
// (the loader's template fills what is missing). {{source}} is the batch's source.
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
ON CREATE SET r += row.props, r += row.own,
    r.sources = ['{{source}}'], r.source_records = row.records, r.purposes = row.purposes,
    r.first_seen = row.first, r.last_seen = row.last,
    r.{{source}}_first = row.first, r.{{source}}_last = row.last,
    r.{{source}}_grades = row.grades, r.{{source}}_run = row.run
ON MATCH SET r.merge_pending = true
WITH r, row WHERE r.merge_pending
WITH r, row, properties(r) AS current
WITH r, row, current, (current.last_seen IS NULL OR row.last >= current.last_seen) AS newer,
     (current.{{source}}_last IS NULL OR row.last >= current.{{source}}_last) AS snewer
SET r += row.props,
    r += CASE WHEN newer THEN {} ELSE current END,
    r += CASE WHEN snewer THEN row.own ELSE {} END,
    r.sources = CASE WHEN '{{source}}' IN current.sources THEN current.sources
                     ELSE current.sources + ['{{source}}'] END,
    r.source_records = coalesce(head([go IN [1]
        WHERE NOT all(x IN row.records WHERE x IN current.source_records) |
        current.source_records + [x IN row.records WHERE NOT x IN current.source_records]]),
        current.source_records),
    r.purposes = current.purposes + [x IN row.purposes WHERE NOT x IN current.purposes],
    r.first_seen = CASE WHEN row.first < current.first_seen THEN row.first
                        ELSE current.first_seen END,
    r.last_seen = CASE WHEN newer THEN row.last ELSE current.last_seen END,
    r.{{source}}_first = CASE WHEN current.{{source}}_first IS NULL
                                  OR row.first < current.{{source}}_first
                                THEN row.first ELSE current.{{source}}_first END,
    r.{{source}}_last = CASE WHEN snewer THEN row.last ELSE current.{{source}}_last END,
    r.{{source}}_grades = coalesce(current.{{source}}_grades, [])
        + [g IN row.grades WHERE NOT g IN coalesce(current.{{source}}_grades, [])],
    r.{{source}}_run = row.run,
    r.merge_pending = null
