// description: Persons sharing a name-only candidate key (surname + initial), to propose
//   look-alikes for human review.
// mode: read
// access: internal
// params: keys: list
MATCH (p:Person)
WHERE p.candidate_key IN $keys
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum
