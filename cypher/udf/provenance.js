// The embedded engine's merge of a load row into a node or relationship it holds
// already: what cypher/templates/merge_node.cypher and merge_relationship.cypher do after
// ON MATCH, as one function each.
//
// FalkorDB runs them (user-defined functions, library "prov", loaded by the store when it
// connects: graph_service/store/falkordb_store.py) from the templates' variants
// merge_node.falkordb.cypher and merge_relationship.falkordb.cypher as
//     WITH n, row, properties(n) AS current
//     WITH n, row, current, prov.mergeNode(current, row) AS merged
//     SET n += row.props, n += CASE WHEN <newer> THEN {} ELSE current END,
//         n += merged.set, n.prov_gone = merged.prov_gone, ...
//     FOREACH (m IN merged.unset | SET n += m)
// (mergeRelationship the same for a relationship r, which also takes merged.valid_to).
// `current` is the fact's properties, `row` the statement row (the templates' headers
// describe both). The result holds the provenance after the merge: `set`, the lists and
// dates the templates set one by one after their `n += ...` (none of them null);
// `prov_gone` (null: removed); `unset`, what a full extract's empty cells remove, as
// one-key maps {property: null}. The source's own values stay in Cypher: a number that
// passes through JavaScript comes back as another type (25.0 as 25, an integer beyond
// 2^53 as a float), while a provenance entry is text. Removals are explicit, as in the
// templates: with one `+=` of a map whose nulls removed properties, some rows of an
// UNWIND kept merge_pending and lost prov_run (seen with FalkorDB 4.16, caught by the
// test below).
//
// The templates evaluate their list comprehensions step by step, copying each text they
// build; here each list is walked once (the Bibob load's writes into the KvK graph took
// a fifth less: docs/benchmarks.md, "The merge of a stored fact as one function").
//
// Keep them step for step the same as the templates' ON MATCH parts: the portable
// templates are what Neo4j runs, and tests/store/test_merge_function.py loads the same
// files through both on two embedded engines and compares the whole graphs.
//
// The store replaces the library when its text differs from what the engine holds, so a
// change of what a function takes or returns goes with a new schema version
// (docs/operations.md, "Upgrades"): a process of the older code still attached would
// call the new functions with its old statements.

function has(list, x) { return list.indexOf(x) >= 0; }

// `cur` with the entries of `add` it lacks appended, in order
function union(cur, add) {
  const out = cur.slice();
  for (const x of add) if (!has(out, x)) out.push(x);
  return out;
}

function orEmpty(list) { return list != null ? list : []; }

// what both templates do; `own(out, newer)` adds what only a relationship's does
function merge(current, row, own) {
  const sources = row.sources;
  const props = row.props;
  // the row's own provenance entries: given, or built from its sources
  const rseen = row.prov_seen != null ? row.prov_seen : sources.map(s => s + '|'
    + (row.src_first != null && row.src_first[s] != null ? row.src_first[s] : row.first_seen)
    + '|' + (row.src_last != null && row.src_last[s] != null ? row.src_last[s] : row.last_seen));
  const pvalues = orEmpty(row.prov_values);
  const stamps = row.prov_run != null ? row.prov_run
    : (row.run != null ? sources.map(s => s + '|' + row.run) : []);
  const pprops = row.prov_props != null ? row.prov_props
    : [].concat(...sources.map(s => Object.keys(props).map(k => s + '|' + k)));
  const pgrades = row.prov_grades != null ? row.prov_grades
    : [].concat(...sources.map(s => row.grades.map(g => s + ':' + g)));
  const cseen = orEmpty(current.prov_seen);
  const cvalues = orEmpty(current.prov_values);
  const cruns = orEmpty(current.prov_run);
  const cprops = orEmpty(current.prov_props);

  const sameSeen = rseen.every(e => has(cseen, e));
  const sameValues = pvalues.every(y => has(cvalues, y));
  const sameRuns = stamps.every(t => has(cruns, t));
  const firstTouch = stamps.length > 0 && !cruns.some(x => has(stamps, x));
  const newer = current.last_seen == null || row.last_seen >= current.last_seen;

  // per source of the row: [source, its stored entry split or null, first, last]
  const olds = (sameSeen && sameValues) ? [] : rseen.map(e => {
    const p = e.split('|');
    const old = cseen.find(x => x.startsWith(p[0] + '|'));
    return [p[0], old === undefined ? null : old.split('|'), p[1], p[2]];
  });
  // the sources whose row is not older than what they said before: their values count
  const fresh = olds.filter(o => o[1] === null || o[1][2] <= o[3]).map(o => o[0]);
  const merged = olds.map(o => [o[0], o[0] + '|'
    + (o[1] !== null && o[1][1] < o[2] ? o[1][1] : o[2]) + '|'
    + (o[1] !== null && o[1][2] > o[3] ? o[1][2] : o[3])]);
  const mprops = union(cprops, pprops);
  let mvalues = cvalues;
  if (!sameValues) {
    const pk = pvalues.map(y => { const q = y.split('|'); return q[0] + '|' + q[1] + '|'; });
    mvalues = cvalues.map(x => {
      if (!has(fresh, x.split('|')[0])) return x;
      for (let i = 0; i < pvalues.length; i++) if (x.startsWith(pk[i])) return pvalues[i];
      return x;
    }).concat(pvalues.filter((y, i) => !cvalues.some(x => x.startsWith(pk[i]))));
  }
  const gone = orEmpty(current.prov_gone).filter(x => !has(sources, x.split('|')[0]));

  const set = {};
  set.sources = union(orEmpty(current.sources), sources);
  set.source_records = union(orEmpty(current.source_records), row.source_records);
  set.grades = union(orEmpty(current.grades), row.grades);
  set.purposes = union(orEmpty(current.purposes), row.purposes);
  set.first_seen = current.first_seen == null || row.first_seen < current.first_seen
    ? row.first_seen : current.first_seen;
  set.last_seen = newer ? row.last_seen : current.last_seen;
  set.prov_seen = sameSeen ? cseen
    : cseen.map(x => {
        const m = merged.find(m => x.startsWith(m[0] + '|'));
        return m === undefined ? x : m[1];
      }).concat(merged.filter(m => !cseen.some(x => x.startsWith(m[0] + '|'))).map(m => m[1]));
  set.prov_grades = union(orEmpty(current.prov_grades), pgrades);
  const clearing = firstTouch && row.clear != null;
  set.prov_props = clearing ? mprops.filter(x => !has(row.clear, x)) : mprops;
  set.prov_values = clearing ? mvalues.filter(x => {
    const q = x.split('|');
    return !has(row.clear, q[0] + '|' + q[1]);
  }) : mvalues;
  const runs = (stamps.length > 0 && !sameRuns)
    ? cruns.map(x => {
        const p = x.split('|')[0] + '|';
        const t = stamps.find(t => t.startsWith(p));
        return t === undefined ? x : t;
      }).concat(stamps.filter(t => {
        const p = t.split('|')[0] + '|';
        return !cruns.some(x => x.startsWith(p));
      }))
    : current.prov_run;
  if (runs != null) set.prov_run = runs;
  // a full extract's first touch removes what only its empty cells' sources supplied
  const unset = [];
  if (firstTouch && row.unset != null && row.clear != null) {
    // what each source supplied: prov_props and the properties prov_values names
    const supplied = mprops.concat(mvalues.map(x => {
      const q = x.split('|');
      return q[0] + '|' + q[1];
    }));
    for (const m of row.unset) {
      const k = Object.keys(m)[0];
      if (row.clear.some(c => c.split('|')[1] === k && has(supplied, c))
          && !supplied.some(p => !has(row.clear, p) && p.split('|')[1] === k)) unset.push(m);
    }
  }
  const out = {set: set, prov_gone: gone.length === 0 ? null : gone, unset: unset};
  own(out, newer);
  return out;
}

function mergeNode(current, row) {
  return merge(current, row, () => {});
}

function mergeRelationship(current, row) {
  return merge(current, row, (out, newer) => {
    // an ended relationship seen again: the end date it had before it ended, unless the
    // row gives one
    const given = row.props.valid_to != null ? row.props.valid_to : null;
    if (current.ended_on == null) {
      out.valid_to = newer ? (given != null ? given : current.valid_to)
                           : (current.valid_to != null ? current.valid_to : given);
    } else {
      out.valid_to = given != null ? given : current.ended_valid_to;
    }
  });
}

falkor.register('mergeNode', mergeNode);
falkor.register('mergeRelationship', mergeRelationship);
