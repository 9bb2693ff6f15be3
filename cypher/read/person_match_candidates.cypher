// description: Persons sharing a blocking key with a person of a load batch, to propose
//   look-alikes for human review (loaders.base.write_match_candidates; the keys are the
//   hidden mk_* properties of loaders.names.match_keys). Each branch is one index lookup:
//   near birth dates (ym, yd, md, swap), surname typo with the same initial and birth date
//   (birth), undated persons of a dated batch person's name (nodate: candidate keys), and
//   the whole candidate-key group of an undated batch person (groups).
// mode: read
// access: internal
// params: ym: list, yd: list, md: list, swap: list, birth: list, nodate: list, groups: list
MATCH (p:Person) WHERE p.mk_ym IN $ym
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_yd IN $yd
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_md IN $md
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_swap IN $swap
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_birth IN $birth
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_nodate IN $nodate
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.candidate_key IN $groups
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
