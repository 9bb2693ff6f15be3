// description: Delete every node and relationship (tests and `ondergraaf reset` only).
// mode: write
// params: none
MATCH (n) DETACH DELETE n
