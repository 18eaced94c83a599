/* db.c - opening the replica, statements, transactions, outbox, audit. */
#include "db/db_priv.h"
#include "app/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

sqlite3_stmt *db_stmt(struct rcms_db *db, const char *sql,
		      struct rcms_err *err)
{
	sqlite3_stmt *s = NULL;
	int i, rc;

	for (i = 0; i < db->ncache; i++) {
		if (db->cache[i].key == sql) {
			s = db->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
				&s, NULL);
	if (rc != SQLITE_OK) {
		db_sqlerr(db, rc, err);
		return NULL;
	}
	if (db->ncache < DB_STMT_CACHE) {
		db->cache[db->ncache].key = sql;
		db->cache[db->ncache].stmt = s;
		db->ncache++;
	} else {
		/* full: evict the oldest statement that is not being stepped
		 * (a list callback may still be reading one) */
		for (i = 0; i < DB_STMT_CACHE; i++)
			if (!sqlite3_stmt_busy(db->cache[i].stmt))
				break;
		if (i == DB_STMT_CACHE) {
			sqlite3_finalize(s);
			rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				     "too many statements in use at once");
			return NULL;
		}
		sqlite3_finalize(db->cache[i].stmt);
		memmove(&db->cache[i], &db->cache[i + 1],
			sizeof(db->cache[0]) * (size_t)(DB_STMT_CACHE - 1 - i));
		db->cache[DB_STMT_CACHE - 1].key = sql;
		db->cache[DB_STMT_CACHE - 1].stmt = s;
	}
	return s;
}

enum rcms_status db_sqlerr(struct rcms_db *db, int rc, struct rcms_err *err)
{
	int prim = rc & 0xff;

	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return rcms_err_set(err, RCMS_ERR_BUSY, NULL,
				    "the case database is in use by another "
				    "rcms program; try again in a moment");
	if (prim == SQLITE_FULL)
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "the disk is full; nothing was saved");
	if (prim == SQLITE_READONLY || prim == SQLITE_PERM ||
	    prim == SQLITE_CANTOPEN)
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot write the case database: %s",
				    db && db->sql ? sqlite3_errmsg(db->sql)
						  : sqlite3_errstr(rc));
	if (prim == SQLITE_CONSTRAINT)
		return rcms_err_set(err, RCMS_ERR_EXISTS, NULL,
				    "the record already exists or breaks a "
				    "rule of the database (%s)",
				    db && db->sql ? sqlite3_errmsg(db->sql)
						  : sqlite3_errstr(rc));
	if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
		return rcms_err_set(err, RCMS_ERR_DB, NULL,
				    "the case database is damaged (%s); "
				    "restore it from a backup",
				    sqlite3_errstr(rc));
	return rcms_err_set(err, RCMS_ERR_DB, NULL, "database error: %s",
			    db && db->sql ? sqlite3_errmsg(db->sql)
					  : sqlite3_errstr(rc));
}

static enum rcms_status exec(struct rcms_db *db, const char *sql,
			     struct rcms_err *err)
{
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* Transaction control through cached statements: no parsing per use
 * case.  sql must be one of the static strings below. */
static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_savepoint[] = "SAVEPOINT uc";
static const char sql_release[] = "RELEASE uc";

static enum rcms_status step1(struct rcms_db *db, const char *sql,
			      struct rcms_err *err)
{
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}

/*
 * Transactions.  A use case calls db_begin/db_commit/db_rollback.  Inside
 * a batch (db_batch_begin) they become a savepoint, so that a failing use
 * case still leaves nothing behind while the batch commits once: imports
 * and the benchmark's generator write a million cases that way.
 */
enum rcms_status db_begin(struct rcms_db *db, struct rcms_err *err)
{
	enum rcms_status st;

	if (db->in_tx)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "nested transaction");
	st = step1(db, db->in_batch ? sql_savepoint : sql_begin, err);
	if (st == RCMS_OK)
		db->in_tx = 1;
	return st;
}

enum rcms_status db_commit(struct rcms_db *db, struct rcms_err *err)
{
	enum rcms_status st = step1(db, db->in_batch ? sql_release : sql_commit,
				    err);

	if (st == RCMS_OK)
		db->in_tx = 0;
	else
		db_rollback(db);
	return st;
}

void db_rollback(struct rcms_db *db)
{
	if (!db->in_tx)
		return;
	if (db->in_batch)
		sqlite3_exec(db->sql, "ROLLBACK TO uc; RELEASE uc", NULL, NULL,
			     NULL);
	else
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
}

enum rcms_status db_batch_begin(struct rcms_db *db, struct rcms_err *err)
{
	enum rcms_status st;

	if (db->in_batch || db->in_tx)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "a batch is already open");
	st = exec(db, "BEGIN IMMEDIATE", err);
	if (st == RCMS_OK)
		db->in_batch = 1;
	return st;
}

enum rcms_status db_batch_commit(struct rcms_db *db, struct rcms_err *err)
{
	enum rcms_status st;

	if (!db->in_batch)
		return RCMS_OK;
	/* a batch writes many cases: their moves of the caseload's counts
	 * go into them with it */
	st = db_caseload_fold(db, err);
	if (st == RCMS_OK)
		st = exec(db, "COMMIT", err);
	if (st)
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	db->in_batch = 0;
	return st;
}

void db_batch_rollback(struct rcms_db *db)
{
	if (!db->in_batch)
		return;
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	db->in_batch = 0;
	db->in_tx = 0;
}

int db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

int db_bind_int(sqlite3_stmt *s, int i, int64_t v)
{
	return sqlite3_bind_int64(s, i, v);
}

void db_col_text(sqlite3_stmt *s, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, i) : 0;

	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(buf, t, n);
	buf[n] = '\0';
}

enum rcms_status db_random(void *buf, size_t n, struct rcms_err *err)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return rcms_err_set(err, RCMS_ERR_IO, NULL,
					    "no random numbers from the "
					    "system: %s", strerror(errno));
		}
		p += r;
		n -= (size_t)r;
	}
	return RCMS_OK;
}

enum rcms_status db_uuid(int64_t now_ms, char out[RCMS_ID_LEN],
			 struct rcms_err *err)
{
	uint8_t rnd[10];
	enum rcms_status st = db_random(rnd, sizeof(rnd), err);

	if (st)
		return st;
	rcms_uuid7_format((uint64_t)now_ms, rnd, out);
	return RCMS_OK;
}

void db_sha256_hex(const void *data, size_t n, char out[RCMS_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int len = 0;
	int i;

	EVP_Digest(data, n, md, &len, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

static enum rcms_status open_sql(struct rcms_db *db, const char *path,
				 unsigned flags, struct rcms_err *err)
{
	static bool configured;
	int oflags = SQLITE_OPEN_NOMUTEX;
	int rc;

	/* No memory statistics (nothing here reads them): without them
	 * SQLite's every malloc and free took a global mutex and counted,
	 * and a pull makes millions (its statement journals, in memory,
	 * are 1 KB chunks).  Only before SQLite starts; it starts on the
	 * first open, and a later call would be refused (harmlessly). */
	if (!configured) {
		configured = true;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	if (flags & DB_OPEN_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (flags & DB_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &db->sql, oflags, NULL);
	if (rc != SQLITE_OK) {
		if (!(flags & DB_OPEN_CREATE) && (rc & 0xff) == SQLITE_CANTOPEN)
			return rcms_err_set(err, RCMS_ERR_NOT_FOUND, NULL,
					    "no case database at %s; run "
					    "'rcms init' first", path);
		return db_sqlerr(db, rc, err);
	}
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_timeout(db->sql, 5000);
	return RCMS_OK;
}

enum rcms_status db_open(const char *path, const char *data_dir,
			 unsigned flags, struct rcms_db **out,
			 struct rcms_err *err)
{
	struct rcms_db *db = NULL;
	enum rcms_status st;
	bool memory;

	if (!path || !out)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no database path");
	*out = NULL;
	memory = strcmp(path, ":memory:") == 0;
	db = calloc(1, sizeof(*db));
	if (!db)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	if (data_dir && !(db->data_dir = strdup(data_dir))) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto fail;
	}
	if (!memory && (flags & DB_OPEN_CREATE)) {
		/* create it 0600 ourselves: SQLite would honour the umask */
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			st = rcms_err_set(err, RCMS_ERR_IO, NULL,
					  "cannot create %s: %s", path,
					  strerror(errno));
			goto fail;
		}
		close(fd);
	}
	st = open_sql(db, path, flags, err);
	if (st)
		goto fail;
	if (!(flags & DB_OPEN_READONLY)) {
		st = exec(db, "PRAGMA journal_mode=WAL;", err);
		if (st)
			goto fail;
	}
	st = exec(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
		      "PRAGMA trusted_schema=OFF; PRAGMA temp_store=MEMORY;",
		  err);
	if (st)
		goto fail;
	if (!(flags & DB_OPEN_READONLY)) {
		st = db_migrate(db, err);
		if (st)
			goto fail;
	}
	*out = db;
	return RCMS_OK;
fail:
	db_close(&db);
	return st;
}

void db_close(struct rcms_db **pdb)
{
	struct rcms_db *db;
	int i;

	if (!pdb || !*pdb)
		return;
	db = *pdb;
	db_checkpointer_stop(db);
	db_rollback(db);
	db_batch_rollback(db);
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].stmt);
	if (db->sql)
		sqlite3_close_v2(db->sql);
	free(db->data_dir);
	free(db->case_update_sql);
	free(db->case_new_sql);
	free(db->case_select_sql);
	free(db);
	*pdb = NULL;
}

/* ---- the checkpointer ---------------------------------------------------- */

#define CKPT_SOFT 1000   /* pages of WAL: wake the checkpointer */
#define CKPT_HARD 16000  /* pages: the committer checkpoints itself */
#define CKPT_SQLITE 1000 /* SQLite's own mark, back when it stops */

struct db_ckpt {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool due, stopping;
	pthread_t t;
	sqlite3 *sql;   /* its own connection, used by its thread only */
};

static int ckpt_hook(void *arg, sqlite3 *sql, const char *name, int pages)
{
	struct db_ckpt *k = arg;

	if (pages >= CKPT_HARD) {
		sqlite3_wal_checkpoint_v2(sql, name, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	} else if (pages >= CKPT_SOFT) {
		pthread_mutex_lock(&k->mu);
		k->due = true;
		pthread_cond_signal(&k->cv);
		pthread_mutex_unlock(&k->mu);
	}
	return SQLITE_OK;
}

static void *ckpt_main(void *arg)
{
	struct db_ckpt *k = arg;

	pthread_mutex_lock(&k->mu);
	while (!k->stopping) {
		if (!k->due) {
			pthread_cond_wait(&k->cv, &k->mu);
			continue;
		}
		k->due = false;
		pthread_mutex_unlock(&k->mu);
		/* SQLITE_BUSY (another process's checkpoint runs) is no
		 * error: the next commit past the mark wakes this again */
		sqlite3_wal_checkpoint_v2(k->sql, NULL,
					  SQLITE_CHECKPOINT_PASSIVE, NULL,
					  NULL);
		pthread_mutex_lock(&k->mu);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

static void ckpt_free(struct db_ckpt *k)
{
	sqlite3_close_v2(k->sql);
	pthread_cond_destroy(&k->cv);
	pthread_mutex_destroy(&k->mu);
	free(k);
}

enum rcms_status db_checkpointer_start(struct rcms_db *db,
				       struct rcms_err *err)
{
	const char *path = sqlite3_db_filename(db->sql, "main");
	struct db_ckpt *k;
	int rc;

	if (db->ckpt || !path || !path[0] ||
	    sqlite3_db_readonly(db->sql, "main"))
		return RCMS_OK;
	k = calloc(1, sizeof(*k));
	if (!k)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	if (pthread_mutex_init(&k->mu, NULL) != 0) {
		free(k);
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	if (pthread_cond_init(&k->cv, NULL) != 0) {
		pthread_mutex_destroy(&k->mu);
		free(k);
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	rc = sqlite3_open_v2(path, &k->sql,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	/* a connection opens the file at its first statement: until then
	 * it knows of no WAL to checkpoint */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(k->sql, "SELECT 1 FROM sqlite_schema LIMIT 1",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK || pthread_create(&k->t, NULL, ckpt_main, k)) {
		ckpt_free(k);
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "cannot start the checkpointer");
	}
	db->ckpt = k;
	sqlite3_wal_hook(db->sql, ckpt_hook, k);
	return RCMS_OK;
}

void db_checkpointer_stop(struct rcms_db *db)
{
	struct db_ckpt *k = db ? db->ckpt : NULL;

	if (!k)
		return;
	/* SQLite's own checkpoint again (it replaces the hook) */
	sqlite3_wal_autocheckpoint(db->sql, CKPT_SQLITE);
	pthread_mutex_lock(&k->mu);
	k->stopping = true;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->t, NULL);
	ckpt_free(k);
	db->ckpt = NULL;
}

int db_schema_version(struct rcms_db *db)
{
	sqlite3_stmt *s = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &s,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

void *db_raw(struct rcms_db *db)
{
	return db ? db->sql : NULL;
}

/* ---- meta ------------------------------------------------------------- */

enum rcms_status db_meta_get(struct rcms_db *db, const char *key, char *buf,
			     size_t size, struct rcms_err *err)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		db_col_text(s, 0, buf, size);
		sqlite3_reset(s);
		return RCMS_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return rcms_err_set(err, RCMS_ERR_NOT_FOUND, NULL,
				    "no setting '%s' in the database", key);
	return db_sqlerr(db, rc, err);
}

enum rcms_status db_meta_set(struct rcms_db *db, const char *key,
			     const char *value, struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO meta(key, value) VALUES(?1, ?2) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, key);
	db_bind_text(s, 2, value);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* ---- outbox ----------------------------------------------------------- */

enum rcms_status db_outbox_add(struct db_ctx *ctx, const char *type,
			       const char *entity_id, int64_t base_rev,
			       const char *fields_json, struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO outbox(op_id, type, entity_id, base_rev, fields,"
		" actor, device_time, state) "
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending')";
	static const char busy[] =
		"SELECT 1 FROM outbox WHERE entity_id = ?1 AND state = 'pending'"
		" AND sending_until > ?2 LIMIT 1";
	struct rcms_db *db = ctx->db;
	char op_id[RCMS_ID_LEN];
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	/* the case is locked while an operation of it is on its way */
	s = db_stmt(db, busy, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, entity_id);
	db_bind_int(s, 2, (int64_t)time(NULL));
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				    "this case is being sent to the exchange "
				    "right now; try again in a moment (nothing "
				    "was changed)");
	if (rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);

	st = db_uuid(ctx->now * 1000, op_id, err);
	if (st)
		return st;
	s = db_stmt(db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, op_id);
	db_bind_text(s, 2, type);
	db_bind_text(s, 3, entity_id);
	db_bind_int(s, 4, base_rev);
	db_bind_text(s, 5, fields_json ? fields_json : "{}");
	db_bind_text(s, 6, ctx->user.username);
	db_bind_int(s, 7, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

void db_op_from_row(sqlite3_stmt *s, struct db_op *op)
{
	memset(op, 0, sizeof(*op));
	op->seq = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, op->op_id, sizeof(op->op_id));
	db_col_text(s, 2, op->type, sizeof(op->type));
	db_col_text(s, 3, op->entity_id, sizeof(op->entity_id));
	op->base_rev = sqlite3_column_int64(s, 4);
	op->fields = (char *)sqlite3_column_text(s, 5);
	db_col_text(s, 6, op->actor, sizeof(op->actor));
	op->device_time = sqlite3_column_int64(s, 7);
	db_col_text(s, 8, op->state, sizeof(op->state));
	op->result = (const char *)sqlite3_column_text(s, 9);
}

enum rcms_status db_outbox_list(struct rcms_db *db,
				int (*fn)(const struct db_op *op, void *arg),
				void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT seq, op_id, type, entity_id, base_rev, fields, actor,"
		" device_time, state, result FROM outbox ORDER BY seq";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct db_op op;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_op_from_row(s, &op);
		if (fn(&op, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : db_sqlerr(db, rc, err);
}

enum rcms_status db_outbox_count(struct rcms_db *db, const char *state,
				 int64_t *out, struct rcms_err *err)
{
	return db_outbox_count_upto(db, state, 0, out, err);
}

enum rcms_status db_outbox_count_upto(struct rcms_db *db, const char *state,
				      int64_t max, int64_t *out,
				      struct rcms_err *err)
{
	/* a state reads its index (outbox_state), not the operations */
	static const char all_sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT ?2)";
	static const char state_sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM outbox WHERE state = ?1"
		" LIMIT ?2)";
	bool any = !state || !*state;
	sqlite3_stmt *s = db_stmt(db, any ? all_sql : state_sql, err);
	int rc;

	*out = 0;
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	if (!any)
		db_bind_text(s, 1, state);
	db_bind_int(s, 2, max > 0 ? max : -1);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* ---- audit ------------------------------------------------------------ */

/* The entry's hash: app/audit.c, shared with the exchange, which checks
 * the entries it is sent the same way. */
static void audit_hash(const struct db_audit *a, char out[RCMS_SHA256_HEX])
{
	rcms_audit_hash(a->seq, a->at, a->actor, a->action, a->case_id,
			a->detail, a->prev_hash, out);
}

enum rcms_status db_audit_append(struct db_ctx *ctx, const char *action,
				 const char *case_id, const char *detail,
				 struct rcms_err *err)
{
	static const char last_sql[] =
		"SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
	static const char ins_sql[] =
		"INSERT INTO audit(seq, at, actor, action, case_id, detail,"
		" prev_hash, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	struct rcms_db *db = ctx->db;
	struct db_audit a;
	sqlite3_stmt *s;
	int rc;

	memset(&a, 0, sizeof(a));
	s = db_stmt(db, last_sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		a.seq = sqlite3_column_int64(s, 0) + 1;
		db_col_text(s, 1, a.prev_hash, sizeof(a.prev_hash));
	} else if (rc == SQLITE_DONE) {
		a.seq = 1;
		memset(a.prev_hash, '0', 64);
	} else {
		sqlite3_reset(s);
		return db_sqlerr(db, rc, err);
	}
	sqlite3_reset(s);
	a.at = ctx->now;
	snprintf(a.actor, sizeof(a.actor), "%s", ctx->user.username);
	snprintf(a.action, sizeof(a.action), "%s", action);
	snprintf(a.case_id, sizeof(a.case_id), "%s", case_id ? case_id : "");
	snprintf(a.detail, sizeof(a.detail), "%s", detail ? detail : "");
	audit_hash(&a, a.hash);

	s = db_stmt(db, ins_sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_int(s, 1, a.seq);
	db_bind_int(s, 2, a.at);
	db_bind_text(s, 3, a.actor);
	db_bind_text(s, 4, a.action);
	db_bind_text(s, 5, a.case_id);
	db_bind_text(s, 6, a.detail);
	db_bind_text(s, 7, a.prev_hash);
	db_bind_text(s, 8, a.hash);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	/* the head of the chain, so that cutting entries off the end shows */
	{
		char head[96];
		snprintf(head, sizeof(head), "%lld %s", (long long)a.seq,
			 a.hash);
		return db_meta_set(db, "audit_head", head, err);
	}
}

enum rcms_status db_audit_add(struct db_ctx *ctx, const char *action,
			      const char *case_id, const char *detail,
			      struct rcms_err *err)
{
	enum rcms_status st = db_begin(ctx->db, err);

	if (st)
		return st;
	st = db_audit_append(ctx, action, case_id, detail, err);
	if (st) {
		db_rollback(ctx->db);
		return st;
	}
	return db_commit(ctx->db, err);
}

static void audit_from_row(sqlite3_stmt *s, struct db_audit *a)
{
	memset(a, 0, sizeof(*a));
	a->seq = sqlite3_column_int64(s, 0);
	a->at = sqlite3_column_int64(s, 1);
	db_col_text(s, 2, a->actor, sizeof(a->actor));
	db_col_text(s, 3, a->action, sizeof(a->action));
	db_col_text(s, 4, a->case_id, sizeof(a->case_id));
	db_col_text(s, 5, a->detail, sizeof(a->detail));
	db_col_text(s, 6, a->prev_hash, sizeof(a->prev_hash));
	db_col_text(s, 7, a->hash, sizeof(a->hash));
}

enum rcms_status db_audit_list(struct rcms_db *db, const char *case_id,
			       int (*fn)(const struct db_audit *a, void *arg),
			       void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT seq, at, actor, action, case_id, detail, prev_hash, hash"
		" FROM audit WHERE ?1 = '' OR case_id = ?1 ORDER BY seq";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct db_audit a;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id ? case_id : "");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		audit_from_row(s, &a);
		if (fn(&a, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : db_sqlerr(db, rc, err);
}

enum rcms_status db_audit_since(struct rcms_db *db, int64_t after, int max,
				int (*fn)(const struct db_audit *a, void *arg),
				void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT seq, at, actor, action, case_id, detail, prev_hash, hash"
		" FROM audit WHERE seq >= ?1 ORDER BY seq LIMIT ?2";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct db_audit a;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_int(s, 1, after);
	db_bind_int(s, 2, (int64_t)max + 1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		audit_from_row(s, &a);
		if (fn(&a, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : db_sqlerr(db, rc, err);
}

enum rcms_status db_audit_pushed(struct rcms_db *db, int64_t *seq,
				 struct rcms_err *err)
{
	char buf[32];
	char *end = NULL;
	long long v;

	*seq = 0;
	if (db_meta_get(db, "audit_pushed_seq", buf, sizeof(buf), NULL) !=
	    RCMS_OK)
		return RCMS_OK;
	v = strtoll(buf, &end, 10);
	if (!end || *end || end == buf || v < 0)
		return rcms_err_set(err, RCMS_ERR_DB, NULL,
				    "the record of the audit entries sent to "
				    "the exchange is damaged");
	*seq = (int64_t)v;
	return RCMS_OK;
}

enum rcms_status db_audit_set_pushed(struct rcms_db *db, int64_t seq,
				     struct rcms_err *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)seq);
	return db_meta_set(db, "audit_pushed_seq", buf, err);
}

enum rcms_status db_audit_verify(struct rcms_db *db, int64_t *checked,
				 struct rcms_err *err)
{
	static const char sql[] =
		"SELECT seq, at, actor, action, case_id, detail, prev_hash, hash"
		" FROM audit ORDER BY seq";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct db_audit a;
	char prev[RCMS_SHA256_HEX], want[RCMS_SHA256_HEX];
	int64_t expect_seq = 1, n = 0;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	memset(prev, '0', 64);
	prev[64] = '\0';
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		audit_from_row(s, &a);
		if (a.seq != expect_seq) {
			sqlite3_reset(s);
			return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					    "audit entry %lld is missing "
					    "(found %lld next)",
					    (long long)expect_seq,
					    (long long)a.seq);
		}
		if (strcmp(a.prev_hash, prev) != 0) {
			sqlite3_reset(s);
			return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					    "audit entry %lld does not follow "
					    "entry %lld (broken chain)",
					    (long long)a.seq,
					    (long long)a.seq - 1);
		}
		audit_hash(&a, want);
		if (strcmp(a.hash, want) != 0) {
			sqlite3_reset(s);
			return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					    "audit entry %lld was altered "
					    "(its hash does not match)",
					    (long long)a.seq);
		}
		memcpy(prev, a.hash, sizeof(prev));
		expect_seq++;
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	/* the end: the head record (meta audit_head, "SEQ HASH"), written
	 * with every entry in its transaction, shows entries cut off the end
	 * -- unless it was rewritten too: only the exchange's copy of the log
	 * sees that (rcms(1), THE AUDIT LOG) */
	{
		char head[96], agency[64];
		char *end = NULL;
		long long hseq;

		if (db_meta_get(db, "audit_head", head, sizeof(head), NULL) !=
		    RCMS_OK) {
			if (n > 0 || db_meta_get(db, "agency", agency,
						 sizeof(agency), NULL) ==
					     RCMS_OK)
				return rcms_err_set(
					err, RCMS_ERR_INVALID, NULL,
					"the audit log's head record is "
					"missing: audit entry %lld cannot be "
					"shown to be the last one",
					(long long)(n > 0 ? n : 1));
		} else {
			errno = 0;
			hseq = strtoll(head, &end, 10);
			if (errno || end == head || *end != ' ' ||
			    strlen(end + 1) != 64)
				return rcms_err_set(
					err, RCMS_ERR_INVALID, NULL,
					"the audit log's head record is "
					"damaged");
			if (hseq > n)
				return rcms_err_set(
					err, RCMS_ERR_INVALID, NULL,
					"audit entry %lld is missing: the log "
					"ends at entry %lld but was written "
					"up to entry %lld (entries removed "
					"from the end)",
					(long long)n + 1, (long long)n, hseq);
			if (hseq < n)
				return rcms_err_set(
					err, RCMS_ERR_INVALID, NULL,
					"audit entry %lld was not written by "
					"rcms: the log was written up to entry "
					"%lld but goes on to %lld",
					hseq + 1, hseq, (long long)n);
			if (strcmp(end + 1, prev) != 0)
				return rcms_err_set(
					err, RCMS_ERR_INVALID, NULL,
					"audit entry %lld was altered: it is "
					"not the last entry written (the head "
					"record's hash differs)",
					(long long)n);
		}
	}
	if (checked)
		*checked = n;
	return RCMS_OK;
}
