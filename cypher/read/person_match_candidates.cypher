// description: The persons of the blocks (persons sharing a blocking key) that hold a
//   person of a load batch and someone else, to propose look-alikes for human review
//   (loaders.writer.match_candidate_pairs; the keys are the hidden mk_* properties of
//   loaders.names.match_keys). Each branch looks up one index (nodate two): near birth
//   dates (ym, yd, md, swap), surname typo with the same initial and birth date (birth),
//   the whole candidate-key group of an undated batch person (groups). A block of one
//   person (the batch person alone: most blocks) proposes nothing and is not returned
//   (reading every batch person back took the KvK load at 100k 1.4 of its 9 s). nodate:
//   the candidate keys of the batch's dated persons; where undated persons of that name
//   exist, the whole group (the dated batch person with the undated ones it meets).
// mode: read
// access: internal
// indexes: Person
// params: ym: list, yd: list, md: list, swap: list, birth: list, nodate: list, groups: list
MATCH (p:Person) WHERE p.mk_ym IN $ym
WITH p.mk_ym AS key, collect(p) AS block WHERE size(block) > 1
UNWIND block AS p
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_yd IN $yd
WITH p.mk_yd AS key, collect(p) AS block WHERE size(block) > 1
UNWIND block AS p
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_md IN $md
WITH p.mk_md AS key, collect(p) AS block WHERE size(block) > 1
UNWIND block AS p
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_swap IN $swap
WITH p.mk_swap AS key, collect(p) AS block WHERE size(block) > 1
UNWIND block AS p
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.mk_birth IN $birth
WITH p.mk_birth AS key, collect(p) AS block WHERE size(block) > 1
UNWIND block AS p
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (u:Person) WHERE u.mk_nodate IN $nodate
WITH DISTINCT u.mk_nodate AS key
MATCH (p:Person) WHERE p.candidate_key = key
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
UNION
MATCH (p:Person) WHERE p.candidate_key IN $groups
WITH p.candidate_key AS key, collect(p) AS block WHERE size(block) > 1
UNWIND block AS p
RETURN p.uid AS uid, p.candidate_key AS candidate_key, p.voornamen AS voornamen,
       p.voorvoegsel AS voorvoegsel, p.geslachtsnaam AS geslachtsnaam,
       p.geboortedatum AS geboortedatum, p.mk_ym AS mk_ym, p.mk_yd AS mk_yd,
       p.mk_md AS mk_md, p.mk_swap AS mk_swap, p.mk_birth AS mk_birth,
       p.mk_nodate AS mk_nodate
