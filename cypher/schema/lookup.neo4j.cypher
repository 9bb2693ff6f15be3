// description: Indexes on the properties loaders and searches look nodes up by.
// mode: schema
// params: none
CREATE INDEX organisation_kvk IF NOT EXISTS FOR (n:Organisation) ON (n.kvk_nummer);
CREATE INDEX address_bag IF NOT EXISTS FOR (n:Address) ON (n.bag_id);
CREATE INDEX address_postcode IF NOT EXISTS FOR (n:Address) ON (n.postcode);
CREATE INDEX person_candidate IF NOT EXISTS FOR (n:Person) ON (n.candidate_key);
CREATE INDEX person_mk_ym IF NOT EXISTS FOR (n:Person) ON (n.mk_ym);
CREATE INDEX person_mk_yd IF NOT EXISTS FOR (n:Person) ON (n.mk_yd);
CREATE INDEX person_mk_md IF NOT EXISTS FOR (n:Person) ON (n.mk_md);
CREATE INDEX person_mk_swap IF NOT EXISTS FOR (n:Person) ON (n.mk_swap);
CREATE INDEX person_mk_birth IF NOT EXISTS FOR (n:Person) ON (n.mk_birth);
CREATE INDEX person_mk_nodate IF NOT EXISTS FOR (n:Person) ON (n.mk_nodate);
