/*
 * test_db.c - the db layer: migrations, identity, users and sessions,
 * agreements and holidays, the case use cases, notes, attachments, the
 * outbox, the audit chain and batches.
 *
 * Each test gets a fresh ":memory:" replica initialised for RS-MUP/W01
 * (tests/unit/testutil.c) with a data folder for attachments; the
 * migration and crash tests use a real file in a mkdtemp() folder.  The
 * clock is pinned at 2026-03-02T10:00:00Z.  The requested agency (PK-MOI)
 * is simulated on the same replica by acting with user.agency "PK-MOI".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "db/db.h"
#include "tests/unit/testutil.h"

#define ABC_SHA256 \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

#define assert_has(hay, needle)                                               \
	do {                                                                  \
		if (!strstr((hay), (needle)))                                 \
			fail_msg("'%s' not found in '%s'", (needle), (hay));  \
	} while (0)

#define assert_ok(expr, err)                                                  \
	do {                                                                  \
		enum rcms_status st_ = (expr);                                \
		if (st_ != RCMS_OK)                                           \
			fail_msg("%s: %s: %s", #expr, rcms_status_name(st_),  \
				 rcms_err_msg(err));                          \
	} while (0)

struct env {
	struct rcms_db *db;
	char dir[256];
	struct db_ctx admin, olga, sam, sue, pk, pksup;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	tu_mkdtemp(e->dir, sizeof(e->dir));
	e->db = tu_db_new(":memory:", e->dir);
	tu_user_add(e->db, "olga", RCMS_ROLE_OFFICER);
	tu_user_add(e->db, "sam", RCMS_ROLE_SUPERVISOR);
	tu_user_add(e->db, "sue", RCMS_ROLE_SUPERVISOR);
	tu_ctx(&e->admin, e->db, TU_ADMIN, RCMS_ROLE_ADMIN, TU_AGENCY);
	tu_ctx(&e->olga, e->db, "olga", RCMS_ROLE_OFFICER, TU_AGENCY);
	tu_ctx(&e->sam, e->db, "sam", RCMS_ROLE_SUPERVISOR, TU_AGENCY);
	tu_ctx(&e->sue, e->db, "sue", RCMS_ROLE_SUPERVISOR, TU_AGENCY);
	tu_ctx(&e->pk, e->db, "pkoff", RCMS_ROLE_OFFICER, "PK-MOI");
	tu_ctx(&e->pksup, e->db, "pksup", RCMS_ROLE_SUPERVISOR, "PK-MOI");
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	if (e) {
		/* whatever the test wrote, the caseload's counts (migration
		 * 8's triggers) still equal the cases */
		if (e->db)
			assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
		if (e->db)
			assert_int_equal(tu_int(e->db, TU_SEARCH_FACTS_DIFFER),
					 0);
		db_close(&e->db);
		tu_rmrf(e->dir);
		free(e);
	}
	return 0;
}

/* ---- helpers --------------------------------------------------------- */

static void create(struct db_ctx *ctx, const char *surname,
		   struct rcms_case *c)
{
	struct rcms_err err = {0};

	tu_case_fill(c, surname);
	assert_ok(db_case_create(ctx, c, NULL, 0, &err), &err);
}

static void step(struct db_ctx *ctx, const char *ref, const char *action,
		 const struct rcms_transition_args *a,
		 enum rcms_case_status want)
{
	struct rcms_case out;
	struct rcms_err err = {0};

	if (db_case_transition(ctx, ref, action, a, &out, &err) != RCMS_OK)
		fail_msg("%s as %s: %s", action, ctx->user.username,
			 rcms_err_msg(&err));
	assert_int_equal(out.status, want);
}

static enum rcms_case_status status_of(struct db_ctx *ctx, const char *ref)
{
	struct rcms_case c;
	struct rcms_err err = {0};

	assert_ok(db_case_get(ctx, ref, &c, &err), &err);
	return c.status;
}

static enum rcms_status edit1(struct db_ctx *ctx, const char *ref,
			      const char *field, const char *value,
			      struct rcms_err *err)
{
	struct db_change ch = {field, value};

	rcms_err_clear(err);
	return db_case_edit(ctx, ref, &ch, 1, err);
}

/* The outbox, as a list of operations with their payloads parsed. */
#define MAX_OPS 256
struct ops {
	int n;
	char type[MAX_OPS][32];
	char entity[MAX_OPS][RCMS_ID_LEN];
	char action[MAX_OPS][32];   /* transitions: the payload's action */
	int64_t base[MAX_OPS];
	int64_t seq[MAX_OPS];
};

static int collect_op(const struct db_op *op, void *arg)
{
	struct ops *o = arg;
	cJSON *j, *a;

	if (o->n >= MAX_OPS)
		return 1;
	snprintf(o->type[o->n], sizeof(o->type[0]), "%s", op->type);
	snprintf(o->entity[o->n], sizeof(o->entity[0]), "%s", op->entity_id);
	o->base[o->n] = op->base_rev;
	o->seq[o->n] = op->seq;
	o->action[o->n][0] = '\0';
	assert_string_equal(op->state, "pending");
	assert_true(tu_is_uuid7(op->op_id));
	/* every payload is a JSON object */
	j = cJSON_Parse(op->fields);
	if (!j || !cJSON_IsObject(j))
		fail_msg("op %lld: payload is not a JSON object: %s",
			 (long long)op->seq, op->fields);
	a = cJSON_GetObjectItemCaseSensitive(j, "action");
	if (cJSON_IsString(a))
		snprintf(o->action[o->n], sizeof(o->action[0]), "%s",
			 a->valuestring);
	cJSON_Delete(j);
	o->n++;
	return 0;
}

static void outbox(struct rcms_db *db, struct ops *o)
{
	struct rcms_err err = {0};

	memset(o, 0, sizeof(*o));
	assert_ok(db_outbox_list(db, collect_op, o, &err), &err);
}

/* The payload of the outbox operation with sequence number seq. */
static cJSON *op_payload(struct rcms_db *db, int64_t seq)
{
	char sql[96], buf[8192];
	cJSON *j;

	snprintf(sql, sizeof(sql), "SELECT fields FROM outbox WHERE seq = %lld",
		 (long long)seq);
	tu_text(db, sql, buf, sizeof(buf));
	j = cJSON_Parse(buf);
	if (!j)
		fail_msg("not JSON: %s", buf);
	return j;
}

static int64_t last_seq(struct rcms_db *db)
{
	return tu_int(db, "SELECT max(seq) FROM outbox");
}

static void audit_ok(struct rcms_db *db)
{
	struct rcms_err err = {0};
	int64_t n = -1;

	assert_ok(db_audit_verify(db, &n, &err), &err);
	assert_int_equal(n, tu_int(db, "SELECT count(*) FROM audit"));
}

static int64_t audit_count(struct rcms_db *db, const char *action)
{
	char sql[128];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit WHERE action = '%s'", action);
	return tu_int(db, sql);
}

static void path_join(char *buf, size_t size, const char *dir,
		      const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < size);
}

/* ---- open and migrations --------------------------------------------- */

static void test_open_args(void **state)
{
	struct rcms_db *db = (struct rcms_db *)1;
	struct rcms_err err = {0};
	char dir[256], path[300];

	(void)state;
	assert_int_equal(db_open(NULL, NULL, DB_OPEN_CREATE, &db, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_open(":memory:", NULL, DB_OPEN_CREATE, NULL, &err),
			 RCMS_ERR_INVALID);
	/* NULL err is allowed everywhere */
	assert_int_equal(db_open(NULL, NULL, 0, &db, NULL), RCMS_ERR_INVALID);

	tu_mkdtemp(dir, sizeof(dir));
	path_join(path, sizeof(path), dir, "missing.db");
	db = (struct rcms_db *)1;
	assert_int_equal(db_open(path, NULL, 0, &db, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_null(db);
	assert_has(err.msg, "rcms init");
	assert_int_equal(access(path, F_OK), -1);

	/* a file that is not a database */
	path_join(path, sizeof(path), dir, "junk.db");
	tu_write_file(path, "this is not an SQLite database, not at all.....",
		      strlen("this is not an SQLite database, not at all....."));
	assert_int_equal(db_open(path, NULL, 0, &db, &err), RCMS_ERR_DB);
	assert_null(db);
	assert_has(err.msg, "damaged");

	/* closing accepts NULL and a NULL pointer */
	db_close(NULL);
	db = NULL;
	db_close(&db);
	assert_null(db);
	tu_rmrf(dir);
}

static void test_migrate_memory(void **state)
{
	struct rcms_db *db = NULL;
	struct rcms_err err = {0};

	(void)state;
	assert_ok(db_open(":memory:", NULL, DB_OPEN_CREATE, &db, &err), &err);
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	assert_int_equal(tu_int(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM sqlite_master"
				    " WHERE type = 'table' AND name IN ('meta',"
				    " 'cases', 'outbox', 'audit', 'users',"
				    " 'sessions', 'agreements', 'holidays',"
				    " 'notes', 'attachments', 'blobs',"
				    " 'documents')"),
			 12);
	assert_int_equal(tu_int(db, "PRAGMA foreign_keys"), 1);
	/* migration 14: the search index merges sixteen segments at once */
	assert_int_equal(tu_int(db, "SELECT v FROM search_fts_config"
				    " WHERE k = 'automerge'"),
			 16);
	db_close(&db);
	assert_null(db);
}

/* Commits of 100 pages each (4,000 bytes a row) into table fill. */
static void fill_pages(struct rcms_db *db, int commits)
{
	int i;

	for (i = 0; i < commits; i++)
		tu_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
			    " SELECT i + 1 FROM n WHERE i < 100)"
			    " INSERT INTO fill SELECT randomblob(4000) FROM n");
}

static off_t file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* The checkpointer: while it runs, its thread copies the WAL into the
 * database (SQLite's own checkpoint is off here, so nothing else would);
 * stopped, SQLite's own is back at 1,000 pages; started twice, once;
 * nothing for an in-memory database; db_close stops it. */
static void test_checkpointer(void **state)
{
	struct rcms_db *db = NULL;
	struct rcms_err err = {0};
	char dir[256], path[300];
	off_t before;
	int i;

	(void)state;
	assert_ok(db_open(":memory:", NULL, DB_OPEN_CREATE, &db, &err), &err);
	assert_ok(db_checkpointer_start(db, &err), &err);
	db_checkpointer_stop(db);
	db_close(&db);

	tu_mkdtemp(dir, sizeof(dir));
	path_join(path, sizeof(path), dir, "rcms.db");
	db = tu_db_new(path, NULL);
	tu_exec(db, "CREATE TABLE fill(x BLOB)");
	tu_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	tu_exec(db, "PRAGMA wal_autocheckpoint = 0");
	before = file_size(path);
	assert_ok(db_checkpointer_start(db, &err), &err);
	assert_ok(db_checkpointer_start(db, &err), &err);
	/* 4,000 pages, 16 MB: the thread copies them, in its own time */
	fill_pages(db, 40);
	for (i = 0; i < 200 && file_size(path) < before + 8 * 1048576; i++)
		usleep(50 * 1000);
	assert_true(file_size(path) >= before + 8 * 1048576);
	db_checkpointer_stop(db);
	db_checkpointer_stop(db);
	assert_int_equal(tu_int(db, "PRAGMA wal_autocheckpoint"), 1000);

	/* stopped: the committer that passes 1,000 pages copies them */
	tu_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	before = file_size(path);
	fill_pages(db, 20);
	assert_true(file_size(path) >= before + 4 * 1048576);

	/* closed while it runs */
	assert_ok(db_checkpointer_start(db, &err), &err);
	fill_pages(db, 15);
	db_close(&db);
	assert_null(db);
	tu_rmrf(dir);
}

static void test_migrate_file(void **state)
{
	struct rcms_db *db = NULL;
	struct rcms_err err = {0};
	struct db_identity id;
	char dir[256], path[300];
	struct stat sb;
	int64_t objects, audit;
	sqlite3 *raw = NULL;

	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	path_join(path, sizeof(path), dir, "rcms.db");

	/* an empty file is migrated */
	tu_write_file(path, "", 0);
	assert_ok(db_open(path, NULL, 0, &db, &err), &err);
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	db_close(&db);
	unlink(path);

	/* a new file is created private (0600 whatever the umask) */
	db = tu_db_new(path, NULL);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0077, 0);
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	{
		char mode[16];
		tu_text(db, "PRAGMA journal_mode", mode, sizeof(mode));
		assert_string_equal(mode, "wal");
	}
	objects = tu_int(db, "SELECT count(*) FROM sqlite_master");
	audit = tu_int(db, "SELECT count(*) FROM audit");
	assert_true(objects > 10);
	db_close(&db);

	/* reopening does not run the migrations again (they would fail on
	 * the existing tables) and keeps the data */
	assert_ok(db_open(path, NULL, 0, &db, &err), &err);
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM sqlite_master"),
			 objects);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM audit"), audit);
	assert_ok(db_identity_get(db, &id, &err), &err);
	assert_string_equal(id.agency, TU_AGENCY);
	audit_ok(db);
	db_close(&db);

	/* a replica written by a newer rcms is refused, untouched */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	{
		char newer[64];
		snprintf(newer, sizeof(newer), "PRAGMA user_version = %d",
			 DB_SCHEMA_VERSION + 1);
		assert_int_equal(sqlite3_exec(raw, newer, NULL, NULL, NULL),
				 SQLITE_OK);
	}
	sqlite3_close(raw);
	db = (struct rcms_db *)1;
	rcms_err_clear(&err);
	assert_int_equal(db_open(path, NULL, 0, &db, &err), RCMS_ERR_DB);
	assert_null(db);
	assert_has(err.msg, "newer rcms");
	{
		char want[32];
		snprintf(want, sizeof(want), "schema %d",
			 DB_SCHEMA_VERSION + 1);
		assert_has(err.msg, want);
	}
	assert_has(err.msg, "update rcms");
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	{
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA user_version",
						    -1, &s, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(s, 0),
				 DB_SCHEMA_VERSION + 1);
		sqlite3_finalize(s);
	}
	sqlite3_close(raw);
	tu_rmrf(dir);
}

/* ---- init and identity ----------------------------------------------- */

static void test_init(void **state)
{
	struct rcms_db *db = NULL;
	struct rcms_err err = {0};
	struct db_init_args a;
	struct db_identity id;
	char buf[64];

	(void)state;
	assert_ok(db_open(":memory:", NULL, DB_OPEN_CREATE, &db, &err), &err);
	assert_int_equal(db_identity_get(db, &id, &err), RCMS_ERR_CONFIG);
	assert_has(err.msg, "rcms init");
	assert_int_equal(db_init(NULL, NULL, &err), RCMS_ERR_INVALID);
	assert_int_equal(db_init(db, NULL, &err), RCMS_ERR_INVALID);

#define BAD_INIT(member, value, fld)                                        \
	do {                                                                  \
		tu_init_args(&a);                                             \
		a.member = (value);                                           \
		rcms_err_clear(&err);                                         \
		assert_int_equal(db_init(db, &a, &err), RCMS_ERR_INVALID);    \
		assert_string_equal(err.field, (fld));                        \
	} while (0)
	BAD_INIT(agency, NULL, "agency");
	BAD_INIT(agency, "", "agency");
	BAD_INIT(agency, "rs-mup", "agency");
	BAD_INIT(agency, "RSMUP", "agency");
	BAD_INIT(agency, "QQ-MUP", "agency");      /* no such country */
	BAD_INIT(workstation, NULL, "workstation");
	BAD_INIT(workstation, "", "workstation");
	BAD_INIT(workstation, "w01", "workstation");
	BAD_INIT(workstation, "W01-LONGER-THAN-16", "workstation");
	BAD_INIT(admin_user, NULL, "username");
	BAD_INIT(admin_user, "", "username");
	BAD_INIT(admin_user, "Admin", "username");
	BAD_INIT(admin_password, NULL, "password");
	BAD_INIT(admin_password, "", "password");
	BAD_INIT(admin_password, "short", "password");
#undef BAD_INIT
	/* nothing was written by the refused attempts */
	assert_int_equal(tu_int(db, "SELECT count(*) FROM meta"), 0);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM users"), 0);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM audit"), 0);

	tu_init_args(&a);
	a.holidays = (const struct rcms_holiday[]){{"RS", 2026, 1, 7}};
	a.n_holidays = 1;
	assert_ok(db_init(db, &a, &err), &err);
	assert_ok(db_identity_get(db, &id, &err), &err);
	assert_string_equal(id.agency, "RS-MUP");
	assert_string_equal(id.workstation, "W01");
	assert_string_equal(id.country, "RS");
	assert_ok(db_meta_get(db, "agency", buf, sizeof(buf), &err), &err);
	assert_string_equal(buf, "RS-MUP");
	assert_int_equal(db_meta_get(db, "no-such-key", buf, sizeof(buf),
				     &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM agreements"), 3);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM holidays"), 1);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM users WHERE"
				    " username = 'admin' AND role = 'admin'"
				    " AND agency = 'RS-MUP'"),
			 1);
	assert_int_equal(audit_count(db, "init"), 1);
	audit_ok(db);

	/* twice is refused, and changes nothing */
	tu_init_args(&a);
	a.agency = "AL-MUP";
	assert_int_equal(db_init(db, &a, &err), RCMS_ERR_EXISTS);
	assert_has(err.msg, "already initialised");
	assert_ok(db_identity_get(db, &id, &err), &err);
	assert_string_equal(id.agency, "RS-MUP");
	assert_int_equal(tu_int(db, "SELECT count(*) FROM users"), 1);
	db_close(&db);
}

static void test_init_all_or_nothing(void **state)
{
	struct rcms_db *db = NULL;
	struct rcms_err err = {0};
	struct db_init_args a;
	struct rcms_agreement bad[2];

	(void)state;
	assert_ok(db_open(":memory:", NULL, DB_OPEN_CREATE, &db, &err), &err);
	tu_init_args(&a);
	tu_agreement_wb(&bad[0]);
	tu_agreement_pk(&bad[1]);
	snprintf(bad[1].countries, sizeof(bad[1].countries), "PK QQ");
	a.agreements = bad;
	a.n_agreements = 2;
	assert_int_equal(db_init(db, &a, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "countries");
	assert_int_equal(tu_int(db, "SELECT count(*) FROM meta"), 0);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM users"), 0);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM agreements"), 0);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM agencies"), 0);
	/* a bad holiday too */
	tu_init_args(&a);
	a.holidays = (const struct rcms_holiday[]){{"RS", 2026, 2, 30}};
	a.n_holidays = 1;
	assert_int_equal(db_init(db, &a, &err), RCMS_ERR_INVALID);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM meta"), 0);
	/* and then it works */
	tu_init_args(&a);
	assert_ok(db_init(db, &a, &err), &err);
	db_close(&db);
}

/* ---- users ------------------------------------------------------------ */

static void test_user_add(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct db_user u, got;
	char long_pw[300];
	static const char *const bad_names[] = {
		"", "Bob", "1bob", "bo b", "bob!", "b\xc3\xa9",
		"-bob", "abcdefghijabcdefghijabcdefghijabc", /* 33 */
	};
	size_t i;

	memset(&u, 0, sizeof(u));
	snprintf(u.username, sizeof(u.username), "bob");
	snprintf(u.full_name, sizeof(u.full_name), "Bob Builder");
	u.role = RCMS_ROLE_OFFICER;
	snprintf(u.agency, sizeof(u.agency), "PK-MOI"); /* ignored */

	/* only an administrator adds users */
	assert_int_equal(db_user_add(&e->olga, &u, TU_PASSWORD, &tu_cost, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_user_add(&e->sam, &u, TU_PASSWORD, &tu_cost, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_user_get(e->db, "bob", &got, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_user_add(NULL, &u, TU_PASSWORD, &tu_cost, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_add(&e->admin, NULL, TU_PASSWORD, &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);

	assert_ok(db_user_add(&e->admin, &u, TU_PASSWORD, &tu_cost, &err),
		  &err);
	assert_ok(db_user_get(e->db, "bob", &got, &err), &err);
	assert_string_equal(got.username, "bob");
	assert_string_equal(got.full_name, "Bob Builder");
	assert_int_equal(got.role, RCMS_ROLE_OFFICER);
	assert_string_equal(got.agency, "RS-MUP"); /* the replica's agency */
	assert_true(got.enabled);
	assert_int_equal(got.failed_logins, 0);
	assert_int_equal(got.created_at, TU_NOW);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM users WHERE"
				       " pw_hash LIKE '$argon2id$%'"),
			 5);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM users WHERE"
				       " pw_hash LIKE '%correct%'"),
			 0);

	/* duplicates */
	rcms_err_clear(&err);
	assert_int_equal(db_user_add(&e->admin, &u, TU_PASSWORD, &tu_cost,
				     &err),
			 RCMS_ERR_EXISTS);
	assert_string_equal(err.field, "username");
	assert_has(err.msg, "already exists");

	/* bad names */
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		snprintf(u.username, sizeof(u.username), "%s", bad_names[i]);
		rcms_err_clear(&err);
		if (db_user_add(&e->admin, &u, TU_PASSWORD, &tu_cost, &err) !=
		    RCMS_ERR_INVALID)
			fail_msg("user name '%s' was accepted", bad_names[i]);
		assert_string_equal(err.field, "username");
	}
	/* 32 characters, digits . _ - are fine */
	snprintf(u.username, sizeof(u.username),
		 "a.b_c-d9abcdefghijabcdefghijabcd");
	assert_int_equal(strlen(u.username), 32);
	assert_ok(db_user_add(&e->admin, &u, TU_PASSWORD, &tu_cost, &err),
		  &err);

	/* passwords */
	snprintf(u.username, sizeof(u.username), "carol");
	rcms_err_clear(&err);
	assert_int_equal(db_user_add(&e->admin, &u, NULL, &tu_cost, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "password");
	assert_int_equal(db_user_add(&e->admin, &u, "", &tu_cost, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_add(&e->admin, &u, "123456789", &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "password");
	assert_has(err.msg, "too short");
	memset(long_pw, 'x', 257);
	long_pw[257] = '\0';
	assert_int_equal(db_user_add(&e->admin, &u, long_pw, &tu_cost, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_add(&e->admin, &u, "password\xff\xfe", &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);
	assert_has(err.msg, "UTF-8");

	/* a bad full name or role */
	snprintf(u.full_name, sizeof(u.full_name), "Carol\nEvil");
	assert_int_equal(db_user_add(&e->admin, &u, TU_PASSWORD, &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);
	snprintf(u.full_name, sizeof(u.full_name), "Carol");
	u.role = (enum rcms_role)3;
	rcms_err_clear(&err);
	assert_int_equal(db_user_add(&e->admin, &u, TU_PASSWORD, &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "role");
	u.role = (enum rcms_role)0;
	assert_int_equal(db_user_add(&e->admin, &u, TU_PASSWORD, &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_get(e->db, "carol", &got, &err),
			 RCMS_ERR_NOT_FOUND);

	/* the policy (app/password.h) on the user being added: not built on
	 * the user name, not a common password; the minimum is the cost's */
	u.role = RCMS_ROLE_SUPERVISOR;
	assert_int_equal(db_user_add(&e->admin, &u, "Carol-Carol-12", &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "password");
	assert_has(err.msg, "user name");
	assert_int_equal(db_user_add(&e->admin, &u, "Password2026!", &tu_cost,
				     &err),
			 RCMS_ERR_INVALID);
	assert_has(err.msg, "common");
	{
		struct db_password_cost longer = tu_cost;
		longer.min_chars = 16;
		assert_int_equal(db_user_add(&e->admin, &u, "0123456789ab",
					     &longer, &err),
				 RCMS_ERR_INVALID);
		assert_has(err.msg, "at least 16 characters");
	}
	assert_int_equal(db_user_get(e->db, "carol", &got, &err),
			 RCMS_ERR_NOT_FOUND);
	/* exactly 12 characters is enough */
	assert_ok(db_user_add(&e->admin, &u, "0123456789ab", &tu_cost, &err),
		  &err);
	assert_int_equal(audit_count(e->db, "user.add"), 3 + 3);
	audit_ok(e->db);
}

/* Lists built by the callbacks below: buffers of LIST_BUF bytes. */
#define LIST_BUF 256

static void list_add(char *buf, const char *item, const char *sep)
{
	size_t used = strlen(buf);

	snprintf(buf + used, LIST_BUF - used, "%s%s", item, sep);
}

static int collect_user(const struct db_user *u, void *arg)
{
	char *names = arg;

	list_add(names, u->username, ",");
	return strcmp(u->username, "sam") == 0;
}

static void test_user_list(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	char names[LIST_BUF] = "";

	assert_ok(db_user_list(&e->admin, collect_user, names, &err), &err);
	/* ordered by name; the callback stops after sam */
	assert_string_equal(names, "admin,olga,sam,");
}

static void test_login(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct db_user u;
	char wrong_msg[512];
	const struct db_login_policy pol = {3, 600};

	memset(&u, 0, sizeof(u));
	assert_ok(db_login(e->db, "olga", TU_PASSWORD, &pol, TU_NOW, &u, &err),
		  &err);
	assert_string_equal(u.username, "olga");
	assert_int_equal(u.role, RCMS_ROLE_OFFICER);
	assert_string_equal(u.agency, "RS-MUP");
	assert_int_equal(audit_count(e->db, "login"), 1);

	/* the out pointer and the policy may be NULL */
	assert_ok(db_login(e->db, "olga", TU_PASSWORD, NULL, TU_NOW, NULL,
			   &err),
		  &err);

	rcms_err_clear(&err);
	assert_int_equal(db_login(e->db, "olga", "wrong password!", &pol,
				  TU_NOW, &u, &err),
			 RCMS_ERR_AUTH);
	snprintf(wrong_msg, sizeof(wrong_msg), "%s", err.msg);
	assert_string_equal(wrong_msg, "wrong user name or password");

	/* an unknown user gets exactly the same answer */
	rcms_err_clear(&err);
	assert_int_equal(db_login(e->db, "nobody", TU_PASSWORD, &pol, TU_NOW,
				  &u, &err),
			 RCMS_ERR_AUTH);
	assert_string_equal(err.msg, wrong_msg);
	assert_string_equal(err.field, "");
	rcms_err_clear(&err);
	assert_int_equal(db_login(e->db, "", TU_PASSWORD, &pol, TU_NOW, &u,
				  &err),
			 RCMS_ERR_AUTH);
	assert_string_equal(err.msg, wrong_msg);
	assert_int_equal(db_login(e->db, NULL, TU_PASSWORD, &pol, TU_NOW, &u,
				  &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_login(e->db, "olga", NULL, &pol, TU_NOW, &u, &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_login(e->db, "olga", "", &pol, TU_NOW, &u, &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_login(NULL, "olga", TU_PASSWORD, &pol, TU_NOW, &u,
				  &err),
			 RCMS_ERR_AUTH);
	/* failures are audited, the password never */
	assert_true(audit_count(e->db, "login.failed") >= 3);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM audit WHERE"
				       " detail LIKE '%wrong password!%'"
				       " OR detail LIKE '%correct horse%'"),
			 0);
	audit_ok(e->db);
}

static void test_lockout(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct db_user u;
	const struct db_login_policy pol = {3, 600};
	int64_t t = TU_NOW;
	int i;

	for (i = 0; i < 2; i++)
		assert_int_equal(db_login(e->db, "olga", "not the password",
					  &pol, t, &u, &err),
				 RCMS_ERR_AUTH);
	assert_ok(db_user_get(e->db, "olga", &u, &err), &err);
	assert_int_equal(u.failed_logins, 2);
	assert_int_equal(u.locked_until, 0);
	/* the third failure locks the account for 10 minutes */
	assert_int_equal(db_login(e->db, "olga", "not the password", &pol, t,
				  &u, &err),
			 RCMS_ERR_AUTH);
	assert_ok(db_user_get(e->db, "olga", &u, &err), &err);
	assert_int_equal(u.locked_until, t + 600);
	/* even the right password is refused while locked */
	rcms_err_clear(&err);
	assert_int_equal(db_login(e->db, "olga", TU_PASSWORD, &pol, t + 1, &u,
				  &err),
			 RCMS_ERR_PERMISSION);
	assert_has(err.msg, "locked");
	assert_has(err.msg, "10 minutes");
	/* until when, in UTC, to the minute (TU_NOW is 2026-03-02 10:00) */
	assert_has(err.msg, "until 2026-03-02 10:10 UTC");
	/* the lock itself is an audit entry, with the failure that made it */
	assert_int_equal(audit_count(e->db, "login.locked"), 1);
	assert_int_equal(audit_count(e->db, "login.failed"), 3);
	assert_int_equal(db_login(e->db, "olga", TU_PASSWORD, &pol, t + 599,
				  &u, &err),
			 RCMS_ERR_PERMISSION);
	assert_true(audit_count(e->db, "login.refused") >= 2);
	/* other users are not affected */
	assert_ok(db_login(e->db, "sam", TU_PASSWORD, &pol, t + 1, &u, &err),
		  &err);
	/* the lock expires; a good login clears the counter */
	assert_ok(db_login(e->db, "olga", TU_PASSWORD, &pol, t + 600, &u,
			   &err),
		  &err);
	assert_ok(db_user_get(e->db, "olga", &u, &err), &err);
	assert_int_equal(u.failed_logins, 0);
	assert_int_equal(u.locked_until, 0);

	/* lock again, let it expire: one more typo does not lock again at
	 * once; the count starts afresh after a lock */
	t += 3600;
	for (i = 0; i < 3; i++)
		assert_int_equal(db_login(e->db, "olga", "not the password",
					  &pol, t, &u, &err),
				 RCMS_ERR_AUTH);
	assert_int_equal(db_login(e->db, "olga", TU_PASSWORD, &pol, t + 1, &u,
				  &err),
			 RCMS_ERR_PERMISSION);
	rcms_err_clear(&err);
	assert_int_equal(db_login(e->db, "olga", "not the password", &pol,
				  t + 700, &u, &err),
			 RCMS_ERR_AUTH);
	assert_ok(db_login(e->db, "olga", TU_PASSWORD, &pol, t + 701, &u,
			   &err),
		  &err);
	/* two locks, two entries; the failure after the second did not lock */
	assert_int_equal(audit_count(e->db, "login.locked"), 2);
	audit_ok(e->db);
}

/* The agency directory: every account change writes its operation for
 * the exchange with the change; a page from the exchange is applied
 * account by account, leaving alone one with a change of its own still
 * to send; a password changed elsewhere ends the sessions here, an
 * account this workstation made and the directory had already does not. */
static void test_directory(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct db_user nu, u;
	struct db_dir_user d[3];
	char token[65], hash[256];
	size_t changed = 0;
	cJSON *j;

	memset(&nu, 0, sizeof(nu));
	snprintf(nu.username, sizeof(nu.username), "vera");
	snprintf(nu.full_name, sizeof(nu.full_name), "Vera V.");
	nu.role = RCMS_ROLE_OFFICER;
	e->admin.now = TU_NOW;
	assert_ok(db_user_add(&e->admin, &nu, TU_PASSWORD, &tu_cost, &err),
		  &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox"), 1);
	j = op_payload(e->db, last_seq(e->db));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
				    j, "username")), "vera");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
				    j, "role")), "officer");
	tu_text(e->db, "SELECT pw_hash FROM users WHERE username = 'vera'",
		hash, sizeof(hash));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
				    j, "pw_hash")), hash);
	cJSON_Delete(j);
	assert_ok(db_user_edit(&e->admin, "vera", NULL, RCMS_ROLE_SUPERVISOR,
			       &err), &err);
	assert_ok(db_user_enable(&e->admin, "vera", false, &err), &err);
	assert_ok(db_user_passwd(&e->admin, "olga", "another-Passw0rd-here",
				 &tu_cost, &err), &err);
	tu_text(e->db, "SELECT pw_hash FROM users WHERE username = 'olga'",
		hash, sizeof(hash));
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox WHERE"
				       " type = 'user.update'"), 2);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox WHERE"
				       " type = 'user.password' AND"
				       " json_extract(fields, '$.username')"
				       " = 'olga'"), 1);
	rcms_err_clear(&err);
	assert_int_equal(db_user_edit(&e->admin, TU_ADMIN, NULL,
				      RCMS_ROLE_OFFICER, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_edit(&e->olga, "sam", "X", -1, &err),
			 RCMS_ERR_PERMISSION);

	/* a page: sam's new password (made elsewhere), a new account, and
	 * vera, whose changes here wait to be sent */
	tu_exec(e->db, "DELETE FROM outbox WHERE json_extract(fields,"
		       " '$.username') <> 'vera'");
	tu_exec(e->db, "UPDATE users SET dir_seq = 1");
	e->sam.now = TU_NOW;
	assert_ok(db_session_open(&e->sam, TU_NOW + 3600, token, &err), &err);
	memset(d, 0, sizeof(d));
	snprintf(d[0].username, sizeof(d[0].username), "sam");
	snprintf(d[0].full_name, sizeof(d[0].full_name), "Test sam");
	d[0].role = RCMS_ROLE_SUPERVISOR;
	snprintf(d[0].pw_hash, sizeof(d[0].pw_hash), "%s", hash);
	d[0].enabled = true;
	d[0].seq = 7;
	snprintf(d[0].updated_by, sizeof(d[0].updated_by), "sam");
	snprintf(d[0].updated_on, sizeof(d[0].updated_on), "W02");
	d[1] = d[0];
	snprintf(d[1].username, sizeof(d[1].username), "nina");
	d[1].role = RCMS_ROLE_OFFICER;
	d[1].seq = 8;
	d[2] = d[1];
	snprintf(d[2].username, sizeof(d[2].username), "vera");
	d[2].role = RCMS_ROLE_ADMIN;
	d[2].seq = 9;
	assert_ok(db_directory_apply(&e->admin, d, 3, 9, &changed, &err),
		  &err);
	assert_int_equal(changed, 2);
	assert_int_equal(db_directory_cursor(e->db), 9);
	/* sam's session ended: his password was changed elsewhere */
	assert_int_equal(db_session_check(e->db, token, TU_NOW + 10, 0, &u,
					  &err),
			 RCMS_ERR_AUTH);
	assert_ok(db_login(e->db, "sam", "another-Passw0rd-here", NULL,
			   TU_NOW, &u, &err), &err);
	assert_ok(db_user_get(e->db, "nina", &u, &err), &err);
	assert_int_equal(u.role, RCMS_ROLE_OFFICER);
	assert_string_equal(u.agency, TU_AGENCY);
	/* vera keeps what was done here until the exchange answers it */
	assert_ok(db_user_get(e->db, "vera", &u, &err), &err);
	assert_int_equal(u.role, RCMS_ROLE_SUPERVISOR);
	assert_false(u.enabled);
	assert_int_equal(audit_count(e->db, "user.sync"), 1);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM audit WHERE"
				       " action = 'user.add' AND detail ="
				       " 'nina as officer (from sam on W02)'"),
			 1);

	/* an account made here that the directory has: taken, its session
	 * kept (dir_seq 0: never heard back) */
	tu_exec(e->db, "UPDATE users SET dir_seq = 0 WHERE username = 'sue'");
	e->sue.now = TU_NOW;
	assert_ok(db_session_open(&e->sue, TU_NOW + 3600, token, &err), &err);
	snprintf(d[0].username, sizeof(d[0].username), "sue");
	d[0].seq = 10;
	assert_ok(db_directory_apply(&e->admin, d, 1, 10, &changed, &err),
		  &err);
	assert_ok(db_session_check(e->db, token, TU_NOW + 10, 0, &u, &err),
		  &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM audit WHERE"
				       " action = 'user.sync' AND detail LIKE"
				       " 'sue: this workstation''s account"
				       " replaced%'"), 1);

	/* retiring: an admin's, never this workstation */
	rcms_err_clear(&err);
	assert_int_equal(db_workstation_retire(&e->admin, TU_WORKSTATION,
					       NULL, &err),
			 RCMS_ERR_INVALID);
	assert_has(err.msg, "cannot retire itself");
	assert_int_equal(db_workstation_retire(&e->olga, "W09", NULL, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_workstation_retire(&e->admin, "w09", NULL, &err),
			 RCMS_ERR_INVALID);
	assert_ok(db_workstation_retire(&e->admin, "W09", "stolen", &err),
		  &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox WHERE"
				       " type = 'workstation.retire' AND"
				       " json_extract(fields, '$.reason')"
				       " = 'stolen'"), 1);
	audit_ok(e->db);
}

static void test_disabled(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct db_user u;
	char token[65];

	e->olga.now = TU_NOW;
	assert_ok(db_session_open(&e->olga, TU_NOW + 3600, token, &err), &err);
	assert_int_equal(db_user_enable(&e->olga, "sam", false, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_user_enable(&e->sam, "olga", false, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_user_enable(&e->admin, "nobody", false, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_user_enable(&e->admin, "", false, &err),
			 RCMS_ERR_NOT_FOUND);
	rcms_err_clear(&err);
	assert_int_equal(db_user_enable(&e->admin, TU_ADMIN, false, &err),
			 RCMS_ERR_INVALID);
	assert_has(err.msg, "your own account");

	assert_ok(db_user_enable(&e->admin, "olga", false, &err), &err);
	assert_ok(db_user_get(e->db, "olga", &u, &err), &err);
	assert_false(u.enabled);
	rcms_err_clear(&err);
	assert_int_equal(db_login(e->db, "olga", TU_PASSWORD, NULL, TU_NOW, &u,
				  &err),
			 RCMS_ERR_PERMISSION);
	assert_has(err.msg, "disabled");
	/* an open session stops working too */
	assert_int_equal(db_session_check(e->db, token, TU_NOW + 10, 0, &u,
					  &err),
			 RCMS_ERR_PERMISSION);
	assert_ok(db_user_enable(&e->admin, "olga", true, &err), &err);
	assert_ok(db_login(e->db, "olga", TU_PASSWORD, NULL, TU_NOW, &u, &err),
		  &err);
	assert_ok(db_session_check(e->db, token, TU_NOW + 10, 0, &u, &err),
		  &err);
	assert_int_equal(audit_count(e->db, "user.disable"), 1);
	assert_int_equal(audit_count(e->db, "user.enable"), 1);
	audit_ok(e->db);
}

static void test_sessions(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct db_user u;
	char token[65], other[65];
	size_t i;

	assert_ok(db_session_open(&e->olga, TU_NOW + 8 * 3600, token, &err),
		  &err);
	assert_int_equal(strlen(token), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", token[i]));
	/* only the token's hash is stored */
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM sessions"), 1);
	{
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM sessions WHERE token_hash = '%s'",
			 token);
		assert_int_equal(tu_int(e->db, sql), 0);
	}
	assert_ok(db_session_open(&e->sam, TU_NOW + 8 * 3600, other, &err),
		  &err);
	assert_string_not_equal(token, other);

	memset(&u, 0, sizeof(u));
	assert_ok(db_session_check(e->db, token, TU_NOW + 10, 900, &u, &err),
		  &err);
	assert_string_equal(u.username, "olga");
	assert_ok(db_session_check(e->db, other, TU_NOW + 10, 900, &u, &err),
		  &err);
	assert_string_equal(u.username, "sam");

	/* idle: more than 900 s since the last use ends it... */
	rcms_err_clear(&err);
	assert_int_equal(db_session_check(e->db, token, TU_NOW + 901, 900, &u,
					  &err),
			 RCMS_ERR_AUTH);
	assert_has(err.msg, "login");
	/* ...and each use moves the last use on (at most once a minute) */
	assert_ok(db_session_check(e->db, other, TU_NOW + 600, 900, &u, &err),
		  &err);
	assert_ok(db_session_check(e->db, other, TU_NOW + 1400, 900, &u, &err),
		  &err);
	/* no idle limit */
	assert_ok(db_session_check(e->db, token, TU_NOW + 5000, 0, &u, &err),
		  &err);
	/* expiry is absolute */
	assert_int_equal(db_session_check(e->db, token, TU_NOW + 8 * 3600, 0,
					  &u, &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_session_check(e->db, token, TU_NOW + 8 * 3600 - 1,
					  0, &u, &err),
			 RCMS_OK);

	/* bad tokens */
	assert_int_equal(db_session_check(e->db, NULL, TU_NOW, 0, &u, &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_session_check(e->db, "", TU_NOW, 0, &u, &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_session_check(e->db, "abc", TU_NOW, 0, &u, &err),
			 RCMS_ERR_AUTH);
	{
		char forged[65];
		memcpy(forged, token, sizeof(forged));
		forged[0] = forged[0] == 'a' ? 'b' : 'a';
		assert_int_equal(db_session_check(e->db, forged, TU_NOW, 0, &u,
						  &err),
				 RCMS_ERR_AUTH);
	}

	/* close */
	assert_ok(db_session_close(e->db, token, &err), &err);
	assert_int_equal(db_session_check(e->db, token, TU_NOW + 20, 0, &u,
					  &err),
			 RCMS_ERR_AUTH);
	assert_ok(db_session_close(e->db, token, &err), &err); /* twice */
	assert_ok(db_session_close(e->db, NULL, &err), &err);
	assert_ok(db_session_close(e->db, "", &err), &err);
	assert_ok(db_session_check(e->db, other, TU_NOW + 1500, 900, &u, &err),
		  &err);

	/* expired sessions are swept when a new one opens */
	e->olga.now = TU_NOW + 9 * 3600;
	assert_ok(db_session_open(&e->olga, e->olga.now + 60, token, &err),
		  &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM sessions"), 1);
}

static void test_passwd(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct db_user u;
	char token[65], token2[65];
	static const char newpw[] = "a new password 2026";

	assert_ok(db_session_open(&e->olga, TU_NOW + 3600, token, &err), &err);
	assert_ok(db_session_open(&e->olga, TU_NOW + 3600, token2, &err),
		  &err);
	/* another user's password: only an administrator */
	assert_int_equal(db_user_passwd(&e->olga, "sam", newpw, &tu_cost,
					&err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_user_passwd(&e->sue, "sam", newpw, &tu_cost, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_user_passwd(NULL, "olga", newpw, &tu_cost, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_passwd(&e->olga, NULL, newpw, &tu_cost, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_passwd(&e->olga, "olga", NULL, &tu_cost, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_passwd(&e->olga, "olga", "short", &tu_cost,
					&err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_user_passwd(&e->admin, "nobody", newpw, &tu_cost,
					&err),
			 RCMS_ERR_NOT_FOUND);
	/* nothing changed so far */
	assert_ok(db_session_check(e->db, token, TU_NOW, 0, &u, &err), &err);

	/* one's own; it ends every session of the user */
	assert_ok(db_user_passwd(&e->olga, "olga", newpw, &tu_cost, &err),
		  &err);
	assert_int_equal(db_session_check(e->db, token, TU_NOW + 1, 0, &u,
					  &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_session_check(e->db, token2, TU_NOW + 1, 0, &u,
					  &err),
			 RCMS_ERR_AUTH);
	assert_int_equal(db_login(e->db, "olga", TU_PASSWORD, NULL, TU_NOW, &u,
				  &err),
			 RCMS_ERR_AUTH);
	assert_ok(db_login(e->db, "olga", newpw, NULL, TU_NOW, &u, &err),
		  &err);

	/* an administrator resets a locked account's password and lock */
	{
		const struct db_login_policy pol = {2, 600};
		int i;
		for (i = 0; i < 2; i++)
			db_login(e->db, "sam", "wrong wrong", &pol, TU_NOW, &u,
				 NULL);
		assert_int_equal(db_login(e->db, "sam", TU_PASSWORD, &pol,
					  TU_NOW, &u, &err),
				 RCMS_ERR_PERMISSION);
		assert_ok(db_user_passwd(&e->admin, "sam", newpw, &tu_cost,
					 &err),
			  &err);
		assert_ok(db_login(e->db, "sam", newpw, &pol, TU_NOW, &u,
				   &err),
			  &err);
	}
	assert_int_equal(audit_count(e->db, "user.passwd"), 2);
	audit_ok(e->db);
}

/* ---- agreements and holidays ----------------------------------------- */

static void agreement_equal(const struct rcms_agreement *a,
			    const struct rcms_agreement *b)
{
	assert_string_equal(a->code, b->code);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->countries, b->countries);
	assert_int_equal(a->reply.n, b->reply.n);
	assert_int_equal(a->reply.unit, b->reply.unit);
	assert_int_equal(a->reply_accelerated.n, b->reply_accelerated.n);
	assert_int_equal(a->reply_accelerated.unit, b->reply_accelerated.unit);
	assert_int_equal(a->extension_max_days, b->extension_max_days);
	assert_int_equal(a->silence_accepts, b->silence_accepts);
	assert_int_equal(a->transfer.n, b->transfer.n);
	assert_int_equal(a->transfer.unit, b->transfer.unit);
	assert_int_equal(a->transit_reply.n, b->transit_reply.n);
	assert_int_equal(a->transit_reply.unit, b->transit_reply.unit);
	assert_int_equal(a->transit.n, b->transit.n);
	assert_int_equal(a->transit.unit, b->transit.unit);
	assert_string_equal(a->source, b->source);
	assert_string_equal(a->note, b->note);
}

static int collect_agreement(const struct rcms_agreement *a, void *arg)
{
	char *codes = arg;

	list_add(codes, a->code, ",");
	return 0;
}

static int stop_first_agreement(const struct rcms_agreement *a, void *arg)
{
	(void)a;
	++*(int *)arg;
	return 1;
}

static void test_agreement_get(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_agreement a, want;
	char codes[LIST_BUF] = "";
	int n = 0;

	assert_ok(db_agreement_get(e->db, "EU-PK", &a, &err), &err);
	tu_agreement_pk(&want);
	agreement_equal(&a, &want);
	assert_ok(db_agreement_get(e->db, "EU-WB", &a, &err), &err);
	tu_agreement_wb(&want);
	agreement_equal(&a, &want);
	assert_ok(db_agreement_get(e->db, "EU-AFBD", &a, &err), &err);
	assert_false(a.silence_accepts);
	rcms_err_clear(&err);
	assert_int_equal(db_agreement_get(e->db, "EU-XX", &a, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_string_equal(err.field, "agreement");
	assert_int_equal(db_agreement_get(e->db, "", &a, &err),
			 RCMS_ERR_NOT_FOUND);

	assert_ok(db_agreement_for_country(e->db, "PK", &a, &err), &err);
	assert_string_equal(a.code, "EU-PK");
	assert_ok(db_agreement_for_country(e->db, "AL", &a, &err), &err);
	assert_string_equal(a.code, "EU-WB");
	assert_ok(db_agreement_for_country(e->db, "MK", &a, &err), &err);
	assert_string_equal(a.code, "EU-WB");
	assert_ok(db_agreement_for_country(e->db, "BD", &a, &err), &err);
	assert_string_equal(a.code, "EU-AFBD");
	assert_int_equal(db_agreement_for_country(e->db, "FR", &a, &err),
			 RCMS_ERR_NOT_FOUND);
	/* a whole code only: "L " is in "AL BA" but is no country */
	assert_int_equal(db_agreement_for_country(e->db, "L ", &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_agreement_for_country(e->db, "A", &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_agreement_for_country(e->db, "PAK", &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_agreement_for_country(e->db, "", &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_agreement_for_country(e->db, NULL, &a, &err),
			 RCMS_ERR_INVALID);
	/* LIKE's wildcards are not codes */
	assert_int_equal(db_agreement_for_country(e->db, "_K", &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_agreement_for_country(e->db, "%%", &a, &err),
			 RCMS_ERR_INVALID);

	assert_ok(db_agreement_list(e->db, collect_agreement, codes, &err),
		  &err);
	assert_string_equal(codes, "EU-AFBD,EU-PK,EU-WB,");
	assert_ok(db_agreement_list(e->db, stop_first_agreement, &n, &err),
		  &err);
	assert_int_equal(n, 1);
}

static void test_agreement_put(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_agreement a, got;
	int64_t audits = audit_count(e->db, "agreement.put");

	tu_agreement_pk(&a);
	a.reply.n = 20;
	snprintf(a.note, sizeof(a.note), "amended");
	assert_int_equal(db_agreement_put(&e->olga, &a, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_agreement_put(&e->sam, &a, &err),
			 RCMS_ERR_PERMISSION);
	assert_ok(db_agreement_get(e->db, "EU-PK", &got, &err), &err);
	assert_int_equal(got.reply.n, 30);

	/* replace */
	assert_ok(db_agreement_put(&e->admin, &a, &err), &err);
	assert_ok(db_agreement_get(e->db, "EU-PK", &got, &err), &err);
	agreement_equal(&got, &a);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM agreements"), 3);
	/* a new one */
	tu_agreement_pk(&a);
	snprintf(a.code, sizeof(a.code), "EU-TR_2014");
	snprintf(a.countries, sizeof(a.countries), "TR");
	a.reply_accelerated.unit = RCMS_PERIOD_NONE;
	a.reply_accelerated.n = 0;
	assert_ok(db_agreement_put(&e->admin, &a, &err), &err);
	assert_ok(db_agreement_for_country(e->db, "TR", &got, &err), &err);
	agreement_equal(&got, &a);
	assert_int_equal(audit_count(e->db, "agreement.put"), audits + 2);

	/* validation: nothing written */
#define BAD_AGR(expr, fld)                                                    \
	do {                                                                  \
		tu_agreement_wb(&a);                                          \
		snprintf(a.code, sizeof(a.code), "EU-NEW");                   \
		expr;                                                         \
		rcms_err_clear(&err);                                         \
		assert_int_equal(db_agreement_put(&e->admin, &a, &err),       \
				 RCMS_ERR_INVALID);                           \
		assert_string_equal(err.field, (fld));                        \
		assert_int_equal(db_agreement_get(e->db, a.code, &got, NULL), \
				 RCMS_ERR_NOT_FOUND);                         \
	} while (0)
	BAD_AGR(a.code[0] = '\0', "code");
	BAD_AGR(snprintf(a.code, sizeof(a.code), "eu-new"), "code");
	BAD_AGR(snprintf(a.code, sizeof(a.code), "EU NEW"), "code");
	BAD_AGR(a.name[0] = '\0', "agreement name");
	BAD_AGR(snprintf(a.countries, sizeof(a.countries), "%s", ""),
		"countries");
	BAD_AGR(snprintf(a.countries, sizeof(a.countries), "AL QQ"),
		"countries");
	BAD_AGR(snprintf(a.countries, sizeof(a.countries), "al"), "countries");
	BAD_AGR(snprintf(a.countries, sizeof(a.countries), "ALB"),
		"countries");
	BAD_AGR(snprintf(a.countries, sizeof(a.countries), "A"), "countries");
	BAD_AGR(a.reply.n = 0, "reply");
	BAD_AGR(a.reply.n = 3651, "reply");
	BAD_AGR(a.reply.unit = (enum rcms_period_unit)9, "reply");
	BAD_AGR(a.transfer.n = 121, "transfer");
	BAD_AGR(a.transit.n = -1, "transit");
	BAD_AGR(a.extension_max_days = -1, "extension_max_days");
	BAD_AGR(a.extension_max_days = 366, "extension_max_days");
	BAD_AGR((a.reply.unit = RCMS_PERIOD_NONE, a.reply.n = 0),
		"silence_accepts");
#undef BAD_AGR
	assert_int_equal(db_agreement_put(&e->admin, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(audit_count(e->db, "agreement.put"), audits + 2);
	audit_ok(e->db);
}

static void test_holidays(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_holiday out[8];
	size_t n = 99;
	const struct rcms_holiday xmas = {"RS", 2026, 1, 7};
	const struct rcms_holiday ny = {"rs", 2026, 1, 1};

	assert_int_equal(db_holiday_put(&e->olga, &xmas, "Christmas", &err),
			 RCMS_ERR_PERMISSION);
	assert_ok(db_holidays(e->db, "RS", out, 8, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_ok(db_holiday_put(&e->admin, &xmas, "Christmas", &err), &err);
	assert_ok(db_holiday_put(&e->admin, &ny, NULL, &err), &err);
	/* the same day again replaces its name */
	assert_ok(db_holiday_put(&e->admin, &xmas, "Orthodox Christmas", &err),
		  &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM holidays"), 2);
	{
		char name[64];
		tu_text(e->db, "SELECT name FROM holidays WHERE date ="
			       " '2026-01-07'",
			name, sizeof(name));
		assert_string_equal(name, "Orthodox Christmas");
	}
	assert_ok(db_holidays(e->db, "RS", out, 8, &n, &err), &err);
	assert_int_equal(n, 2);
	/* in date order, the country normalised */
	assert_string_equal(out[0].country, "RS");
	assert_int_equal(out[0].year, 2026);
	assert_int_equal(out[0].month, 1);
	assert_int_equal(out[0].day, 1);
	assert_int_equal(out[1].day, 7);
	/* a small array gets the first ones */
	assert_ok(db_holidays(e->db, "RS", out, 1, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_ok(db_holidays(e->db, "PK", out, 8, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_ok(db_holidays(e->db, "", out, 8, &n, &err), &err);
	assert_int_equal(n, 0);

	{
		const struct rcms_holiday bad[] = {
			{"QQ", 2026, 1, 1}, {"", 2026, 1, 1},
			{"RS", 2026, 2, 30}, {"RS", 2026, 13, 1},
			{"RS", 2026, 5, 0}, {"RS", 0, 0, 0},
		};
		size_t i;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (db_holiday_put(&e->admin, &bad[i], "x", &err) !=
			    RCMS_ERR_INVALID)
				fail_msg("holiday %zu was accepted", i);
		}
	}
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM holidays"), 2);
	assert_int_equal(audit_count(e->db, "holiday.put"), 3);
	audit_ok(e->db);
}

/* ---- case create ------------------------------------------------------- */

static void test_case_create(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, c2, c3;
	struct ops o;
	char hex[16];
	cJSON *j, *docs;

	tu_case_fill(&c, "KHAN");
	/* what the caller puts in the bookkeeping is overwritten */
	c.status = RCMS_CS_CLOSED;
	snprintf(c.created_by, sizeof(c.created_by), "mallory");
	snprintf(c.final_ref, sizeof(c.final_ref), "FAKE");
	snprintf(c.approved_by, sizeof(c.approved_by), "mallory");
	snprintf(c.reason, sizeof(c.reason), "sneaky");
	c.decided_at = 1;
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	assert_true(tu_is_uuid7(c.id));
	/* the UUIDv7's first 48 bits are the time in milliseconds */
	snprintf(hex, sizeof(hex), "%08llx",
		 (unsigned long long)((TU_NOW * 1000) >> 16));
	assert_memory_equal(c.id, hex, 8);
	snprintf(hex, sizeof(hex), "%04llx",
		 (unsigned long long)((TU_NOW * 1000) & 0xffff));
	assert_memory_equal(c.id + 9, hex, 4);
	assert_string_equal(c.local_ref, "RS-MUP-W01-2026-000001");
	assert_string_equal(c.requesting_agency, "RS-MUP");
	assert_string_equal(c.agreement, "EU-PK");
	assert_int_equal(c.status, RCMS_CS_DRAFT);
	assert_string_equal(c.created_by, "olga");
	assert_string_equal(c.final_ref, "");
	assert_string_equal(c.approved_by, "");
	assert_string_equal(c.reason, "");
	assert_int_equal(c.decided_at, 0);
	assert_int_equal(c.created_at, TU_NOW);
	assert_int_equal(c.updated_at, TU_NOW);
	assert_int_equal(c.rev, 1);

	/* references count up; a new year starts again */
	create(&e->sam, "SMITH", &c2);
	assert_string_equal(c2.local_ref, "RS-MUP-W01-2026-000002");
	assert_string_not_equal(c2.id, c.id);
	e->olga.now = TU_NOW + 365 * TU_DAY;
	create(&e->olga, "JONES", &c3);
	assert_string_equal(c3.local_ref, "RS-MUP-W01-2027-000001");
	e->olga.now = TU_NOW;

	/* one operation and one audit entry each */
	outbox(e->db, &o);
	assert_int_equal(o.n, 3);
	assert_string_equal(o.type[0], "case.create");
	assert_string_equal(o.entity[0], c.id);
	assert_int_equal(o.base[0], 0);
	j = op_payload(e->db, o.seq[0]);
	assert_string_equal(cJSON_GetObjectItem(j, "local_ref")->valuestring,
			    c.local_ref);
	assert_string_equal(cJSON_GetObjectItem(j, "surnames")->valuestring,
			    "KHAN");
	assert_string_equal(cJSON_GetObjectItem(j, "birth_date")->valuestring,
			    "1990-03-14");
	assert_string_equal(
		cJSON_GetObjectItem(j, "requested_agency")->valuestring,
		"PK-MOI");
	assert_null(cJSON_GetObjectItem(j, "aliases")); /* empty: left out */
	docs = cJSON_GetObjectItem(j, "documents");
	assert_true(cJSON_IsArray(docs));
	assert_int_equal(cJSON_GetArraySize(docs), 0);
	cJSON_Delete(j);
	assert_int_equal(audit_count(e->db, "case.create"), 3);
	{
		char detail[64];
		tu_text(e->db, "SELECT detail FROM audit WHERE action ="
			       " 'case.create' ORDER BY seq LIMIT 1",
			detail, sizeof(detail));
		assert_string_equal(detail, c.local_ref); /* no names */
	}
	audit_ok(e->db);
}

static void test_case_create_agreement(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct tu_counts before, after;

	/* resolved from the requested agency's country */
	tu_case_fill(&c, "HOXHA");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "AL-MUP");
	snprintf(c.person.nationality, sizeof(c.person.nationality), "ALB");
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	assert_string_equal(c.agreement, "EU-WB");
	tu_case_fill(&c, "RAHMAN");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "BD-MHA");
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	assert_string_equal(c.agreement, "EU-AFBD");
	/* no agreement with France: the case has none */
	tu_case_fill(&c, "DUPONT");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "FR-MI");
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	assert_string_equal(c.agreement, "");
	/* no requested agency yet (a draft may be incomplete) */
	tu_case_fill(&c, "DOE");
	c.requested_agency[0] = '\0';
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	assert_string_equal(c.agreement, "");
	/* one named explicitly is kept */
	tu_case_fill(&c, "KHAN");
	snprintf(c.agreement, sizeof(c.agreement), "EU-WB");
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	assert_string_equal(c.agreement, "EU-WB");

	tu_counts(e->db, &before);
	/* an unknown agreement */
	tu_case_fill(&c, "KHAN");
	snprintf(c.agreement, sizeof(c.agreement), "EU-XX");
	rcms_err_clear(&err);
	assert_int_equal(db_case_create(&e->olga, &c, NULL, 0, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "agreement");
	assert_string_equal(c.id, "");
	assert_string_equal(c.local_ref, "");
	/* the requesting agency's own country */
	tu_case_fill(&c, "PETROVIC");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "RS-BIA");
	rcms_err_clear(&err);
	assert_int_equal(db_case_create(&e->olga, &c, NULL, 0, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "requested_agency");
	assert_has(err.msg, "own country");
	/* a bad agency code */
	tu_case_fill(&c, "KHAN");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "pk-moi");
	assert_int_equal(db_case_create(&e->olga, &c, NULL, 0, &err),
			 RCMS_ERR_INVALID);
	/* a bad name */
	tu_case_fill(&c, "KHAN7");
	rcms_err_clear(&err);
	assert_int_equal(db_case_create(&e->olga, &c, NULL, 0, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "surnames");
	/* administrators do not work on cases */
	tu_case_fill(&c, "KHAN");
	assert_int_equal(db_case_create(&e->admin, &c, NULL, 0, &err),
			 RCMS_ERR_PERMISSION);
	/* NULL */
	assert_int_equal(db_case_create(NULL, &c, NULL, 0, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_create(&e->olga, NULL, NULL, 0, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_create(&e->olga, &c, NULL, 2, &err),
			 RCMS_ERR_INVALID);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
}

static int collect_doc(const struct rcms_document *d, void *arg)
{
	struct rcms_document *out = arg;
	int i = 0;

	while (out[i].id[0])
		i++;
	out[i] = *d;
	return 0;
}

static void test_case_documents(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct rcms_document d[2], got[4], extra;
	struct tu_counts before, after;
	cJSON *j, *docs;

	rcms_document_init(&d[0]);
	snprintf(d[0].number, sizeof(d[0].number), "AB1234567");
	snprintf(d[0].issuing_state, sizeof(d[0].issuing_state), "PAK");
	d[0].issue_date = (struct rcms_pdate){2020, 1, 15};
	d[0].expiry_date = (struct rcms_pdate){2030, 1, 14};
	rcms_document_init(&d[1]);
	d[1].type = RCMS_DOC_CNIC;
	snprintf(d[1].number, sizeof(d[1].number), "35202-1234567-1");
	d[1].is_copy = true;

	tu_case_fill(&c, "KHAN");
	assert_ok(db_case_create(&e->olga, &c, d, 2, &err), &err);
	memset(got, 0, sizeof(got));
	assert_ok(db_document_list(&e->olga, c.id, collect_doc, got, &err),
		  &err);
	assert_true(tu_is_uuid7(got[0].id));
	assert_true(tu_is_uuid7(got[1].id));
	assert_string_equal(got[2].id, "");
	{
		/* the order of creation is kept within the same second by id,
		 * so find them by number */
		int p = strcmp(got[0].number, "AB1234567") == 0 ? 0 : 1;
		assert_int_equal(got[p].type, RCMS_DOC_PASSPORT);
		assert_string_equal(got[p].issuing_state, "PAK");
		assert_int_equal(got[p].issue_date.year, 2020);
		assert_int_equal(got[p].expiry_date.day, 14);
		assert_false(got[p].is_copy);
		assert_int_equal(got[1 - p].type, RCMS_DOC_CNIC);
		assert_true(got[1 - p].is_copy);
	}
	j = op_payload(e->db, last_seq(e->db));
	docs = cJSON_GetObjectItem(j, "documents");
	assert_int_equal(cJSON_GetArraySize(docs), 2);
	cJSON_Delete(j);

	/* an invalid document: nothing at all is written */
	tu_counts(e->db, &before);
	d[1].number[0] = '\0';
	tu_case_fill(&c, "KHAN");
	rcms_err_clear(&err);
	assert_int_equal(db_case_create(&e->olga, &c, d, 2, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "number");
	d[1].expiry_date = (struct rcms_pdate){2019, 0, 0};
	snprintf(d[1].number, sizeof(d[1].number), "X1");
	d[1].issue_date = (struct rcms_pdate){2020, 1, 1};
	assert_int_equal(db_case_create(&e->olga, &c, d, 2, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "expiry_date");
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);

	/* db_document_add: the requesting side, before sending */
	create(&e->olga, "SMITH", &c);
	rcms_document_init(&extra);
	snprintf(extra.number, sizeof(extra.number), "ZZ999");
	assert_ok(db_document_add(&e->olga, c.local_ref, &extra, &err), &err);
	assert_true(tu_is_uuid7(extra.id));
	assert_int_equal(db_document_add(&e->olga, c.local_ref, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_document_add(&e->admin, c.local_ref, &extra, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_document_add(&e->olga, "RS-MUP-W01-2026-999999",
					 &extra, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_document_add(&e->pk, c.local_ref, &extra, &err),
			 RCMS_ERR_TRANSITION);
	step(&e->olga, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
	step(&e->sam, c.local_ref, "approve", NULL, RCMS_CS_SUBMITTED);
	assert_int_equal(db_document_add(&e->olga, c.local_ref, &extra, &err),
			 RCMS_ERR_TRANSITION);
	memset(got, 0, sizeof(got));
	assert_ok(db_document_list(&e->olga, c.id, collect_doc, got, &err),
		  &err);
	assert_string_equal(got[0].number, "ZZ999");
	assert_string_equal(got[1].id, "");
	audit_ok(e->db);
}

/* ---- case get and visibility ---------------------------------------------- */

static void insert_foreign_case(struct rcms_db *db)
{
	tu_exec(db, "INSERT INTO cases(id, local_ref, requesting_agency,"
		    " requested_agency, surnames, created_by, created_at,"
		    " updated_at) VALUES('0190a000-0000-7000-8000-000000000001',"
		    " 'DE-BPOL-W01-2026-000001', 'DE-BPOL', 'AL-MUP', 'SECRET',"
		    " 'hans', 1772445600, 1772445600)");
}

static int count_rows(const struct db_case_row *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

static void test_case_get(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, got;
	struct db_ctx al;

	create(&e->olga, "KHAN", &c);
	memset(&got, 0x55, sizeof(got));
	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_string_equal(got.id, c.id);
	assert_string_equal(got.local_ref, c.local_ref);
	assert_string_equal(got.person.surnames, "KHAN");
	assert_string_equal(got.person.given_names, "ALI");
	assert_int_equal(got.person.birth_date.year, 1990);
	assert_int_equal(got.person.birth_date.month, 3);
	assert_int_equal(got.person.birth_date.day, 14);
	assert_string_equal(got.person.nationality, "PAK");
	assert_int_equal(got.evidence_basis, RCMS_EVID_PROOF);
	assert_string_equal(got.agreement, "EU-PK");
	assert_int_equal(got.status, RCMS_CS_DRAFT);
	assert_int_equal(got.rev, 1);
	assert_int_equal(got.created_at, TU_NOW);
	assert_string_equal(got.final_ref, "");
	assert_ok(db_case_get(&e->olga, c.id, &got, &err), &err);
	assert_string_equal(got.local_ref, c.local_ref);
	/* the requested agency sees it too (on its replica) */
	assert_ok(db_case_get(&e->pk, c.local_ref, &got, &err), &err);

	/* by the exchange's reference once there is one */
	tu_exec(e->db, "UPDATE cases SET final_ref = 'EX-2026-000042'");
	assert_ok(db_case_get(&e->olga, "EX-2026-000042", &got, &err), &err);
	assert_string_equal(got.id, c.id);

	rcms_err_clear(&err);
	assert_int_equal(db_case_get(&e->olga, "RS-MUP-W01-2026-000099", &got,
				     &err),
			 RCMS_ERR_NOT_FOUND);
	assert_has(err.msg, "RS-MUP-W01-2026-000099");
	assert_int_equal(db_case_get(&e->olga, "", &got, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_get(&e->olga, NULL, &got, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_get(NULL, c.id, &got, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_get(&e->olga, c.id, NULL, &err),
			 RCMS_ERR_INVALID);
	/* the empty final reference of other cases matches nothing */
	assert_int_equal(db_case_get(&e->olga, "''", &got, &err),
			 RCMS_ERR_NOT_FOUND);

	/* a third agency does not see it */
	tu_ctx(&al, e->db, "alb", RCMS_ROLE_OFFICER, "AL-MUP");
	assert_int_equal(db_case_get(&al, c.local_ref, &got, &err),
			 RCMS_ERR_NOT_FOUND);
}

static void test_case_visibility(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case got, mine;
	struct rcms_attachment att;
	struct tu_counts before, after;
	struct db_case_filter f = {.status = -1};
	char path[300];
	int n = 0;

	create(&e->olga, "KHAN", &mine);
	insert_foreign_case(e->db);
	tu_counts(e->db, &before);
	rcms_err_clear(&err);
	assert_int_equal(db_case_get(&e->olga, "DE-BPOL-W01-2026-000001", &got,
				     &err),
			 RCMS_ERR_NOT_FOUND);
	assert_has(err.msg, "no case");
	assert_int_equal(db_case_get(&e->olga,
				     "0190a000-0000-7000-8000-000000000001",
				     &got, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(edit1(&e->olga, "DE-BPOL-W01-2026-000001", "surnames",
			       "X", &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_case_transition(&e->olga, "DE-BPOL-W01-2026-000001",
					    "withdraw", NULL, NULL, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_note_add(&e->olga, "DE-BPOL-W01-2026-000001",
				     "hello", NULL, &err),
			 RCMS_ERR_NOT_FOUND);
	path_join(path, sizeof(path), e->dir, "abc.txt");
	tu_write_file(path, "abc", 3);
	assert_int_equal(db_attach(&e->olga, "DE-BPOL-W01-2026-000001", path,
				   RCMS_ATT_SCAN, 0, &att, &err),
			 RCMS_ERR_NOT_FOUND);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	/* nor does the list show it */
	assert_ok(db_case_list(&e->olga, &f, count_rows, &n, &err), &err);
	assert_int_equal(n, 1);
	/* the requested agency's list shows only what it takes part in */
	n = 0;
	assert_ok(db_case_list(&e->pk, &f, count_rows, &n, &err), &err);
	assert_int_equal(n, 1);
}

/* ---- edit ------------------------------------------------------------- */

static void test_edit_errors(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct tu_counts before, after;
	struct db_change ch[2];

	create(&e->olga, "KHAN", &c);
	tu_counts(e->db, &before);

	assert_int_equal(edit1(&e->olga, c.local_ref, "colour", "blue", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "colour");
	assert_has(err.msg, "unknown field 'colour'");
	assert_int_equal(edit1(&e->olga, c.local_ref, "", "x", &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(edit1(&e->olga, c.local_ref, NULL, "x", &err),
			 RCMS_ERR_INVALID);
	/* read-only fields */
	assert_int_equal(edit1(&e->olga, c.local_ref, "status", "closed", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "status");
	assert_has(err.msg, "cannot be edited");
	assert_int_equal(edit1(&e->olga, c.local_ref, "id", "x", &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(edit1(&e->olga, c.local_ref, "created_by", "sam",
			       &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(edit1(&e->olga, c.local_ref, "reason", "x", &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(edit1(&e->olga, c.local_ref, "travel_doc_number", "X",
			       &err),
			 RCMS_ERR_INVALID);
	/* the other side's fields */
	assert_int_equal(edit1(&e->pk, c.local_ref, "surnames", "X", &err),
			 RCMS_ERR_PERMISSION);
	assert_string_equal(err.field, "surnames");
	assert_has(err.msg, "requesting agency");
	/* bad values */
	assert_int_equal(edit1(&e->olga, c.local_ref, "birth_date",
			       "2026-02-30", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "birth_date");
	assert_has(err.msg, "February 2026 has 28 days");
	assert_int_equal(edit1(&e->olga, c.local_ref, "surnames", NULL, &err),
			 RCMS_ERR_INVALID);
	/* nothing to do, no case */
	assert_int_equal(db_case_edit(&e->olga, c.local_ref, NULL, 1, &err),
			 RCMS_ERR_USAGE);
	ch[0] = (struct db_change){"surnames", "X"};
	assert_int_equal(db_case_edit(&e->olga, c.local_ref, ch, 0, &err),
			 RCMS_ERR_USAGE);
	assert_int_equal(db_case_edit(NULL, c.local_ref, ch, 1, &err),
			 RCMS_ERR_USAGE);
	assert_int_equal(db_case_edit(&e->olga, NULL, ch, 1, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_edit(&e->olga, "", ch, 1, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_edit(&e->olga, "nope", ch, 1, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_case_edit(&e->admin, c.local_ref, ch, 1, &err),
			 RCMS_ERR_PERMISSION);
	/* an unknown agreement */
	assert_int_equal(edit1(&e->olga, c.local_ref, "agreement", "EU-XX",
			       &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "agreement");
	/* the own country */
	assert_int_equal(edit1(&e->olga, c.local_ref, "requested_agency",
			       "RS-BIA", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "requested_agency");
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	assert_int_equal(tu_int(e->db, "SELECT rev FROM cases"), 1);
}

static void test_edit_all_or_nothing(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, got;
	struct tu_counts before, after;
	const struct db_change bad[] = {
		{"surnames", "NEWNAME"},
		{"given_names", "OMAR"},
		{"crossing_point", "Horgos"},
		{"birth_date", "2026-02-30"},
	};
	const struct db_change cross[] = {
		{"surnames", "NEWNAME"},
		{"needs_escort", "yes"},   /* without consent */
	};
	const struct db_change good[] = {
		{"surnames", "  NEWNAME  "},
		{"needs_consent", "yes"},
		{"needs_escort", "yes"},
		{"requested_agency", "AL-MUP"},
	};
	cJSON *j, *fields;
	struct ops o;

	create(&e->olga, "KHAN", &c);
	tu_counts(e->db, &before);
	rcms_err_clear(&err);
	assert_int_equal(db_case_edit(&e->olga, c.local_ref, bad, 4, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "birth_date");
	rcms_err_clear(&err);
	assert_int_equal(db_case_edit(&e->olga, c.local_ref, cross, 2, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "needs_consent");
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_string_equal(got.person.surnames, "KHAN");
	assert_string_equal(got.person.given_names, "ALI");
	assert_string_equal(got.crossing_point, "");
	assert_int_equal(got.rev, 1);
	assert_int_equal(got.updated_at, TU_NOW);

	/* all of them, one operation */
	e->olga.now = TU_NOW + 60;
	assert_ok(db_case_edit(&e->olga, c.local_ref, good, 4, &err), &err);
	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_string_equal(got.person.surnames, "NEWNAME");
	assert_true(got.person.needs_consent);
	assert_true(got.person.needs_escort);
	assert_string_equal(got.requested_agency, "AL-MUP");
	assert_string_equal(got.agreement, "EU-WB"); /* follows the country */
	assert_int_equal(got.rev, 2);
	assert_int_equal(got.updated_at, TU_NOW + 60);
	assert_int_equal(got.created_at, TU_NOW);
	outbox(e->db, &o);
	assert_int_equal(o.n, 2);
	assert_string_equal(o.type[1], "case.update");
	assert_int_equal(o.base[1], 1);
	j = op_payload(e->db, o.seq[1]);
	fields = cJSON_GetObjectItem(j, "fields");
	assert_true(cJSON_IsObject(fields));
	assert_string_equal(cJSON_GetObjectItem(fields, "surnames")->valuestring,
			    "NEWNAME");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(fields, "needs_escort")));
	assert_string_equal(
		cJSON_GetObjectItem(fields, "agreement")->valuestring, "EU-WB");
	assert_null(cJSON_GetObjectItem(fields, "given_names"));
	assert_int_equal(cJSON_GetArraySize(fields), 5);
	cJSON_Delete(j);
	{
		char detail[256];
		tu_text(e->db, "SELECT detail FROM audit WHERE action ="
			       " 'case.edit'",
			detail, sizeof(detail));
		assert_has(detail, "surnames");
		assert_has(detail, "needs_escort");
		assert_null(strstr(detail, "NEWNAME")); /* no personal data */
	}
	audit_ok(e->db);
}

static void test_edit_noop(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct tu_counts before, after;
	const struct db_change back[] = {
		{"surnames", "OTHER"},
		{"surnames", "KHAN"},
	};

	create(&e->olga, "KHAN", &c);
	tu_counts(e->db, &before);
	e->olga.now = TU_NOW + 60;
	assert_ok(edit1(&e->olga, c.local_ref, "surnames", "KHAN", &err), &err);
	assert_ok(edit1(&e->olga, c.local_ref, "surnames", "  KHAN ", &err),
		  &err);
	assert_ok(edit1(&e->olga, c.local_ref, "nationality", "Pakistan",
			&err),
		  &err);
	assert_ok(edit1(&e->olga, c.local_ref, "aliases", "", &err), &err);
	assert_ok(edit1(&e->olga, c.local_ref, "needs_escort", "no", &err),
		  &err);
	assert_ok(db_case_edit(&e->olga, c.local_ref, back, 2, &err), &err);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	assert_int_equal(tu_int(e->db, "SELECT rev FROM cases"), 1);
	assert_int_equal(tu_int(e->db, "SELECT updated_at FROM cases"), TU_NOW);
}

static void test_edit_after_submission(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, got;
	struct rcms_transition_args ext = {.reason = "checking the records",
					   .days = 5};
	int64_t due, want_due;
	char sql[160];

	create(&e->olga, "KHAN", &c);
	/* awaiting approval is still local: editable */
	step(&e->olga, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
	assert_ok(edit1(&e->olga, c.local_ref, "given_names", "ALI AHMED",
			&err),
		  &err);
	step(&e->sam, c.local_ref, "approve", NULL, RCMS_CS_SUBMITTED);

	/* the application has been sent: only the transfer fields */
	rcms_err_clear(&err);
	assert_int_equal(edit1(&e->olga, c.local_ref, "surnames", "OTHER",
			       &err),
			 RCMS_ERR_TRANSITION);
	assert_string_equal(err.field, "surnames");
	assert_has(err.msg, "submitted");
	assert_int_equal(edit1(&e->olga, c.local_ref, "requested_agency",
			       "AL-MUP", &err),
			 RCMS_ERR_TRANSITION);

	/* the exchange received it (what sync will record) and the requested
	 * agency asked for 5 more days: the reply is due 30 + 5 days after
	 * receipt */
	snprintf(sql, sizeof(sql),
		 "UPDATE cases SET received_at = %lld WHERE id = '%s'",
		 (long long)TU_NOW, c.id);
	tu_exec(e->db, sql);
	step(&e->pk, c.local_ref, "extend", &ext,
	     RCMS_CS_EXTENSION_REQUESTED);
	want_due = rcms_days_from_civil(2026, 4, 7) * TU_DAY;
	snprintf(sql, sizeof(sql), "SELECT reply_due FROM cases WHERE id = '%s'",
		 c.id);
	assert_int_equal(tu_int(e->db, sql), want_due);

	assert_ok(edit1(&e->olga, c.local_ref, "crossing_point",
			"Belgrade airport", &err),
		  &err);
	assert_ok(edit1(&e->olga, c.local_ref, "transfer_date", "2026-05-04",
			&err),
		  &err);
	assert_ok(edit1(&e->olga, c.local_ref, "escort", "two officers", &err),
		  &err);
	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_string_equal(got.crossing_point, "Belgrade airport");
	assert_int_equal(got.transfer_date.month, 5);
	assert_int_equal(got.status, RCMS_CS_EXTENSION_REQUESTED);
	assert_int_equal(got.extension_days, 5);
	/* an edit keeps the reply deadline */
	due = tu_int(e->db, sql);
	assert_int_equal(due, want_due);
	/* not the requested agency, though */
	assert_int_equal(edit1(&e->pk, c.local_ref, "crossing_point", "x",
			       &err),
			 RCMS_ERR_PERMISSION);

	/* a final state: nothing at all */
	ext.reason = "the person left";
	step(&e->olga, c.local_ref, "withdraw", &ext, RCMS_CS_WITHDRAWN);
	rcms_err_clear(&err);
	assert_int_equal(edit1(&e->olga, c.local_ref, "crossing_point", "x",
			       &err),
			 RCMS_ERR_TRANSITION);
	assert_has(err.msg, "withdrawn");
	audit_ok(e->db);
}

/* ---- the caseload's counts ------------------------------------------------ */

struct caseload_sum {
	int64_t n[RCMS_CS__COUNT];
	int rows;
};

static int sum_row(const struct db_caseload_row *r, void *arg)
{
	struct caseload_sum *s = arg;

	if ((int)r->status >= 0 && (int)r->status < RCMS_CS__COUNT)
		s->n[r->status] += r->n;
	s->rows++;
	return 0;
}

static void caseload(struct env *e, int64_t from, int64_t to,
		     struct caseload_sum *s)
{
	struct db_report_filter f = {.from = from, .to = to};
	struct rcms_err err = {0};

	memset(s, 0, sizeof(*s));
	assert_ok(db_report_caseload(&e->sam, &f, sum_row, s, &err), &err);
}

/* Folds the caseload's moves into its counts (db_batch_commit does). */
static void fold_counts(struct rcms_db *db)
{
	struct rcms_err err = {0};

	assert_ok(db_batch_begin(db, &err), &err);
	assert_ok(db_batch_commit(db, &err), &err);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM caseload_moves"), 0);
}

/* Whole days read the counts of migration 8 with the moves of migration
 * 13; any other period the cases themselves: both give the same figures,
 * and the counts follow every write (creation, a step, an edit of the
 * status by SQL, a deletion), folded or not. */
static void test_caseload_counts(void **state)
{
	struct env *e = *state;
	struct caseload_sum a, b;
	struct rcms_case c[4];
	struct rcms_err err = {0};
	int i;

	e->olga.now = TU_NOW;
	for (i = 0; i < 4; i++) {
		create(&e->olga, "KHAN", &c[i]);
		e->olga.now += 86400;
	}
	step(&e->olga, c[0].local_ref, "submit", NULL,
	     RCMS_CS_AWAITING_APPROVAL);
	/* four creations and a step out of one row into another */
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_moves"),
			 6);
	assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
	assert_int_equal(tu_int(e->db, TU_COUNTS_SUM), 4);

	/* every case, by days and by the cases: the same, folded or not */
	caseload(e, 0, 0, &a);
	caseload(e, 1, 0, &b);
	assert_int_equal(a.n[RCMS_CS_DRAFT], 3);
	assert_int_equal(a.n[RCMS_CS_AWAITING_APPROVAL], 1);
	assert_memory_equal(a.n, b.n, sizeof(a.n));
	fold_counts(e->db);
	assert_int_equal(tu_int(e->db, "SELECT sum(n) FROM caseload_counts"),
			 4);
	assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
	caseload(e, 0, 0, &a);
	assert_memory_equal(a.n, b.n, sizeof(a.n));

	/* the first two days only: whole days against a second short */
	caseload(e, TU_NOW / 86400 * 86400, (TU_NOW / 86400 + 2) * 86400, &a);
	caseload(e, TU_NOW / 86400 * 86400 + 1,
		 (TU_NOW / 86400 + 2) * 86400 - 1, &b);
	assert_int_equal(a.n[RCMS_CS_DRAFT] + a.n[RCMS_CS_AWAITING_APPROVAL],
			 2);
	if (TU_NOW % 86400 != 0)
		assert_memory_equal(a.n, b.n, sizeof(a.n));

	/* writes behind the use cases' back are counted too; a status no
	 * case has any more is no row of the report before the fold, and
	 * no row of the counts after it */
	assert_int_equal(tu_int(e->db, "UPDATE cases SET status = 'closed'"
				       " WHERE status = 'draft' RETURNING 0"),
			 0);
	assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
	caseload(e, 0, 0, &a);
	assert_int_equal(a.n[RCMS_CS_CLOSED], 3);
	assert_int_equal(a.n[RCMS_CS_DRAFT], 0);
	assert_int_equal(a.rows, 2);
	fold_counts(e->db);
	assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_counts"
				       " WHERE n <= 0"), 0);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_counts"
				       " WHERE status = 'draft'"), 0);
	assert_int_equal(tu_int(e->db, "DELETE FROM cases RETURNING 0"), 0);
	caseload(e, 0, 0, &a);
	assert_int_equal(a.rows, 0);
	/* the end of a sync folds them too */
	assert_ok(db_sync_outcome(e->db, TU_NOW, "ok", &err), &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_moves"),
			 0);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_counts"),
			 0);
	caseload(e, 0, 0, &a);
	assert_int_equal(a.rows, 0);
}

/* n cases as the exchange would send them, copies of a submitted with
 * ids and references of their own (...0000000000<tens><i>). */
static void remote_cases(struct db_remote_case *r, int n,
			 const struct rcms_case *a, char tens)
{
	int i;

	memset(r, 0, (size_t)n * sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i].c = *a;
		snprintf(r[i].c.id, sizeof(r[i].c.id),
			 "0190a000-0000-7000-8000-0000000000%c%c", tens,
			 '0' + i);
		snprintf(r[i].c.local_ref, sizeof(r[i].c.local_ref),
			 "RS-MUP-W09-2026-0000%c%c", tens, '0' + i);
		r[i].c.status = RCMS_CS_SUBMITTED;
		r[i].c.rev = 3;
	}
}

/* A page of the feed is applied whole or not at all: a case of it that
 * cannot be written (its reference is another case's) leaves no case of
 * the page, no count and no search row behind, and the cursor where it
 * was; the page without it goes in, and a case received again is
 * updated (INSERT and UPDATE OR FAIL, migration 11's counts). */
static void test_pull_page_whole(void **state)
{
	struct env *e = *state;
	struct db_remote_case r[3];
	struct rcms_case a;
	struct rcms_err err = {0};
	char cur[32] = "";

	create(&e->olga, "KHAN", &a);
	remote_cases(r, 3, &a, '0');
	/* the third has the first case's reference */
	snprintf(r[2].c.local_ref, sizeof(r[2].c.local_ref), "%s",
		 a.local_ref);
	assert_int_not_equal(db_pull_apply(&e->olga, r, 3, 777, &err),
			     RCMS_OK);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM cases"), 1);
	assert_int_equal(tu_int(e->db, TU_COUNTS_SUM), 1);
	assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
	/* the creation's move, not folded: the page that failed did not */
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_moves"),
			 1);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM search_persons"),
			 1);
	assert_int_not_equal(db_meta_get(e->db, "sync.cursor", cur,
					 sizeof(cur), NULL),
			     RCMS_OK);

	assert_ok(db_pull_apply(&e->olga, r, 2, 777, &err), &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM cases"), 3);
	assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
	/* a page folds the moves into the counts */
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_moves"),
			 0);
	assert_int_equal(tu_int(e->db, "SELECT sum(n) FROM caseload_counts"),
			 3);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM search_persons"
				       " WHERE status = 'submitted'"),
			 2);
	assert_ok(db_meta_get(e->db, "sync.cursor", cur, sizeof(cur), &err),
		  &err);
	assert_string_equal(cur, "777");

	/* received again, accepted: the row is updated, counted anew */
	r[0].c.status = RCMS_CS_ACCEPTED;
	r[0].c.rev = 4;
	assert_ok(db_pull_apply(&e->olga, r, 1, 778, &err), &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM cases"), 3);
	assert_int_equal(tu_int(e->db, "SELECT rev FROM cases WHERE id ="
				       " '0190a000-0000-7000-8000-000000000000'"),
			 4);
	assert_int_equal(tu_int(e->db, TU_COUNTS_DIFFER), 0);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_moves"),
			 0);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM caseload_counts"
				       " WHERE status = 'accepted'"),
			 1);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM search_persons"
				       " WHERE status = 'accepted'"),
			 1);
	/* no upsert in a trigger: it made every write of a case keep a
	 * statement journal */
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM sqlite_schema"
				       " WHERE type = 'trigger' AND"
				       " sql LIKE '%ON CONFLICT%'"),
			 0);
}

/* What the search index holds of every person, as one text. */
#define SEARCH_ROWS                                                           \
	"SELECT group_concat(case_id || '|' || names || '|' || keys || '|' ||" \
	" skels || '|' || docs || '|' || refs || '|' || facts || '|' ||"      \
	" status || '|' || updated_at, '/') FROM (SELECT * FROM"              \
	" search_persons ORDER BY case_id)"

/* A pull writes the person of a case new here from the words worked out
 * on the decoder's thread (db_search_words): they are what the case read
 * back from the database gives (names folded, documents in order,
 * references, birth year, the case's columns), and a case received
 * twice in a page is indexed as it is at the end. */
static void test_pull_words(void **state)
{
	struct env *e = *state;
	struct db_remote_case r[4];
	struct db_search_words w;
	char packed[4][8192];
	struct rcms_document d[2];
	struct rcms_case a;
	struct rcms_err err = {0};
	char before[8192], after[8192], got[64];
	int i;

	create(&e->olga, "KHAN", &a);
	rcms_document_init(&d[0]);
	snprintf(d[0].id, sizeof(d[0].id),
		 "0190a000-0000-7000-8000-0000000000d0");
	snprintf(d[0].number, sizeof(d[0].number), "AB 1234567");
	rcms_document_init(&d[1]);
	snprintf(d[1].id, sizeof(d[1].id),
		 "0190a000-0000-7000-8000-0000000000d1");
	d[1].type = RCMS_DOC_CNIC;
	snprintf(d[1].number, sizeof(d[1].number), "35202-1234567-1");
	remote_cases(r, 4, &a, '1');
	snprintf(r[0].c.person.surnames, sizeof(r[0].c.person.surnames),
		 "Petrović Đorđević");
	snprintf(r[0].c.person.aliases, sizeof(r[0].c.person.aliases),
		 "Pera; Ćamil");
	snprintf(r[0].c.final_ref, sizeof(r[0].c.final_ref), "XK-2026-000042");
	r[0].docs = d;
	r[0].ndocs = 2;
	r[1].c.person.birth_date = (struct rcms_pdate){0, 0, 0};
	snprintf(r[1].c.person.name_native, sizeof(r[1].c.person.name_native),
		 "محمد علی");
	for (i = 0; i < 2; i++) {
		db_search_words(&r[i].c, r[i].docs, r[i].ndocs, &w);
		assert_true(db_search_words_pack(&w, packed[i],
						 sizeof(packed[i])) <
			    sizeof(packed[i]));
		r[i].words = packed[i];
	}
	assert_ok(db_pull_apply(&e->olga, r, 2, 777, &err), &err);
	tu_text(e->db, SEARCH_ROWS, before, sizeof(before));
	assert_non_null(strstr(before, "AB1234567 3520212345671"));
	assert_non_null(strstr(before, "petrovic djordjevic"));

	/* the same cases again, their words read back: nothing changes */
	r[0].words = r[1].words = NULL;
	assert_ok(db_pull_apply(&e->olga, r, 2, 778, &err), &err);
	tu_text(e->db, SEARCH_ROWS, after, sizeof(after));
	assert_string_equal(after, before);

	/* new, then accepted, in one page: its person says accepted */
	r[3] = r[2];
	r[3].c.status = RCMS_CS_ACCEPTED;
	r[3].c.updated_at = r[2].c.updated_at + 60;
	for (i = 2; i < 4; i++) {
		db_search_words(&r[i].c, NULL, 0, &w);
		db_search_words_pack(&w, packed[i], sizeof(packed[i]));
		r[i].words = packed[i];
	}
	assert_ok(db_pull_apply(&e->olga, &r[2], 2, 779, &err), &err);
	tu_text(e->db,
		"SELECT status || ' ' || updated_at FROM search_persons WHERE"
		" case_id = '0190a000-0000-7000-8000-000000000012'",
		got, sizeof(got));
	snprintf(before, sizeof(before), "accepted %lld",
		 (long long)r[3].c.updated_at);
	assert_string_equal(got, before);
	assert_int_equal(tu_int(e->db, TU_SEARCH_FACTS_DIFFER), 0);
}

/* ---- transitions ------------------------------------------------------- */

static void test_happy_path(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, got;
	struct rcms_transition_args a;
	struct ops o;
	static const char *const actions[] = {
		"submit", "approve", "accept", "issue", "schedule", "transfer",
		"close",
	};
	size_t i;

	/* a supervisor creates: four eyes will matter */
	e->sam.now = TU_NOW;
	create(&e->sam, "KHAN", &c);
	e->sam.now += 3600;
	step(&e->sam, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);

	/* the creator cannot approve, nor an officer */
	e->sam.now += 3600;
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->sam, c.local_ref, "approve",
					    NULL, NULL, &err),
			 RCMS_ERR_PERMISSION);
	assert_has(err.msg, "four eyes");
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "approve",
					    NULL, NULL, &err),
			 RCMS_ERR_PERMISSION);
	/* nor the requested agency */
	assert_int_equal(db_case_transition(&e->pksup, c.local_ref, "approve",
					    NULL, NULL, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(status_of(&e->sam, c.local_ref),
			 RCMS_CS_AWAITING_APPROVAL);
	e->sue.now = TU_NOW + 3 * 3600;
	memset(&got, 0, sizeof(got));
	assert_ok(db_case_transition(&e->sue, c.local_ref, "approve", NULL,
				     &got, &err),
		  &err);
	assert_int_equal(got.status, RCMS_CS_SUBMITTED);
	assert_string_equal(got.approved_by, "sue");
	assert_string_equal(got.created_by, "sam");
	assert_int_equal(got.submitted_at, TU_NOW + 3 * 3600);

	/* the requesting agency cannot accept its own application */
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "accept",
					    NULL, NULL, &err),
			 RCMS_ERR_PERMISSION);
	/* as the requested agency */
	e->pk.now = TU_NOW + 2 * TU_DAY;
	step(&e->pk, c.local_ref, "accept", NULL, RCMS_CS_ACCEPTED);
	assert_ok(db_case_get(&e->pk, c.local_ref, &got, &err), &err);
	assert_int_equal(got.decided_at, TU_NOW + 2 * TU_DAY);
	memset(&a, 0, sizeof(a));
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->pk, c.local_ref, "issue", &a,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "travel_doc");
	a.travel_doc = "LP-2026-0042";
	e->pk.now += TU_DAY;
	step(&e->pk, c.local_ref, "issue", &a, RCMS_CS_TRAVEL_DOCUMENT_ISSUED);

	/* back as the requesting agency */
	memset(&a, 0, sizeof(a));
	e->olga.now = TU_NOW + 5 * TU_DAY;
	a.transfer_date = (struct rcms_pdate){2026, 4, 0};
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "schedule",
					    &a, NULL, &err),
			 RCMS_ERR_INVALID);
	a.transfer_date = (struct rcms_pdate){2026, 4, 1};
	step(&e->olga, c.local_ref, "schedule", &a,
	     RCMS_CS_TRANSFER_SCHEDULED);
	e->olga.now += TU_DAY;
	step(&e->olga, c.local_ref, "transfer", NULL, RCMS_CS_TRANSFERRED);
	e->olga.now += TU_DAY;
	step(&e->olga, c.local_ref, "close", NULL, RCMS_CS_CLOSED);

	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_int_equal(got.status, RCMS_CS_CLOSED);
	assert_string_equal(got.travel_doc_number, "LP-2026-0042");
	assert_int_equal(got.transfer_date.year, 2026);
	assert_int_equal(got.transfer_date.month, 4);
	assert_int_equal(got.transfer_date.day, 1);
	assert_string_equal(got.approved_by, "sue");
	assert_int_equal(got.rev, 8);
	assert_int_equal(got.updated_at, TU_NOW + 7 * TU_DAY);

	/* one operation per step, in order, each on the previous revision */
	outbox(e->db, &o);
	assert_int_equal(o.n, 8);
	assert_string_equal(o.type[0], "case.create");
	for (i = 0; i < 7; i++) {
		assert_string_equal(o.type[i + 1], "case.transition");
		assert_string_equal(o.action[i + 1], actions[i]);
		assert_string_equal(o.entity[i + 1], c.id);
		assert_int_equal(o.base[i + 1], (int64_t)i + 1);
	}
	{
		cJSON *j = op_payload(e->db, o.seq[5]);
		assert_string_equal(
			cJSON_GetObjectItem(j, "transfer_date")->valuestring,
			"2026-04-01");
		assert_string_equal(cJSON_GetObjectItem(j, "from")->valuestring,
				    "travel_document_issued");
		assert_string_equal(cJSON_GetObjectItem(j, "to")->valuestring,
				    "transfer_scheduled");
		cJSON_Delete(j);
		j = op_payload(e->db, o.seq[4]);
		assert_string_equal(
			cJSON_GetObjectItem(j, "travel_doc_number")->valuestring,
			"LP-2026-0042");
		cJSON_Delete(j);
	}
	assert_int_equal(audit_count(e->db, "case.transition"), 7);
	audit_ok(e->db);

	/* closed is final */
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "close",
					    NULL, NULL, &err),
			 RCMS_ERR_TRANSITION);
}

static void test_return_reject(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, got;
	struct rcms_transition_args a = {0};

	create(&e->olga, "KHAN", &c);
	step(&e->olga, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->sam, c.local_ref, "return", &a,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "reason");
	a.reason = "   ";
	assert_int_equal(db_case_transition(&e->sam, c.local_ref, "return", &a,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	a.reason = "the birth place is missing";
	step(&e->sam, c.local_ref, "return", &a, RCMS_CS_DRAFT);
	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_string_equal(got.reason, "the birth place is missing");
	step(&e->olga, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
	step(&e->sam, c.local_ref, "approve", NULL, RCMS_CS_SUBMITTED);

	/* extension: within the agreement's maximum (EU-PK: 30) */
	memset(&a, 0, sizeof(a));
	a.reason = "checking";
	a.days = 31;
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->pk, c.local_ref, "extend", &a,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "days");
	a.days = 0;
	assert_int_equal(db_case_transition(&e->pk, c.local_ref, "extend", &a,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	a.days = 30;
	step(&e->pk, c.local_ref, "extend", &a, RCMS_CS_EXTENSION_REQUESTED);
	/* reject needs reasons */
	memset(&a, 0, sizeof(a));
	assert_int_equal(db_case_transition(&e->pk, c.local_ref, "reject", &a,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	a.reason = "not a national of Pakistan";
	step(&e->pk, c.local_ref, "reject", &a, RCMS_CS_REJECTED);
	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_string_equal(got.reason, "not a national of Pakistan");
	assert_int_equal(got.extension_days, 30);
	assert_int_equal(got.decided_at, TU_NOW);
	step(&e->olga, c.local_ref, "close", NULL, RCMS_CS_CLOSED);
	audit_ok(e->db);
}

static void test_transition_errors(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, wb;
	struct tu_counts before, after;
	struct rcms_transition_args a = {.reason = "x", .days = 7};

	create(&e->olga, "KHAN", &c);
	tu_counts(e->db, &before);
	assert_int_equal(db_case_transition(NULL, c.local_ref, "submit", NULL,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_transition(&e->olga, NULL, "submit", NULL,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_transition(&e->olga, "", "submit", NULL, NULL,
					    &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, NULL, NULL,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "", NULL,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "fly", NULL,
					    NULL, &err),
			 RCMS_ERR_INVALID);
	assert_has(err.msg, "fly");
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "accept",
					    NULL, NULL, &err),
			 RCMS_ERR_TRANSITION);
	assert_has(err.msg, "submit");   /* what is allowed instead */
	assert_int_equal(db_case_transition(&e->olga, "nope", "submit", NULL,
					    NULL, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_case_transition(&e->admin, c.local_ref, "submit",
					    NULL, NULL, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_case_transition(&e->pk, c.local_ref, "submit",
					    NULL, NULL, &err),
			 RCMS_ERR_PERMISSION);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);

	/* EU-WB allows 6 days of extension */
	tu_case_fill(&wb, "HOXHA");
	snprintf(wb.requested_agency, sizeof(wb.requested_agency), "AL-MUP");
	assert_ok(db_case_create(&e->olga, &wb, NULL, 0, &err), &err);
	step(&e->olga, wb.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
	step(&e->sam, wb.local_ref, "approve", NULL, RCMS_CS_SUBMITTED);
	{
		struct db_ctx al;
		tu_ctx(&al, e->db, "alb", RCMS_ROLE_OFFICER, "AL-MUP");
		rcms_err_clear(&err);
		assert_int_equal(db_case_transition(&al, wb.local_ref, "extend",
						    &a, NULL, &err),
				 RCMS_ERR_INVALID);
		assert_string_equal(err.field, "days");
		a.days = 6;
		step(&al, wb.local_ref, "extend", &a,
		     RCMS_CS_EXTENSION_REQUESTED);
	}
}

static void test_submit_incomplete(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct tu_counts before, after;

	rcms_case_init(&c);
	snprintf(c.person.surnames, sizeof(c.person.surnames), "KHAN");
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	tu_counts(e->db, &before);
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "submit",
					    NULL, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "requested_agency");
	assert_has(err.msg, "not complete");
	assert_has(err.msg, "requested_agency");
	assert_has(err.msg, "evidence_basis");
	assert_has(err.msg, "given_names");
	assert_has(err.msg, "birth_date");
	assert_has(err.msg, "nationality");
	assert_null(strstr(err.msg, "surnames"));
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	assert_int_equal(status_of(&e->olga, c.local_ref), RCMS_CS_DRAFT);

	/* complete it bit by bit */
	{
		const struct db_change ch[] = {
			{"requested_agency", "PK-MOI"},
			{"evidence_basis", "prima_facie"},
			{"given_names", "ALI"},
			{"birth_date", "1990"},
			{"nationality", "PK"},
			{"procedure", "accelerated"},
		};
		assert_ok(db_case_edit(&e->olga, c.local_ref, ch, 6, &err),
			  &err);
	}
	/* accelerated needs the place and full date of apprehension */
	rcms_err_clear(&err);
	assert_int_equal(db_case_transition(&e->olga, c.local_ref, "submit",
					    NULL, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "apprehension_date");
	assert_ok(edit1(&e->olga, c.local_ref, "procedure", "normal", &err),
		  &err);
	step(&e->olga, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
}

/* ---- a use case that fails half way leaves nothing behind ------------- */

static void fail_everything(struct env *e, const char *trigger)
{
	struct rcms_err err = {0};
	struct rcms_case c, n, got;
	struct rcms_attachment att;
	struct tu_counts before, after;
	struct db_user u;
	struct rcms_agreement agr;
	char path[300];

	create(&e->olga, "KHAN", &c);
	path_join(path, sizeof(path), e->dir, "scan.pdf");
	tu_write_file(path, "%PDF-1.4 not really", 19);
	tu_exec(e->db, trigger);
	tu_counts(e->db, &before);

	tu_case_fill(&n, "SMITH");
	assert_int_not_equal(db_case_create(&e->olga, &n, NULL, 0, &err),
			     RCMS_OK);
	assert_string_equal(n.id, "");
	assert_string_equal(n.local_ref, "");
	assert_int_not_equal(edit1(&e->olga, c.local_ref, "surnames", "OTHER",
				   &err),
			     RCMS_OK);
	assert_int_not_equal(db_case_transition(&e->olga, c.local_ref,
						"submit", NULL, NULL, &err),
			     RCMS_OK);
	assert_int_not_equal(db_note_add(&e->olga, c.local_ref, "a note",
					 NULL, &err),
			     RCMS_OK);
	assert_int_not_equal(db_attach(&e->olga, c.local_ref, path,
				       RCMS_ATT_SCAN, 0, &att, &err),
			     RCMS_OK);
	{
		struct rcms_document d;
		rcms_document_init(&d);
		snprintf(d.number, sizeof(d.number), "AB123");
		assert_int_not_equal(db_document_add(&e->olga, c.local_ref, &d,
						     &err),
				     RCMS_OK);
	}
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	assert_ok(db_case_get(&e->olga, c.local_ref, &got, &err), &err);
	assert_string_equal(got.person.surnames, "KHAN");
	assert_int_equal(got.status, RCMS_CS_DRAFT);
	assert_int_equal(got.rev, 1);

	/* the audit-only use cases too, when the audit is what fails */
	if (strstr(trigger, "ON audit")) {
		int64_t users = tu_int(e->db, "SELECT count(*) FROM users");
		struct rcms_justify_list why;
		rcms_justify_defaults(&why);
		assert_int_not_equal(db_case_viewed(&e->olga, &got, &why,
						    "idcheck", "case show",
						    &err),
				     RCMS_OK);
		memset(&u, 0, sizeof(u));
		snprintf(u.username, sizeof(u.username), "bob");
		u.role = RCMS_ROLE_OFFICER;
		assert_int_not_equal(db_user_add(&e->admin, &u, TU_PASSWORD,
						 &tu_cost, &err),
				     RCMS_OK);
		assert_int_equal(tu_int(e->db, "SELECT count(*) FROM users"),
				 users);
		tu_agreement_pk(&agr);
		agr.reply.n = 1;
		assert_int_not_equal(db_agreement_put(&e->admin, &agr, &err),
				     RCMS_OK);
		assert_ok(db_agreement_get(e->db, "EU-PK", &agr, &err), &err);
		assert_int_equal(agr.reply.n, 30);
		assert_int_not_equal(db_user_passwd(&e->admin, "olga",
						    "another password", &tu_cost,
						    &err),
				     RCMS_OK);
		/* no login goes unrecorded */
		assert_int_not_equal(db_login(e->db, "olga", TU_PASSWORD, NULL,
					      TU_NOW, &u, &err),
				     RCMS_OK);
	}
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);

	/* the failure leaves the replica usable: the numbering goes on */
	tu_exec(e->db, "DROP TRIGGER temp.boom");
	tu_case_fill(&n, "SMITH");
	assert_ok(db_case_create(&e->olga, &n, NULL, 0, &err), &err);
	assert_string_equal(n.local_ref, "RS-MUP-W01-2026-000002");
	assert_ok(db_attach(&e->olga, c.local_ref, path, RCMS_ATT_SCAN, 0,
			    &att, &err),
		  &err);
	audit_ok(e->db);
}

static void test_fail_outbox(void **state)
{
	fail_everything(*state, "CREATE TEMP TRIGGER boom BEFORE INSERT ON"
				" outbox BEGIN SELECT RAISE(ABORT, 'boom');"
				" END;");
}

static void test_fail_audit(void **state)
{
	fail_everything(*state, "CREATE TEMP TRIGGER boom BEFORE INSERT ON"
				" audit BEGIN SELECT RAISE(ABORT, 'boom');"
				" END;");
}

static void test_fail_cases(void **state)
{
	/* the case row itself (an UPDATE for edits and steps) */
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct tu_counts before, after;

	create(&e->olga, "KHAN", &c);
	tu_exec(e->db, "CREATE TEMP TRIGGER boom BEFORE UPDATE ON cases BEGIN"
		       " SELECT RAISE(ABORT, 'boom'); END;");
	tu_counts(e->db, &before);
	assert_int_not_equal(edit1(&e->olga, c.local_ref, "surnames", "OTHER",
				   &err),
			     RCMS_OK);
	assert_int_not_equal(db_case_transition(&e->olga, c.local_ref,
						"submit", NULL, NULL, &err),
			     RCMS_OK);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	tu_exec(e->db, "DROP TRIGGER temp.boom");
	step(&e->olga, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
}

/* ---- notes -------------------------------------------------------------- */

static int collect_note(const struct rcms_note *n, void *arg)
{
	struct rcms_note *out = arg;
	int i = 0;

	while (out[i].id[0])
		i++;
	out[i] = *n;
	return 0;
}

static void test_notes(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct rcms_note n, *list;
	struct tu_counts before, after;
	char *big;
	cJSON *j;

	create(&e->olga, "KHAN", &c);
	memset(&n, 0, sizeof(n));
	assert_ok(db_note_add(&e->olga, c.local_ref, "  called the embassy \n",
			      &n, &err),
		  &err);
	assert_true(tu_is_uuid7(n.id));
	assert_string_equal(n.case_id, c.id);
	assert_string_equal(n.author, "olga");
	assert_string_equal(n.text, "called the embassy");
	assert_int_equal(n.created_at, TU_NOW);
	/* the requested side writes notes too; multi-line is fine */
	e->pk.now = TU_NOW + 1;
	assert_ok(db_note_add(&e->pk, c.id, "line one\nline two\ttab", NULL,
			      &err),
		  &err);
	j = op_payload(e->db, last_seq(e->db));
	assert_string_equal(cJSON_GetObjectItem(j, "text")->valuestring,
			    "line one\nline two\ttab");
	cJSON_Delete(j);

	tu_counts(e->db, &before);
	rcms_err_clear(&err);
	assert_int_equal(db_note_add(&e->olga, c.local_ref, "", NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "note");
	assert_int_equal(db_note_add(&e->olga, c.local_ref, " \n\t ", NULL,
				     &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_note_add(&e->olga, c.local_ref, NULL, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_note_add(NULL, c.local_ref, "x", NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_note_add(&e->olga, c.local_ref, "esc \x1b[2J",
				     NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_note_add(&e->olga, c.local_ref, "bad \xc3\x28",
				     NULL, &err),
			 RCMS_ERR_INVALID);
	big = malloc(RCMS_TEXT_LEN + 1);
	assert_non_null(big);
	memset(big, 'a', RCMS_TEXT_LEN);
	big[RCMS_TEXT_LEN] = '\0';
	assert_int_equal(db_note_add(&e->olga, c.local_ref, big, NULL, &err),
			 RCMS_ERR_INVALID);
	free(big);
	assert_int_equal(db_note_add(&e->admin, c.local_ref, "x", NULL, &err),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(db_note_add(&e->olga, "nope", "x", NULL, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_note_add(&e->olga, NULL, "x", NULL, &err),
			 RCMS_ERR_INVALID);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);

	list = calloc(4, sizeof(*list));
	assert_non_null(list);
	assert_ok(db_note_list(&e->olga, c.id, collect_note, list, &err), &err);
	assert_string_equal(list[0].text, "called the embassy");
	assert_string_equal(list[1].author, "pkoff");
	assert_string_equal(list[2].id, "");
	memset(list, 0, 4 * sizeof(*list));
	assert_ok(db_note_list(&e->olga, "nope", collect_note, list, &err),
		  &err);
	assert_string_equal(list[0].id, "");
	free(list);
	assert_int_equal(audit_count(e->db, "note.add"), 2);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM audit WHERE"
				       " detail LIKE '%embassy%'"),
			 0);
	audit_ok(e->db);
}

/* ---- attachments ------------------------------------------------------- */

static int collect_att(const struct rcms_attachment *a, void *arg)
{
	struct rcms_attachment *out = arg;
	int i = 0;

	while (out[i].id[0])
		i++;
	out[i] = *a;
	return 0;
}

static void test_attach(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c, c2;
	struct rcms_attachment a, list[4];
	struct tu_counts before, after;
	char path[300], path2[300], blob[600], want[600], buf[16];
	struct stat sb;
	FILE *f;
	cJSON *j;

	create(&e->olga, "KHAN", &c);
	create(&e->olga, "SMITH", &c2);
	path_join(path, sizeof(path), e->dir, "abc.txt");
	tu_write_file(path, "abc", 3);
	memset(&a, 0, sizeof(a));
	assert_ok(db_attach(&e->olga, c.local_ref, path, RCMS_ATT_SCAN, 3, &a,
			    &err),
		  &err);
	assert_string_equal(a.sha256, ABC_SHA256);
	assert_true(tu_is_uuid7(a.id));
	assert_string_equal(a.case_id, c.id);
	assert_int_equal(a.kind, RCMS_ATT_SCAN);
	assert_string_equal(a.filename, "abc.txt");
	assert_string_equal(a.mime, "text/plain");
	assert_int_equal(a.size, 3);
	assert_string_equal(a.added_by, "olga");
	assert_int_equal(a.added_at, TU_NOW);

	/* the blob store: DATA/blobs/ba/ba7816..., private */
	assert_int_equal(db_blob_path(e->db, a.sha256, blob, sizeof(blob)),
			 RCMS_OK);
	snprintf(want, sizeof(want), "%s/blobs/ba/%s", e->dir, ABC_SHA256);
	assert_string_equal(blob, want);
	assert_int_equal(stat(blob, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0077, 0);
	assert_int_equal(sb.st_size, 3);
	f = fopen(blob, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 3);
	fclose(f);
	assert_memory_equal(buf, "abc", 3);
	snprintf(want, sizeof(want), "%s/blobs/ba", e->dir);
	assert_int_equal(stat(want, &sb), 0);
	assert_int_equal(sb.st_mode & 0077, 0);
	/* no temporary file is left over */
	{
		DIR *d;
		struct dirent *de;
		snprintf(want, sizeof(want), "%s/blobs", e->dir);
		d = opendir(want);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' && strlen(de->d_name) != 2)
				fail_msg("left in the blob store: %s",
					 de->d_name);
		closedir(d);
	}
	j = op_payload(e->db, last_seq(e->db));
	assert_string_equal(cJSON_GetObjectItem(j, "sha256")->valuestring,
			    ABC_SHA256);
	assert_int_equal(cJSON_GetObjectItem(j, "size")->valueint, 3);
	cJSON_Delete(j);

	/* the same file again: already attached */
	tu_counts(e->db, &before);
	rcms_err_clear(&err);
	assert_int_equal(db_attach(&e->olga, c.local_ref, path, RCMS_ATT_PHOTO,
				   0, NULL, &err),
			 RCMS_ERR_EXISTS);
	assert_has(err.msg, c.local_ref);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);

	/* the same bytes under another name, to another case: one blob */
	path_join(path2, sizeof(path2), e->dir, "copy.PDF");
	tu_write_file(path2, "abc", 3);
	assert_ok(db_attach(&e->olga, c2.id, path2, RCMS_ATT_OTHER, 0, &a,
			    &err),
		  &err);
	assert_string_equal(a.mime, "application/pdf");
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM blobs"), 1);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM attachments"), 2);
	/* a file name that is not text is not shown as such */
	path_join(path2, sizeof(path2), e->dir, "\xff\xfe.bin");
	tu_write_file(path2, "xyz", 3);
	assert_ok(db_attach(&e->pk, c2.local_ref, path2, RCMS_ATT_OTHER, 0, &a,
			    &err),
		  &err);
	assert_string_equal(a.filename, "attachment");
	assert_string_equal(a.mime, "application/octet-stream");

	memset(list, 0, sizeof(list));
	assert_ok(db_attachment_list(&e->olga, c.id, collect_att, list, &err),
		  &err);
	assert_string_equal(list[0].sha256, ABC_SHA256);
	assert_int_equal(list[0].kind, RCMS_ATT_SCAN);
	assert_string_equal(list[1].id, "");
	assert_int_equal(audit_count(e->db, "attachment.link"), 3);
	audit_ok(e->db);
}

static void test_attach_errors(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct rcms_attachment a;
	struct tu_counts before, after;
	struct rcms_db *nodata = NULL;
	struct db_ctx ctx;
	char path[300], missing[300], blob[600];

	create(&e->olga, "KHAN", &c);
	path_join(path, sizeof(path), e->dir, "abc.txt");
	tu_write_file(path, "abc", 3);
	path_join(missing, sizeof(missing), e->dir, "missing.txt");
	tu_counts(e->db, &before);

	rcms_err_clear(&err);
	assert_int_equal(db_attach(&e->olga, c.local_ref, missing,
				   RCMS_ATT_SCAN, 0, &a, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_string_equal(err.field, "file");
	rcms_err_clear(&err);
	assert_int_equal(db_attach(&e->olga, c.local_ref, path, RCMS_ATT_SCAN,
				   2, &a, &err),
			 RCMS_ERR_INVALID);
	assert_has(err.msg, "too large");
	assert_int_equal(db_attach(&e->olga, c.local_ref, e->dir,
				   RCMS_ATT_SCAN, 0, &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_attach(&e->olga, c.local_ref, NULL, RCMS_ATT_SCAN,
				   0, &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_attach(&e->olga, c.local_ref, "", RCMS_ATT_SCAN, 0,
				   &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_attach(&e->olga, NULL, path, RCMS_ATT_SCAN, 0, &a,
				   &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_attach(NULL, c.local_ref, path, RCMS_ATT_SCAN, 0,
				   &a, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_attach(&e->olga, "nope", path, RCMS_ATT_SCAN, 0,
				   &a, &err),
			 RCMS_ERR_NOT_FOUND);
	assert_int_equal(db_attach(&e->admin, c.local_ref, path, RCMS_ATT_SCAN,
				   0, &a, &err),
			 RCMS_ERR_PERMISSION);
	tu_counts(e->db, &after);
	tu_counts_equal(&before, &after);
	/* nothing was copied for the refused ones */
	assert_int_equal(db_blob_path(e->db, ABC_SHA256, blob, sizeof(blob)),
			 RCMS_OK);
	assert_int_equal(access(blob, F_OK), -1);

	assert_int_equal(db_blob_path(e->db, "ABC", blob, sizeof(blob)),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_blob_path(e->db, NULL, blob, sizeof(blob)),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_blob_path(e->db, ABC_SHA256, blob, 10),
			 RCMS_ERR_INVALID);
	{
		char upper[65];
		size_t i;
		for (i = 0; i < 64; i++)
			upper[i] = (char)(ABC_SHA256[i] >= 'a'
						  ? ABC_SHA256[i] - 32
						  : ABC_SHA256[i]);
		upper[64] = '\0';
		assert_int_equal(db_blob_path(e->db, upper, blob, sizeof(blob)),
				 RCMS_ERR_INVALID);
	}

	/* a replica without a data folder has nowhere to keep files */
	nodata = tu_db_new(":memory:", NULL);
	tu_ctx(&ctx, nodata, "olga", RCMS_ROLE_OFFICER, TU_AGENCY);
	create(&ctx, "KHAN", &c);
	assert_int_equal(db_attach(&ctx, c.local_ref, path, RCMS_ATT_SCAN, 0,
				   &a, &err),
			 RCMS_ERR_CONFIG);
	assert_int_equal(db_blob_path(nodata, ABC_SHA256, blob, sizeof(blob)),
			 RCMS_ERR_INVALID);
	db_close(&nodata);
}

/* ---- outbox and audit --------------------------------------------------- */

static void test_outbox(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	int64_t n = -1;

	assert_ok(db_outbox_count(e->db, NULL, &n, &err), &err);
	assert_int_equal(n, 0);
	create(&e->olga, "KHAN", &c);
	create(&e->olga, "SMITH", &c);
	assert_ok(db_outbox_count(e->db, NULL, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_ok(db_outbox_count(e->db, "", &n, &err), &err);
	assert_int_equal(n, 2);
	assert_ok(db_outbox_count(e->db, "pending", &n, &err), &err);
	assert_int_equal(n, 2);

	/* an operation's payload never changes once written */
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET fields = '{}'"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET type ="
					       " 'case.delete'"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET base_rev = 7"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET entity_id ="
					       " 'x'"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET actor = 'x'"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET op_id = 'x'"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET device_time"
					       " = 0"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE outbox SET state ="
					       " 'bogus'"),
			     SQLITE_OK);
	/* its delivery state does */
	assert_int_equal(tu_exec_rc(e->db, "UPDATE outbox SET state = 'sent'"
					   " WHERE seq = (SELECT min(seq) FROM outbox)"),
			 SQLITE_OK);
	assert_ok(db_outbox_count(e->db, "pending", &n, &err), &err);
	assert_int_equal(n, 1);
	assert_ok(db_outbox_count(e->db, "sent", &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox WHERE"
				       " fields = '{}'"),
			 0);
}

static int collect_audit(const struct db_audit *a, void *arg)
{
	char *actions = arg;

	list_add(actions, a->action, ",");
	return 0;
}

static int collect_detail(const struct db_audit *a, void *arg)
{
	char *details = arg;

	if (strncmp(a->action, "case.", 5) == 0 &&
	    strcmp(a->action, "case.create") != 0) {
		list_add(details, a->action, " ");
		list_add(details, a->detail, "|");
	}
	return 0;
}

/* db_case_viewed, db_cases_listed: a consultation is recorded with a code
 * of the agency's list, and free text, no code or no list is refused
 * (RCMS_ERR_INVALID) with nothing recorded. */
static void test_consultation_why(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_justify_list why;
	struct rcms_case c;
	char details[LIST_BUF] = "";
	int64_t before;

	create(&e->olga, "KHAN", &c);
	rcms_justify_defaults(&why);
	before = tu_int(e->db, "SELECT count(*) FROM audit");
	assert_int_equal(db_case_viewed(&e->olga, &c, &why, "identity check",
					"case show", &err),
			 RCMS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "not one of the agency's"));
	assert_non_null(strstr(err.msg, "processing"));
	assert_int_equal(db_case_viewed(&e->olga, &c, &why, "legal: case show",
					"case show", &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_viewed(&e->olga, &c, &why, NULL, "case show",
					&err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_viewed(&e->olga, &c, &why, "", "case show",
					&err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_viewed(&e->olga, &c, NULL, "legal",
					"case show", &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_viewed(&e->olga, &c, &why, "legal", "", &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_viewed(&e->olga, &c, &why, "legal", NULL,
					&err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_viewed(&e->olga, NULL, &why, "legal",
					"case show", &err),
			 RCMS_ERR_INTERNAL);
	assert_int_equal(db_cases_listed(&e->olga, "case.list", &why,
					 "curiosity", "case list", 3, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_cases_listed(&e->olga, "case.list", &why, NULL,
					 "case list", 3, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_cases_listed(&e->olga, NULL, &why, "legal",
					 "case list", 3, &err),
			 RCMS_ERR_INTERNAL);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM audit"), before);

	/* a code the agency's own list has, not the default's */
	assert_ok(rcms_justify_parse("asylum=Asylum procedure", &why, &err),
		  &err);
	assert_int_equal(db_case_viewed(&e->olga, &c, &why, "legal",
					"case show", &err),
			 RCMS_ERR_INVALID);
	assert_ok(db_case_viewed(&e->olga, &c, &why, "asylum", "case show",
				 &err), &err);
	rcms_justify_defaults(&why);
	assert_ok(db_cases_listed(&e->olga, "case.list", &why, "supervision",
				  "case list", 2, &err), &err);
	assert_ok(db_cases_listed(&e->olga, "case.search", &why, "legal",
				  "search", 1, &err), &err);
	assert_ok(db_cases_listed(&e->olga, "case.search", &why, "legal",
				  "search", 0, &err), &err);
	assert_ok(db_audit_list(e->db, NULL, collect_detail, details, &err),
		  &err);
	assert_string_equal(details,
			    "case.view asylum: case show|"
			    "case.list supervision: case list (2 cases)|"
			    "case.search legal: search (1 case)|"
			    "case.search legal: search (0 cases)|");
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM audit"),
			 before + 4);
}

static void test_audit_append_only(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_justify_list why;
	struct rcms_case c;
	char actions[LIST_BUF] = "";

	create(&e->olga, "KHAN", &c);
	rcms_justify_defaults(&why);
	assert_ok(db_case_viewed(&e->olga, &c, &why, "idcheck", "case show",
				 &err), &err);
	assert_ok(db_case_viewed(&e->olga, &c, &why, "legal", "workstation",
				 &err), &err);
	assert_ok(db_audit_add(&e->olga, "case.print", c.id, "form A", &err),
		  &err);
	assert_ok(db_audit_list(e->db, c.id, collect_audit, actions, &err),
		  &err);
	assert_string_equal(actions, "case.create,case.view,case.view,"
				     "case.print,");
	actions[0] = '\0';
	assert_ok(db_audit_list(e->db, NULL, collect_audit, actions, &err),
		  &err);
	/* init records its agreements, itself, then the users come */
	assert_true(strncmp(actions, "agreement.put,agreement.put,"
				     "agreement.put,init,user.add,", 47) == 0);

	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE audit SET detail = 'x'"
					       " WHERE seq = 2"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "UPDATE audit SET hash = hash"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "DELETE FROM audit WHERE seq = "
					       "(SELECT max(seq) FROM audit)"),
			     SQLITE_OK);
	assert_int_not_equal(tu_exec_rc(e->db, "DELETE FROM audit"), SQLITE_OK);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM audit WHERE"
				       " detail = 'x'"),
			 0);
	audit_ok(e->db);
}

static void test_audit_verify(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	int64_t n = -1;
	char detail[RCMS_LINE_LEN], sql[1024];

	create(&e->olga, "KHAN", &c);
	create(&e->olga, "SMITH", &c);
	assert_ok(db_audit_verify(e->db, &n, &err), &err);
	assert_int_equal(n, 9); /* 3 agreements, init, 3 users, 2 cases */
	assert_ok(db_audit_verify(e->db, NULL, &err), &err);

	/* an attacker with the file drops the triggers */
	tu_exec(e->db, "DROP TRIGGER audit_no_update;"
		       " DROP TRIGGER audit_no_delete;");

	/* an edited entry */
	tu_text(e->db, "SELECT detail FROM audit WHERE seq = 3", detail,
		sizeof(detail));
	tu_exec(e->db, "UPDATE audit SET detail = 'EU-XX' WHERE seq = 3");
	rcms_err_clear(&err);
	assert_int_equal(db_audit_verify(e->db, &n, &err), RCMS_ERR_INVALID);
	assert_has(err.msg, "audit entry 3 ");
	assert_has(err.msg, "altered");
	snprintf(sql, sizeof(sql), "UPDATE audit SET detail = '%s' WHERE"
				   " seq = 3", detail);
	tu_exec(e->db, sql);
	audit_ok(e->db);
	/* its time */
	tu_exec(e->db, "UPDATE audit SET at = at + 1 WHERE seq = 5");
	rcms_err_clear(&err);
	assert_int_equal(db_audit_verify(e->db, NULL, &err), RCMS_ERR_INVALID);
	assert_has(err.msg, "audit entry 5 ");
	tu_exec(e->db, "UPDATE audit SET at = at - 1 WHERE seq = 5");
	audit_ok(e->db);

	/* a deleted entry */
	tu_exec(e->db, "CREATE TEMP TABLE saved AS SELECT * FROM audit"
		       " WHERE seq = 4; DELETE FROM audit WHERE seq = 4");
	rcms_err_clear(&err);
	assert_int_equal(db_audit_verify(e->db, &n, &err), RCMS_ERR_INVALID);
	assert_has(err.msg, "audit entry 4 ");
	assert_has(err.msg, "missing");
	tu_exec(e->db, "INSERT INTO audit SELECT * FROM saved; DROP TABLE"
		       " saved");
	audit_ok(e->db);

	/* two entries' contents swapped */
	tu_exec(e->db,
		"CREATE TEMP TABLE a2 AS SELECT * FROM audit WHERE seq = 2;"
		"CREATE TEMP TABLE a3 AS SELECT * FROM audit WHERE seq = 3;"
		"UPDATE audit SET (at, actor, action, case_id, detail,"
		" prev_hash, hash) = (SELECT at, actor, action, case_id,"
		" detail, prev_hash, hash FROM a3) WHERE seq = 2;"
		"UPDATE audit SET (at, actor, action, case_id, detail,"
		" prev_hash, hash) = (SELECT at, actor, action, case_id,"
		" detail, prev_hash, hash FROM a2) WHERE seq = 3;");
	rcms_err_clear(&err);
	assert_int_equal(db_audit_verify(e->db, &n, &err), RCMS_ERR_INVALID);
	assert_has(err.msg, "audit entry 2 ");
	/* swapped back, the chain is whole again */
	tu_exec(e->db,
		"UPDATE audit SET (at, actor, action, case_id, detail,"
		" prev_hash, hash) = (SELECT at, actor, action, case_id,"
		" detail, prev_hash, hash FROM a2) WHERE seq = 2;"
		"UPDATE audit SET (at, actor, action, case_id, detail,"
		" prev_hash, hash) = (SELECT at, actor, action, case_id,"
		" detail, prev_hash, hash FROM a3) WHERE seq = 3;");
	audit_ok(e->db);
	/* the last entry too */
	tu_exec(e->db, "UPDATE audit SET actor = 'sue' WHERE seq = 9");
	rcms_err_clear(&err);
	assert_int_equal(db_audit_verify(e->db, &n, &err), RCMS_ERR_INVALID);
	assert_has(err.msg, "audit entry 9 ");
}

/* ---- batches ------------------------------------------------------------ */

static void test_batch(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	char name[32], ref[64];
	int i;

	tu_exec(e->db, "CREATE TEMP TRIGGER fail_one BEFORE INSERT ON cases"
		       " WHEN NEW.surnames = 'FAIL' BEGIN"
		       " SELECT RAISE(ABORT, 'boom'); END;");
	assert_ok(db_batch_begin(e->db, &err), &err);
	assert_int_equal(db_batch_begin(e->db, &err), RCMS_ERR_INTERNAL);
	for (i = 0; i < 100; i++) {
		if (i == 50) {
			/* fails inside its transaction ... */
			tu_case_fill(&c, "FAIL");
			assert_int_not_equal(db_case_create(&e->olga, &c, NULL,
							    0, &err),
					     RCMS_OK);
			/* ... and before it */
			tu_case_fill(&c, "BAD7");
			assert_int_equal(db_case_create(&e->olga, &c, NULL, 0,
							&err),
					 RCMS_ERR_INVALID);
		}
		snprintf(name, sizeof(name), "PERSON %c%c", 'A' + i / 26,
			 'A' + i % 26);
		tu_case_fill(&c, name);
		assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	}
	assert_ok(db_batch_commit(e->db, &err), &err);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM cases"), 100);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox WHERE"
				       " type = 'case.create'"),
			 100);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox"), 100);
	assert_int_equal(audit_count(e->db, "case.create"), 100);
	/* the failed one took no number */
	tu_text(e->db, "SELECT max(local_ref) FROM cases", ref, sizeof(ref));
	assert_string_equal(ref, "RS-MUP-W01-2026-000100");
	assert_int_equal(tu_int(e->db, "SELECT count(DISTINCT local_ref)"
				       " FROM cases"),
			 100);
	audit_ok(e->db);
	/* committing with no batch open is harmless */
	assert_ok(db_batch_commit(e->db, &err), &err);

	/* a rolled-back batch leaves nothing */
	assert_ok(db_batch_begin(e->db, &err), &err);
	for (i = 0; i < 5; i++)
		create(&e->olga, "LATER", &c);
	db_batch_rollback(e->db);
	db_batch_rollback(e->db); /* twice */
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM cases"), 100);
	assert_int_equal(tu_int(e->db, "SELECT count(*) FROM outbox"), 100);
	/* and ordinary use cases work again */
	create(&e->olga, "AFTER", &c);
	assert_string_equal(c.local_ref, "RS-MUP-W01-2026-000101");
	audit_ok(e->db);
}

/* ---- case list and counts ---------------------------------------------- */

struct refs {
	int n;
	char ref[16][RCMS_REF_LEN];
	struct db_case_row first;
};

static int collect_ref(const struct db_case_row *r, void *arg)
{
	struct refs *o = arg;

	if (o->n == 0)
		o->first = *r;
	snprintf(o->ref[o->n], sizeof(o->ref[0]), "%s", r->local_ref + 16);
	o->n++;
	return o->n >= 16;
}

static int stop_at_one(const struct db_case_row *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 1;
}

static void list(struct env *e, const struct db_case_filter *f,
		 const char *want)
{
	struct rcms_err err = {0};
	struct refs o;
	char got[LIST_BUF] = "";
	int i;

	memset(&o, 0, sizeof(o));
	assert_ok(db_case_list(&e->olga, f, collect_ref, &o, &err), &err);
	for (i = 0; i < o.n; i++) {
		list_add(got, o.ref[i], i + 1 < o.n ? "," : "");
	}
	assert_string_equal(got, want);
}

static void test_case_list(void **state)
{
	struct env *e = *state;
	struct rcms_err err = {0};
	struct rcms_case c;
	struct db_case_filter f;
	struct refs o;
	int64_t counts[RCMS_CS__COUNT];
	char sql[160];
	int n = 0;

	/* 1: olga PK; 2: olga AL; 3: sam PK; 4: sam BA; 5: olga PK,
	 * submitted later */
	e->olga.now = TU_NOW;
	create(&e->olga, "ONE", &c);
	e->olga.now = TU_NOW + 10;
	tu_case_fill(&c, "TWO");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "AL-MUP");
	assert_ok(db_case_create(&e->olga, &c, NULL, 0, &err), &err);
	snprintf(sql, sizeof(sql), "UPDATE cases SET reply_due = 2000000000"
				   " WHERE id = '%s'", c.id);
	tu_exec(e->db, sql);
	e->sam.now = TU_NOW + 20;
	create(&e->sam, "THREE", &c);
	e->sam.now = TU_NOW + 30;
	tu_case_fill(&c, "FOUR");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "BA-MSB");
	assert_ok(db_case_create(&e->sam, &c, NULL, 0, &err), &err);
	snprintf(sql, sizeof(sql), "UPDATE cases SET reply_due = 1900000000"
				   " WHERE id = '%s'", c.id);
	tu_exec(e->db, sql);
	e->olga.now = TU_NOW + 40;
	create(&e->olga, "FIVE", &c);
	e->olga.now = TU_NOW + 100;
	step(&e->olga, c.local_ref, "submit", NULL, RCMS_CS_AWAITING_APPROVAL);
	e->olga.now = TU_NOW;

	memset(&f, 0, sizeof(f));
	f.status = -1;
	f.order = DB_ORDER_REF;
	list(e, &f, "000001,000002,000003,000004,000005");
	list(e, NULL, "000005,000004,000003,000002,000001");
	f.order = DB_ORDER_UPDATED;
	list(e, &f, "000005,000004,000003,000002,000001");
	f.order = DB_ORDER_CREATED;
	list(e, &f, "000005,000004,000003,000002,000001");
	/* by deadline: the ones with a deadline first, soonest first */
	f.order = DB_ORDER_DUE;
	memset(&o, 0, sizeof(o));
	assert_ok(db_case_list(&e->olga, &f, collect_ref, &o, &err), &err);
	assert_int_equal(o.n, 5);
	assert_string_equal(o.ref[0], "000004");
	assert_string_equal(o.ref[1], "000002");
	assert_int_equal(o.first.reply_due, 1900000000);

	f.order = DB_ORDER_REF;
	f.status = RCMS_CS_AWAITING_APPROVAL;
	list(e, &f, "000005");
	f.status = RCMS_CS_DRAFT;
	list(e, &f, "000001,000002,000003,000004");
	f.status = RCMS_CS_CLOSED;
	list(e, &f, "");
	f.status = -1;
	f.requested = "PK-MOI";
	list(e, &f, "000001,000003,000005");
	f.requested = "";
	list(e, &f, "000001,000002,000003,000004,000005");
	f.requested = "FR-MI";
	list(e, &f, "");
	f.requested = NULL;
	f.created_by = "sam";
	list(e, &f, "000003,000004");
	f.created_by = "";
	f.due_before = 1950000000;
	list(e, &f, "000004");
	f.due_before = 2100000000;
	list(e, &f, "000002,000004");
	f.due_before = 0;
	f.created_by = "olga";
	f.requested = "PK-MOI";
	list(e, &f, "000001,000005");
	f.created_by = NULL;
	f.requested = NULL;
	f.limit = 2;
	f.offset = 1;
	list(e, &f, "000002,000003");
	f.offset = 4;
	list(e, &f, "000005");
	f.offset = 5;
	list(e, &f, "");
	f.limit = -1;
	f.offset = -3;
	list(e, &f, "000001,000002,000003,000004,000005");

	/* the row carries what a list shows */
	memset(&f, 0, sizeof(f));
	f.status = RCMS_CS_AWAITING_APPROVAL;
	memset(&o, 0, sizeof(o));
	assert_ok(db_case_list(&e->olga, &f, collect_ref, &o, &err), &err);
	assert_int_equal(o.n, 1);
	assert_true(tu_is_uuid7(o.first.id));
	assert_string_equal(o.first.surnames, "FIVE");
	assert_string_equal(o.first.given_names, "ALI");
	assert_string_equal(o.first.nationality, "PAK");
	assert_int_equal(o.first.birth_date.year, 1990);
	assert_int_equal(o.first.birth_date.day, 14);
	assert_string_equal(o.first.requesting_agency, "RS-MUP");
	assert_string_equal(o.first.requested_agency, "PK-MOI");
	assert_int_equal(o.first.status, RCMS_CS_AWAITING_APPROVAL);
	assert_int_equal(o.first.procedure, RCMS_PROC_NORMAL);
	assert_string_equal(o.first.created_by, "olga");
	assert_int_equal(o.first.created_at, TU_NOW + 40);
	assert_int_equal(o.first.updated_at, TU_NOW + 100);

	/* the callback stops it */
	assert_ok(db_case_list(&e->olga, NULL, stop_at_one, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(db_case_list(&e->olga, NULL, NULL, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(db_case_list(NULL, NULL, stop_at_one, &n, &err),
			 RCMS_ERR_INVALID);

	assert_ok(db_case_counts(e->db, counts, &err), &err);
	assert_int_equal(counts[RCMS_CS_DRAFT], 4);
	assert_int_equal(counts[RCMS_CS_AWAITING_APPROVAL], 1);
	assert_int_equal(counts[RCMS_CS_SUBMITTED], 0);
	assert_int_equal(counts[RCMS_CS_CLOSED], 0);
}

/* ---- a crash in the middle of a use case ------------------------------ */

/* The child: create cases until killed, telling the parent after each. */
static void crash_child(const char *path, int fd)
{
	struct rcms_db *db = NULL;
	struct db_ctx ctx;
	struct rcms_case c;
	int i;

	if (db_open(path, NULL, 0, &db, NULL) != RCMS_OK)
		_exit(2);
	tu_ctx(&ctx, db, "olga", RCMS_ROLE_OFFICER, TU_AGENCY);
	for (i = 0; i < 100000; i++) {
		tu_case_fill(&c, "CRASH");
		if (db_case_create(&ctx, &c, NULL, 0, NULL) != RCMS_OK)
			_exit(3);
		if (write(fd, "x", 1) != 1)
			_exit(4);
	}
	_exit(0);
}

static void test_crash(void **state)
{
	struct rcms_db *db = NULL;
	struct rcms_err err = {0};
	char dir[256], path[300], buf[64];
	int fds[2], status = 0;
	int64_t cases, seen = 0;
	pid_t pid;
	ssize_t r;

	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	path_join(path, sizeof(path), dir, "rcms.db");
	db = tu_db_new(path, NULL);
	db_close(&db);

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		crash_child(path, fds[1]);
	}
	close(fds[1]);
	/* let it commit a few, then pull the plug in the middle of one */
	while (seen < 25 && (r = read(fds[0], buf, sizeof(buf))) > 0)
		seen += r;
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(fds[0]);
	assert_true(WIFSIGNALED(status));
	assert_true(seen >= 25);

	/* every case committed is there with its operation and audit
	 * entry; nothing half written */
	assert_ok(db_open(path, NULL, 0, &db, &err), &err);
	cases = tu_int(db, "SELECT count(*) FROM cases");
	assert_true(cases >= seen);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM outbox WHERE type ="
				    " 'case.create'"),
			 cases);
	assert_int_equal(tu_int(db, "SELECT count(*) FROM outbox o JOIN cases"
				    " c ON c.id = o.entity_id"),
			 cases);
	assert_int_equal(audit_count(db, "case.create"), cases);
	assert_int_equal(tu_int(db, "SELECT CAST(value AS INTEGER) FROM meta"
				    " WHERE key = 'ref_counter.2026'"),
			 cases);
	tu_text(db, "PRAGMA integrity_check", buf, sizeof(buf));
	assert_string_equal(buf, "ok");
	audit_ok(db);
	db_close(&db);
	tu_rmrf(dir);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_args),
		cmocka_unit_test(test_migrate_memory),
		cmocka_unit_test(test_migrate_file),
		cmocka_unit_test(test_checkpointer),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_init_all_or_nothing),
		T(test_user_add),
		T(test_user_list),
		T(test_login),
		T(test_lockout),
		T(test_disabled),
		T(test_directory),
		T(test_sessions),
		T(test_passwd),
		T(test_agreement_get),
		T(test_agreement_put),
		T(test_holidays),
		T(test_case_create),
		T(test_case_create_agreement),
		T(test_case_documents),
		T(test_case_get),
		T(test_case_visibility),
		T(test_edit_errors),
		T(test_edit_all_or_nothing),
		T(test_edit_noop),
		T(test_edit_after_submission),
		T(test_caseload_counts),
		T(test_pull_page_whole),
		T(test_pull_words),
		T(test_happy_path),
		T(test_return_reject),
		T(test_transition_errors),
		T(test_submit_incomplete),
		T(test_fail_outbox),
		T(test_fail_audit),
		T(test_fail_cases),
		T(test_notes),
		T(test_attach),
		T(test_attach_errors),
		T(test_outbox),
		T(test_consultation_why),
		T(test_audit_append_only),
		T(test_audit_verify),
		T(test_batch),
		T(test_case_list),
		cmocka_unit_test(test_crash),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
