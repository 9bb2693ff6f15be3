// description: Indexes an earlier release made that no statement uses any more, dropped
//   where a graph still has them (setup_schema, at every load and upgrade), so that no start
//   builds them and no write keeps them up. Person.geboortedatum: no statement filters on
//   it (the look-alike keys hold the birth date); building it took about 0.7 s of every
//   start at 1M entities (docs/benchmarks.md).
// mode: schema
// params: none
DROP INDEX ON :Person(geboortedatum);
