// description: Delete every node and relationship (tests and `ondergraaf reset` only); the
//   graph's schema version node stays, as its indexes do.
// mode: write
// params: none
MATCH (n) WHERE NOT n:OndergraafSchema DETACH DELETE n
