// description: A uniqueness constraint (with its index) on uid for every label.
// mode: schema
// params: none
CREATE CONSTRAINT entity_uid IF NOT EXISTS FOR (n:Entity) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT person_uid IF NOT EXISTS FOR (n:Person) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT organisation_uid IF NOT EXISTS FOR (n:Organisation) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT address_uid IF NOT EXISTS FOR (n:Address) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT rural_object_uid IF NOT EXISTS FOR (n:RuralObject) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT holiday_park_uid IF NOT EXISTS FOR (n:HolidayPark) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT park_unit_uid IF NOT EXISTS FOR (n:ParkUnit) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT bibob_dossier_uid IF NOT EXISTS FOR (n:BibobDossier) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT signal_uid IF NOT EXISTS FOR (n:Signal) REQUIRE n.uid IS UNIQUE;
