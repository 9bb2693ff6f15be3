// description: Existing addresses with one of these BAG ids (address resolution in loaders).
// mode: read
// access: internal
// indexes: Address
// params: bag_ids: list
MATCH (a:Address)
WHERE a.bag_id IN $bag_ids
RETURN a.bag_id AS bag_id, a.uid AS uid
