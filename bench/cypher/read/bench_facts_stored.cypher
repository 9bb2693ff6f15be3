// description: Benchmark (bench.merges): which of the node uids $uids the graph holds.
// mode: read
// access: internal
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
RETURN u AS uid
