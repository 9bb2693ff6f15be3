// description: Keep the records of the last $keep refreshes of the stored hits (each
//   holds the keys of its hits for the counts between runs) and delete older ones.
// mode: write
// generation: keep
// params: keep: int
MATCH (r:HitRun)
WITH r ORDER BY r.started DESC
SKIP $keep
DELETE r
