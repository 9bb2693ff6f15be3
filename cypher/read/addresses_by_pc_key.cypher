// description: Existing addresses with one of these postcode keys (postcode + huisnummer
//   + toevoeging), for address resolution in loaders.
// mode: read
// access: internal
// indexes: Address
// params: pc_keys: list
MATCH (a:Address)
WHERE a.pc_key IN $pc_keys
RETURN a.pc_key AS pc_key, a.uid AS uid
