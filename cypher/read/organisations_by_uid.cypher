// description: The organisations among these uids (loaders.ftm: a listed organisation's
//   look-alike candidates by KvK number or by folded name and country).
// mode: read
// access: internal
// indexes: Organisation
// params: uids: list
MATCH (o:Organisation) WHERE o.uid IN $uids
RETURN o.uid AS uid
