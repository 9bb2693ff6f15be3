// description: Write the confirmed pairs of a group of records that are one person or
//   one organisation (graph_service.risk.judgements): a SAME_AS from the lower uid to the higher between
//   every two records of the group. It carries the union of both persons' purposes,
//   sources and source records (as POSSIBLE_SAME_AS does: the node filter on both ends
//   then shows it only where both persons are visible), the decision it rests on
//   (judgement: the uid of a positive Judgement on the pair, or null when the pair is one
//   through others) and since (the time of the group's latest confirmation). A row is
//   {start, end, judgement, since}.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:SAME_AS]->(b)
SET r.judgement = row.judgement, r.since = row.since,
    r.purposes = coalesce(a.purposes, [])
                 + [x IN coalesce(b.purposes, []) WHERE NOT x IN coalesce(a.purposes, [])],
    r.sources = coalesce(a.sources, [])
                + [x IN coalesce(b.sources, []) WHERE NOT x IN coalesce(a.sources, [])],
    r.source_records = coalesce(a.source_records, [])
                + [x IN coalesce(b.source_records, [])
                   WHERE NOT x IN coalesce(a.source_records, [])]
