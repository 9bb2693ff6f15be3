// description: Indexes on the properties loaders and searches look nodes up by.
// mode: schema
// params: none
CREATE INDEX FOR (n:Organisation) ON (n.kvk_nummer);
CREATE INDEX FOR (n:Address) ON (n.bag_id);
CREATE INDEX FOR (n:Address) ON (n.postcode);
CREATE INDEX FOR (n:Person) ON (n.candidate_key);
CREATE INDEX FOR (n:Person) ON (n.mk_ym);
CREATE INDEX FOR (n:Person) ON (n.mk_yd);
CREATE INDEX FOR (n:Person) ON (n.mk_md);
CREATE INDEX FOR (n:Person) ON (n.mk_swap);
CREATE INDEX FOR (n:Person) ON (n.mk_birth);
CREATE INDEX FOR (n:Person) ON (n.mk_nodate);
