// description: Link a load run to the refresh of the stored hits that followed it (the
//   HitRun uid), for `ondergraaf runs show`.
// mode: write
// generation: keep
// params: uid: str, hit_run: str
MATCH (l:LoadRun {uid: $uid})
SET l.hit_run = $hit_run
