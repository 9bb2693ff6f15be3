// description: Record one refresh of the stored indicator hits: what it computed (full or
//   incremental, the generation of the graph it started from, evaluation date, thresholds,
//   indicators, access scopes, derived values) and what it found (counts per indicator and
//   the keys of its hits in the full scope, as JSON). Runs again at the end with the
//   finishing fields.
// mode: write
// generation: keep
// params: uid: str, kind: str, status: str, started: str, finished: str, generation: int,
//   as_of: str, today: str, thresholds: str, codes: list, scopes: list, derived: str,
//   counts: str, keys: str, touched: int, seconds: float
MERGE (r:HitRun {uid: $uid})
SET r.kind = $kind, r.status = $status, r.started = $started, r.finished = $finished,
    r.generation = $generation, r.as_of = $as_of, r.today = $today,
    r.thresholds = $thresholds, r.codes = $codes, r.scopes = $scopes, r.derived = $derived,
    r.counts = $counts, r.keys = $keys, r.touched = $touched, r.seconds = $seconds
