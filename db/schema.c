/* schema.c - numbered migrations, applied in order inside a transaction;
 * PRAGMA user_version records the last one applied. */
#include "db/db_priv.h"

#include <stdio.h>

/* Migration 1: the domain, outbox, audit, users, agreements. */
static const char migration_1[] =
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") STRICT;"

	"CREATE TABLE agencies ("
	"  code TEXT PRIMARY KEY,"
	"  country TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT ''"
	") STRICT;"

	"CREATE TABLE agreements ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  countries TEXT NOT NULL,"
	"  reply_n INTEGER NOT NULL, reply_unit TEXT NOT NULL,"
	"  accel_n INTEGER NOT NULL, accel_unit TEXT NOT NULL,"
	"  extension_max_days INTEGER NOT NULL,"
	"  silence_accepts INTEGER NOT NULL,"
	"  transfer_n INTEGER NOT NULL, transfer_unit TEXT NOT NULL,"
	"  transit_reply_n INTEGER NOT NULL, transit_reply_unit TEXT NOT NULL,"
	"  transit_n INTEGER NOT NULL, transit_unit TEXT NOT NULL,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  note TEXT NOT NULL DEFAULT ''"
	") STRICT;"

	"CREATE TABLE holidays ("
	"  country TEXT NOT NULL,"
	"  date TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (country, date)"
	") STRICT;"

	"CREATE TABLE users ("
	"  username TEXT PRIMARY KEY,"
	"  full_name TEXT NOT NULL DEFAULT '',"
	"  role TEXT NOT NULL CHECK (role IN ('officer','supervisor','admin')),"
	"  agency TEXT NOT NULL,"
	"  pw_hash TEXT NOT NULL,"
	"  enabled INTEGER NOT NULL DEFAULT 1,"
	"  failed_logins INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"

	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY,"
	"  username TEXT NOT NULL REFERENCES users(username),"
	"  created_at INTEGER NOT NULL,"
	"  last_used INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL"
	") STRICT;"

	"CREATE TABLE cases ("
	"  id TEXT PRIMARY KEY,"
	"  local_ref TEXT NOT NULL UNIQUE,"
	"  final_ref TEXT NOT NULL DEFAULT '',"
	"  requesting_agency TEXT NOT NULL,"
	"  requested_agency TEXT NOT NULL DEFAULT '',"
	"  agreement TEXT NOT NULL DEFAULT '',"
	"  procedure TEXT NOT NULL DEFAULT 'normal',"
	"  status TEXT NOT NULL DEFAULT 'draft',"
	"  evidence_basis TEXT NOT NULL DEFAULT 'none',"
	"  surnames TEXT NOT NULL DEFAULT '',"
	"  given_names TEXT NOT NULL DEFAULT '',"
	"  name_native TEXT NOT NULL DEFAULT '',"
	"  previous_names TEXT NOT NULL DEFAULT '',"
	"  aliases TEXT NOT NULL DEFAULT '',"
	"  sex TEXT NOT NULL DEFAULT 'unknown',"
	"  civil_status TEXT NOT NULL DEFAULT 'unknown',"
	"  birth_date TEXT NOT NULL DEFAULT '',"
	"  birth_place TEXT NOT NULL DEFAULT '',"
	"  birth_country TEXT NOT NULL DEFAULT '',"
	"  nationality TEXT NOT NULL DEFAULT '',"
	"  previous_nationality TEXT NOT NULL DEFAULT '',"
	"  father_name TEXT NOT NULL DEFAULT '',"
	"  mother_name TEXT NOT NULL DEFAULT '',"
	"  languages TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL DEFAULT '',"
	"  last_residence TEXT NOT NULL DEFAULT '',"
	"  needs_consent INTEGER NOT NULL DEFAULT 0,"
	"  unaccompanied_minor INTEGER NOT NULL DEFAULT 0,"
	"  pregnant INTEGER NOT NULL DEFAULT 0,"
	"  trafficking_victim INTEGER NOT NULL DEFAULT 0,"
	"  needs_medical_care INTEGER NOT NULL DEFAULT 0,"
	"  needs_escort INTEGER NOT NULL DEFAULT 0,"
	"  special_needs TEXT NOT NULL DEFAULT '',"
	"  itinerary TEXT NOT NULL DEFAULT '',"
	"  apprehension_place TEXT NOT NULL DEFAULT '',"
	"  apprehension_date TEXT NOT NULL DEFAULT '',"
	"  transfer_date TEXT NOT NULL DEFAULT '',"
	"  crossing_point TEXT NOT NULL DEFAULT '',"
	"  escort TEXT NOT NULL DEFAULT '',"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  extension_days INTEGER NOT NULL DEFAULT 0,"
	"  travel_doc_number TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  approved_by TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  submitted_at INTEGER NOT NULL DEFAULT 0,"
	"  received_at INTEGER NOT NULL DEFAULT 0,"
	"  decided_at INTEGER NOT NULL DEFAULT 0,"
	"  rev INTEGER NOT NULL DEFAULT 1,"
	"  reply_due INTEGER NOT NULL DEFAULT 0"
	") STRICT;"
	"CREATE INDEX cases_updated ON cases(updated_at DESC, id DESC);"
	"CREATE INDEX cases_created ON cases(created_at DESC, id DESC);"
	"CREATE INDEX cases_status ON cases(status, updated_at DESC);"
	"CREATE INDEX cases_requested ON cases(requested_agency, updated_at DESC);"
	"CREATE INDEX cases_due ON cases(reply_due) WHERE reply_due > 0;"
	/* db_case_get looks a reference up as local_ref OR id OR final_ref:
	 * without an index on each term that OR is a scan of every case */
	"CREATE INDEX cases_final_ref ON cases(final_ref) WHERE final_ref <> '';"

	"CREATE TABLE documents ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  type TEXT NOT NULL,"
	"  number TEXT NOT NULL DEFAULT '',"
	"  issuing_state TEXT NOT NULL DEFAULT '',"
	"  issuing_authority TEXT NOT NULL DEFAULT '',"
	"  issue_place TEXT NOT NULL DEFAULT '',"
	"  issue_date TEXT NOT NULL DEFAULT '',"
	"  expiry_date TEXT NOT NULL DEFAULT '',"
	"  is_copy INTEGER NOT NULL DEFAULT 0,"
	"  mrz TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX documents_case ON documents(case_id);"
	"CREATE INDEX documents_number ON documents(number);"

	"CREATE TABLE evidence ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT ''"
	") STRICT;"

	"CREATE TABLE idchecks ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  question TEXT NOT NULL,"
	"  asked_by TEXT NOT NULL,"
	"  asked_at INTEGER NOT NULL,"
	"  answer TEXT NOT NULL DEFAULT 'pending',"
	"  answer_text TEXT NOT NULL DEFAULT '',"
	"  answered_by TEXT NOT NULL DEFAULT '',"
	"  answered_at INTEGER NOT NULL DEFAULT 0"
	") STRICT;"

	"CREATE TABLE notes ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  author TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  text TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX notes_case ON notes(case_id, created_at);"

	"CREATE TABLE blobs ("
	"  sha256 TEXT PRIMARY KEY,"
	"  size INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL"
	") STRICT;"

	"CREATE TABLE attachments ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	"  kind TEXT NOT NULL,"
	"  filename TEXT NOT NULL DEFAULT '',"
	"  mime TEXT NOT NULL DEFAULT 'application/octet-stream',"
	"  size INTEGER NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  UNIQUE (case_id, sha256)"
	") STRICT;"

	/* One immutable operation per user action; sync sends them. */
	"CREATE TABLE outbox ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  op_id TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL,"
	"  entity_id TEXT NOT NULL,"
	"  base_rev INTEGER NOT NULL,"
	"  fields TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  device_time INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending','sent','applied','duplicate',"
	"                     'conflict','rejected','resolved')),"
	"  result TEXT NOT NULL DEFAULT ''"
	") STRICT;"
	"CREATE INDEX outbox_entity ON outbox(entity_id);"
	/* the payload of an operation never changes once written */
	"CREATE TRIGGER outbox_immutable BEFORE UPDATE OF op_id, type,"
	"  entity_id, base_rev, fields, actor, device_time ON outbox "
	"BEGIN SELECT RAISE(ABORT, 'outbox operations are immutable'); END;"

	/* The hash-chained audit log: append only. */
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  case_id TEXT NOT NULL DEFAULT '',"
	"  detail TEXT NOT NULL DEFAULT '',"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX audit_case ON audit(case_id, seq);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
	"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
	"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/* Migration 2: blobs know whether their bytes are here and whether the
 * exchange has them (and where a resumable upload stands). */
static const char migration_2[] =
	"ALTER TABLE blobs ADD COLUMN present INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE blobs ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE blobs ADD COLUMN upload_url TEXT NOT NULL DEFAULT '';";

/* Migration 3: the outbox found by state and by case without a scan
 * (applied operations stay; a pull looks a case's pending ones up). */
static const char migration_3[] =
	"CREATE INDEX outbox_state ON outbox(state, seq);"
	"CREATE INDEX outbox_entity_state ON outbox(entity_id, state, seq);";

/* Migration 4: an operation on its way to the exchange holds its case
 * until then (unix seconds; 0 none): edits wait rather than race it.  A
 * lease, not a flag, so that a killed sync cannot lock a case for ever. */
static const char migration_4[] =
	"ALTER TABLE outbox ADD COLUMN sending_until INTEGER NOT NULL "
	"DEFAULT 0;";

/* Migration 5: finding people.  The person of each case folded for
 * search (db/search.c writes search_persons and its FTS5 index together:
 * the schema is not trusted, so no trigger may write a virtual table), and the officers' decisions about two cases'
 * persons (a < b).  The existing cases are indexed by migrate_5_post. */
static const char migration_5[] =
	"CREATE TABLE search_persons ("
	"  pid INTEGER PRIMARY KEY,"
	"  case_id TEXT NOT NULL UNIQUE REFERENCES cases(id) ON DELETE CASCADE,"
	"  names TEXT NOT NULL DEFAULT '',"
	"  keys TEXT NOT NULL DEFAULT '',"
	"  skels TEXT NOT NULL DEFAULT '',"
	"  docs TEXT NOT NULL DEFAULT '',"
	"  refs TEXT NOT NULL DEFAULT '',"
	"  facts TEXT NOT NULL DEFAULT ''"
	") STRICT;"
	"CREATE VIRTUAL TABLE search_fts USING fts5(names, keys, skels, docs,"
	"  refs, facts, content='search_persons', content_rowid='pid',"
	"  tokenize='ascii', prefix='2 3');"
	"CREATE TABLE person_decisions ("
	"  a TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  b TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  decision TEXT NOT NULL CHECK (decision IN ('same','different')),"
	"  decided_by TEXT NOT NULL,"
	"  decided_at INTEGER NOT NULL,"
	"  PRIMARY KEY (a, b),"
	"  CHECK (a < b)"
	") STRICT;"
	"CREATE INDEX person_decisions_b ON person_decisions(b);";

/* Migration 6: the index by creation time covers what the reports count
 * (who asked whom, the status, the officer), so that a caseload over a
 * million cases reads an index, not every row of the table.  Same key
 * order as before: the case list's sort by creation keeps using it. */
static const char migration_6[] =
	"DROP INDEX cases_created;"
	"CREATE INDEX cases_created ON cases(created_at DESC, id DESC,"
	"  requesting_agency, requested_agency, status, created_by);";

/* Migration 7: one agency, many workstations.  Accounts come from the
 * agency's directory at the exchange too; dir_seq is the directory's
 * position of the version here (0: made here, not heard back).  The
 * existing accounts go to the directory (db_directory_seed). */
static const char migration_7[] =
	"ALTER TABLE users ADD COLUMN dir_seq INTEGER NOT NULL DEFAULT 0;";

/* Migration 8: the caseload's counts, kept by the writes.  One row per
 * UTC day of creation, requesting and requested agency, status and
 * officer, with the number of cases so; triggers keep it equal to the
 * cases table whatever writes it (a use case, a pull, a purge, a
 * migration), so that a caseload over a million cases reads some
 * thousands of rows, not a million (db_report_caseload).  A row whose
 * count falls to 0 goes. */
#define COUNT_ADD(r)                                                          \
	"INSERT INTO caseload_counts(day, requesting_agency,"                \
	"  requested_agency, status, created_by, n)"                          \
	" VALUES (" r ".created_at / 86400, " r ".requesting_agency, "        \
	r ".requested_agency, " r ".status, " r ".created_by, 1)"             \
	" ON CONFLICT DO UPDATE SET n = n + 1;"
#define COUNT_SUB(r)                                                          \
	"UPDATE caseload_counts SET n = n - 1 WHERE day = "                   \
	r ".created_at / 86400 AND requesting_agency = " r                    \
	".requesting_agency AND requested_agency = " r ".requested_agency"   \
	" AND status = " r ".status AND created_by = " r ".created_by;"     \
	"DELETE FROM caseload_counts WHERE day = " r ".created_at / 86400"    \
	" AND requesting_agency = " r ".requesting_agency AND"                \
	" requested_agency = " r ".requested_agency AND status = " r         \
	".status AND created_by = " r ".created_by AND n <= 0;"
/* The trigger that moves a case from one count to another: its head, up
 * to BEGIN (migrations 8 and 11). */
#define COUNT_UPDATE_TRIGGER                                                  \
	"CREATE TRIGGER caseload_counts_update AFTER UPDATE OF created_at,"  \
	" requesting_agency, requested_agency, status, created_by ON cases"  \
	" WHEN old.created_at IS NOT new.created_at"                          \
	"  OR old.requesting_agency IS NOT new.requesting_agency"             \
	"  OR old.requested_agency IS NOT new.requested_agency"               \
	"  OR old.status IS NOT new.status"                                   \
	"  OR old.created_by IS NOT new.created_by BEGIN "
static const char migration_8[] =
	"CREATE TABLE caseload_counts ("
	"  day INTEGER NOT NULL,"
	"  requesting_agency TEXT NOT NULL,"
	"  requested_agency TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (day, requesting_agency, requested_agency, status,"
	"    created_by)"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO caseload_counts"
	" SELECT created_at / 86400, requesting_agency, requested_agency,"
	"  status, created_by, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5;"
	"CREATE TRIGGER caseload_counts_insert AFTER INSERT ON cases BEGIN "
	COUNT_ADD("new") " END;"
	"CREATE TRIGGER caseload_counts_delete AFTER DELETE ON cases BEGIN "
	COUNT_SUB("old") " END;"
	COUNT_UPDATE_TRIGGER
	COUNT_SUB("old") COUNT_ADD("new") " END;";

/* Migration 9: what the search filters and sorts by, beside the person's
 * words: a copy of six columns of the case in search_persons, kept equal
 * by triggers (a new row takes them from its case; a case's change goes
 * to its row), so that a search ranks and cuts its matches without
 * reading each match's case from the cases table (db_search reads the
 * cases of the page it returns only).  No trigger touches search_fts:
 * these columns are not indexed words. */
static const char migration_9[] =
	"ALTER TABLE search_persons ADD COLUMN updated_at INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE search_persons ADD COLUMN requesting_agency TEXT NOT NULL"
	"  DEFAULT '';"
	"ALTER TABLE search_persons ADD COLUMN requested_agency TEXT NOT NULL"
	"  DEFAULT '';"
	"ALTER TABLE search_persons ADD COLUMN status TEXT NOT NULL"
	"  DEFAULT '';"
	"ALTER TABLE search_persons ADD COLUMN nationality TEXT NOT NULL"
	"  DEFAULT '';"
	"ALTER TABLE search_persons ADD COLUMN birth_date TEXT NOT NULL"
	"  DEFAULT '';"
	"UPDATE search_persons SET (" SEARCH_FACTS ") = (SELECT " SEARCH_FACTS
	"  FROM cases c WHERE c.id = search_persons.case_id);"
	"CREATE TRIGGER search_persons_facts_new AFTER INSERT ON search_persons"
	" BEGIN UPDATE search_persons SET (" SEARCH_FACTS ") = (SELECT "
	SEARCH_FACTS " FROM cases c WHERE c.id = new.case_id)"
	" WHERE pid = new.pid; END;"
	"CREATE TRIGGER search_persons_facts_case AFTER UPDATE OF "
	SEARCH_FACTS " ON cases BEGIN UPDATE search_persons SET ("
	SEARCH_FACTS ") = (new.updated_at, new.requesting_agency,"
	" new.requested_agency, new.status, new.nationality,"
	" new.birth_date) WHERE case_id = new.id; END;";

/* 10: the documents a sync fetches (blobs not present) and sends (present,
 * not uploaded) by index, and an attachment by its file: each sync asks
 * for both lists, and on a replica with 100,000 documents, every one of
 * them fetched and sent, those two statements read all the attachments
 * and all the blobs (688 million instructions, 311 ms, for a sync with
 * nothing to do, against 44 million). */
static const char migration_10[] =
	"CREATE INDEX blobs_missing ON blobs(sha256) WHERE present = 0;"
	"CREATE INDEX blobs_unsent ON blobs(created_at)"
	"  WHERE present = 1 AND uploaded = 0;"
	"CREATE INDEX attachments_sha256 ON attachments(sha256);";

/* Migration 11: the counts of migration 8 added to without an upsert
 * (an UPDATE, then an INSERT of the row when there is none).  A trigger
 * with an upsert made SQLite keep a statement journal for every INSERT
 * and UPDATE of a case, copying each page the statement touched first
 * (a tenth of a pull's work); without it, a case written with OR FAIL
 * (db/case.c) needs none.  The counts stay what they are. */
#define COUNT_KEY(r)                                                          \
	" day = " r ".created_at / 86400 AND requesting_agency = " r          \
	".requesting_agency AND requested_agency = " r ".requested_agency"   \
	" AND status = " r ".status AND created_by = " r ".created_by"
#define COUNT_ADD_11(r)                                                       \
	"UPDATE caseload_counts SET n = n + 1 WHERE" COUNT_KEY(r) ";"        \
	"INSERT INTO caseload_counts(day, requesting_agency,"                \
	"  requested_agency, status, created_by, n)"                          \
	" SELECT " r ".created_at / 86400, " r ".requesting_agency, "         \
	r ".requested_agency, " r ".status, " r ".created_by, 1"              \
	" WHERE NOT EXISTS (SELECT 1 FROM caseload_counts WHERE"              \
	COUNT_KEY(r) ");"
static const char migration_11[] =
	"DROP TRIGGER caseload_counts_insert;"
	"DROP TRIGGER caseload_counts_update;"
	"CREATE TRIGGER caseload_counts_insert AFTER INSERT ON cases BEGIN "
	COUNT_ADD_11("new") " END;"
	COUNT_UPDATE_TRIGGER
	COUNT_SUB("old") COUNT_ADD_11("new") " END;";

/* Migration 12: a new person's copy of its case's columns comes with its
 * row (db/search.c's INSERT takes them from the case), not from a trigger
 * that wrote the row a second time: that UPDATE was a twelfth of a pull's
 * work on the workstation's thread.  A case's changes still go to its
 * person by migration 9's other trigger. */
static const char migration_12[] =
	"DROP TRIGGER search_persons_facts_new;";

/* Migration 13: the caseload's counts of migration 8 moved by a log.
 * Each write of a case appends its moves to caseload_moves (+1 for the
 * counts' row it enters, -1 for the one it leaves): an append at the end
 * of a table, where migration 11's trigger looked up and wrote the
 * counts' row for every case (an eighth of a pull's work on the
 * workstation's thread).  db_caseload_fold adds the log to the counts and
 * empties it, in the transaction of each page a pull writes, of each
 * batch and of the end of each sync (db_sync_outcome); the counts are the
 * two together until then (db_report_caseload reads both). */
#define COUNT_MOVE(r, d)                                                      \
	"INSERT INTO caseload_moves(day, requesting_agency,"                 \
	"  requested_agency, status, created_by, d)"                          \
	" VALUES (" r ".created_at / 86400, " r ".requesting_agency, "        \
	r ".requested_agency, " r ".status, " r ".created_by, " d ");"
static const char migration_13[] =
	"CREATE TABLE caseload_moves ("
	"  day INTEGER NOT NULL,"
	"  requesting_agency TEXT NOT NULL,"
	"  requested_agency TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  d INTEGER NOT NULL"
	") STRICT;"
	"DROP TRIGGER caseload_counts_insert;"
	"DROP TRIGGER caseload_counts_update;"
	"DROP TRIGGER caseload_counts_delete;"
	"CREATE TRIGGER caseload_counts_insert AFTER INSERT ON cases BEGIN "
	COUNT_MOVE("new", "1") " END;"
	"CREATE TRIGGER caseload_counts_delete AFTER DELETE ON cases BEGIN "
	COUNT_MOVE("old", "-1") " END;"
	COUNT_UPDATE_TRIGGER
	COUNT_MOVE("old", "-1") COUNT_MOVE("new", "1") " END;";

/* Migration 14: the search index's segments merged sixteen at a time, not
 * four (FTS5's automerge).  Each page of a pull writes a segment; with
 * four, each entry was written again at every fourth of them, five times
 * over a pull of 100,000 cases (the flush, with the merges it set off,
 * was a third of the engine's work); with sixteen, about half as often.
 * A search reads at most fifteen segments a level instead of three: it
 * looks a word up in more of them (bench/search.sh measures it). */
static const char migration_14[] =
	"INSERT INTO search_fts(search_fts, rank) VALUES('automerge', 16);";

static const char *const migrations[] = {
	migration_1,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
	migration_6,
	migration_7,
	migration_8,
	migration_9,
	migration_10,
	migration_11,
	migration_12,
	migration_13,
	migration_14,
};

/* What a migration needs besides SQL (folding is C), in its transaction;
 * NULL for none. */
static enum rcms_status (*const migrations_post[])(struct rcms_db *,
						    struct rcms_err *) = {
	NULL, NULL, NULL, NULL, db_search_reindex_all, NULL,
	db_directory_seed, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};
_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
		       sizeof(migrations_post) / sizeof(migrations_post[0]),
	       "a post step (or NULL) for every migration");
_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
		       DB_SCHEMA_VERSION,
	       "DB_SCHEMA_VERSION is the number of migrations");

enum rcms_status db_migrate(struct rcms_db *db, struct rcms_err *err)
{
	int have = db_schema_version(db);
	int want = (int)(sizeof(migrations) / sizeof(migrations[0]));
	char pragma[64];
	int rc;

	if (have < 0)
		return rcms_err_set(err, RCMS_ERR_DB, NULL,
				    "cannot read the database's schema "
				    "version");
	if (have > want)
		return rcms_err_set(err, RCMS_ERR_DB, NULL,
				    "the case database was written by a newer "
				    "rcms (schema %d, this one knows %d); "
				    "update rcms", have, want);
	while (have < want) {
		rc = sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return db_sqlerr(db, rc, err);
		/* another process may have migrated while we waited */
		have = db_schema_version(db);
		if (have >= want) {
			sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
			break;
		}
		rc = sqlite3_exec(db->sql, migrations[have], NULL, NULL, NULL);
		if (rc == SQLITE_OK && migrations_post[have]) {
			enum rcms_status st;
			db->migrating = have + 1;
			st = migrations_post[have](db, err);
			db->migrating = 0;
			if (st) {
				sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL,
					     NULL);
				return st;
			}
		}
		if (rc == SQLITE_OK) {
			snprintf(pragma, sizeof(pragma),
				 "PRAGMA user_version = %d", have + 1);
			rc = sqlite3_exec(db->sql, pragma, NULL, NULL, NULL);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			enum rcms_status st = db_sqlerr(db, rc, err);
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
			return st;
		}
		have++;
	}
	return RCMS_OK;
}
