// description: Remove the graph's schema version node, as a graph made before versions
//   were recorded has none (upgrade tests and drills: operations.upgrade.make_previous_version).
// mode: write
// generation: keep
// params: none
MATCH (s:OndergraafSchema)
DELETE s
