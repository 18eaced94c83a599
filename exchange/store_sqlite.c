/* store_sqlite.c - the exchange's storage in SQLite (WAL), one
 * connection per thread. */
#include "exchange/store.h"
#include "exchange/apply.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exchange/xjson.h"
#include "sync/wire.h"

#define XSTMT_CACHE 64

struct xstore {
	sqlite3 *db;
	int in_tx;
	int in_batch;   /* a push batch: use cases act on one operation */
	int batch_sp;   /* ... each a savepoint (else none: see x_begin) */
	int spoiled;    /* an operation's rollback could not undo it */
	int64_t changes_sp;  /* sqlite3_total_changes64 at its x_begin */
	/* in a batch, the feed's seq counter is kept here: read when the
	 * batch begins, written back before its COMMIT; seq_sp is its
	 * value at the operation's savepoint, back again on a rollback */
	int64_t seq, seq_sp, seq_stored;
	struct {
		const char *key;   /* the SQL literal's address */
		sqlite3_stmt *st;
	} cache[XSTMT_CACHE];
	int ncache;
	char dir[4096];    /* the data folder: blobs/ab/<sha256> */
	/* the texts a case_put writes, kept for the next one */
	struct xjson body, revs, snap, snap_rq, kids[8];
	bool writer;       /* holds write_lock */
};

/* One writer at a time, in this process, waits here rather than in
 * SQLite's busy handler: that one polls with growing sleeps (up to 100
 * ms), so a thread whose batch found another's transaction open slept on
 * after it had ended, and two connections pushing at once spent more time
 * asleep than applying.  SQLite's own lock stays, for other processes
 * (the administration commands). */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void writer_enter(struct xstore *s)
{
	if (!s->writer) {
		pthread_mutex_lock(&write_lock);
		s->writer = true;
	}
}

static void writer_leave(struct xstore *s)
{
	if (s->writer) {
		s->writer = false;
		pthread_mutex_unlock(&write_lock);
	}
}

/*
 * WAL checkpoints away from the requests.  SQLite's own (every 1,000
 * pages of WAL) runs in the commit that passes the mark: inside the
 * request of a push, whose answer waited for the pages to be copied
 * into the database and the database synced.  While a checkpointer
 * thread runs (xstore_checkpointer_start, the server), a connection
 * opened meanwhile only wakes it at that mark, and it copies them with
 * a PASSIVE checkpoint on its own connection (alongside the writers, as
 * SQLite allows); the WAL is bounded all the same: a commit that finds
 * CKPT_HARD pages in it checkpoints itself, as before.  A connection
 * opened without the thread (the administration commands, the tests)
 * keeps SQLite's.
 */
#define CKPT_SOFT 1000          /* pages of WAL: wake the checkpointer */
#define CKPT_HARD 16000         /* pages: the committer checkpoints */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool due, stopping;
	atomic_bool running;
	pthread_t thread;
	struct xstore *s;
} ckpt = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false,
	  false, false, 0, NULL};

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)arg;
	if (pages >= CKPT_HARD) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	} else if (pages >= CKPT_SOFT) {
		pthread_mutex_lock(&ckpt.lock);
		ckpt.due = true;
		pthread_cond_signal(&ckpt.cond);
		pthread_mutex_unlock(&ckpt.lock);
	}
	return SQLITE_OK;
}

static void *checkpointer(void *arg)
{
	sqlite3 *db = arg;

	pthread_mutex_lock(&ckpt.lock);
	while (!ckpt.stopping) {
		if (!ckpt.due) {
			pthread_cond_wait(&ckpt.cond, &ckpt.lock);
			continue;
		}
		ckpt.due = false;
		pthread_mutex_unlock(&ckpt.lock);
		/* SQLITE_BUSY (another checkpoint runs) is no error here:
		 * the next commit past the mark wakes this one again */
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
		pthread_mutex_lock(&ckpt.lock);
	}
	pthread_mutex_unlock(&ckpt.lock);
	return NULL;
}

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS agencies ("
	"  code TEXT PRIMARY KEY, country TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '') STRICT;"
	"CREATE TABLE IF NOT EXISTS agreements ("
	"  code TEXT PRIMARY KEY, countries TEXT NOT NULL,"
	"  body TEXT NOT NULL) STRICT;"
	"CREATE TABLE IF NOT EXISTS holidays ("
	"  country TEXT NOT NULL, date TEXT NOT NULL,"
	"  PRIMARY KEY (country, date)) STRICT;"
	"CREATE TABLE IF NOT EXISTS ops ("
	"  op_id TEXT PRIMARY KEY, agency TEXT NOT NULL,"
	"  workstation TEXT NOT NULL, fingerprint TEXT NOT NULL,"
	"  result TEXT NOT NULL, received_at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE IF NOT EXISTS counters ("
	"  name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;"
	"CREATE TABLE IF NOT EXISTS cases ("
	"  id TEXT PRIMARY KEY,"
	"  requesting TEXT NOT NULL, requested TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL, submitted INTEGER NOT NULL DEFAULT 0,"
	"  rev INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE,"
	"  reply_due INTEGER NOT NULL DEFAULT 0,"
	"  deemed_at INTEGER NOT NULL DEFAULT 0,"
	"  decided INTEGER NOT NULL DEFAULT 0,"
	"  body TEXT NOT NULL, revs TEXT NOT NULL,"
	"  snapshot TEXT NOT NULL DEFAULT '{}',"
	"  snapshot_rq TEXT NOT NULL DEFAULT '{}',"
	"  purged_at INTEGER NOT NULL DEFAULT 0) STRICT;"
	/* the feed: one row per agency that sees a case, at its last
	 * change; a pull is one range of its primary key */
	"CREATE TABLE IF NOT EXISTS feed ("
	"  agency TEXT NOT NULL, seq INTEGER NOT NULL, case_id TEXT NOT NULL,"
	"  PRIMARY KEY (agency, seq)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS feed_case ON feed(case_id);"
	/* the feed was once read through these two; no query uses them
	 * now, and every change paid for them */
	"DROP INDEX IF EXISTS cases_req;"
	"DROP INDEX IF EXISTS cases_rqd;"
	"CREATE INDEX IF NOT EXISTS cases_deem ON cases(deemed_at)"
	"  WHERE deemed_at > 0 AND decided = 0;"
	"CREATE TABLE IF NOT EXISTS children ("
	"  id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id)"
	"    DEFERRABLE INITIALLY DEFERRED,"
	"  kind TEXT NOT NULL, sha256 TEXT, body TEXT NOT NULL) STRICT;"
	"CREATE INDEX IF NOT EXISTS children_case ON children(case_id);"
	"CREATE INDEX IF NOT EXISTS children_blob ON children(sha256)"
	"  WHERE sha256 IS NOT NULL;"
	/* tus upload sessions; the bytes are in DATA/uploads/<id>.part */
	"CREATE TABLE IF NOT EXISTS uploads ("
	"  id TEXT PRIMARY KEY, agency TEXT NOT NULL,"
	"  workstation TEXT NOT NULL, length INTEGER NOT NULL,"
	"  received INTEGER NOT NULL DEFAULT 0, sha256 TEXT NOT NULL,"
	"  filename TEXT NOT NULL DEFAULT '',"
	"  done INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL) STRICT;"
	"CREATE INDEX IF NOT EXISTS uploads_open ON uploads(agency)"
	"  WHERE done = 0;"
	"CREATE INDEX IF NOT EXISTS uploads_idle ON uploads(updated_at);"
	/* blobs at DATA/blobs/ab/<sha256>, and every agency that uploaded
	 * one (uploaded_by is the first) */
	"CREATE TABLE IF NOT EXISTS blobs ("
	"  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL,"
	"  uploaded_by TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE IF NOT EXISTS blob_uploaders ("
	"  sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	"  agency TEXT NOT NULL, at INTEGER NOT NULL,"
	"  PRIMARY KEY (sha256, agency)) STRICT, WITHOUT ROWID;"
	/* schema 2: the purge log (retention, case.purge), append-only: who
	 * purged which case (its reference) when; no personal data */
	"CREATE TABLE IF NOT EXISTS purges ("
	"  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	"  agency TEXT NOT NULL, workstation TEXT NOT NULL,"
	"  actor TEXT NOT NULL, op_id TEXT NOT NULL, case_id TEXT NOT NULL,"
	"  reference TEXT NOT NULL, closed_at INTEGER NOT NULL,"
	"  retention_days INTEGER NOT NULL) STRICT;"
	"CREATE TRIGGER IF NOT EXISTS purges_no_update BEFORE UPDATE ON purges"
	" BEGIN SELECT RAISE(ABORT, 'the purge log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS purges_no_delete BEFORE DELETE ON purges"
	" BEGIN SELECT RAISE(ABORT, 'the purge log is append-only'); END;"
	/* schema 3: the workstations' audit entries (POST /v1/audit),
	 * append-only: each workstation's hash chain as it was sent */
	"CREATE TABLE IF NOT EXISTS audit ("
	"  agency TEXT NOT NULL, workstation TEXT NOT NULL,"
	"  seq INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL,"
	"  action TEXT NOT NULL, case_id TEXT NOT NULL, detail TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL, hash TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  PRIMARY KEY (agency, workstation, seq)) STRICT, WITHOUT ROWID;"
	"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit copy is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit copy is append-only'); END;"
	/* schema 4: each agency's directory of accounts, handed to its
	 * workstations by seq (GET /v1/directory) */
	"CREATE TABLE IF NOT EXISTS directory ("
	"  agency TEXT NOT NULL, username TEXT NOT NULL,"
	"  full_name TEXT NOT NULL, role TEXT NOT NULL,"
	"  pw_hash TEXT NOT NULL, enabled INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL UNIQUE, created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL, disabled_at INTEGER NOT NULL,"
	"  updated_by TEXT NOT NULL, updated_ws TEXT NOT NULL,"
	"  PRIMARY KEY (agency, username)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS directory_feed ON directory(agency, seq);"
	/* the workstations seen, and those retired (their certificates are
	 * refused from then on) */
	"CREATE TABLE IF NOT EXISTS workstations ("
	"  agency TEXT NOT NULL, workstation TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL, last_sync INTEGER NOT NULL DEFAULT 0,"
	"  retired_at INTEGER NOT NULL DEFAULT 0,"
	"  retired_by TEXT NOT NULL DEFAULT '',"
	"  retired_from TEXT NOT NULL DEFAULT '',"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (agency, workstation)) STRICT, WITHOUT ROWID;";

/* Schema 1 -> 2: a case knows whether it was purged. */
static const char schema_2[] =
	"ALTER TABLE cases ADD COLUMN purged_at INTEGER NOT NULL DEFAULT 0;";

static enum rcms_status sqlerr(struct xstore *s, int rc, struct rcms_err *err)
{
	int p = rc & 0xff;

	if (p == SQLITE_BUSY || p == SQLITE_LOCKED)
		return rcms_err_set(err, RCMS_ERR_BUSY, NULL,
				    "storage busy");
	return rcms_err_set(err, RCMS_ERR_DB, NULL, "storage error: %s",
			    s && s->db ? sqlite3_errmsg(s->db)
				       : sqlite3_errstr(rc));
}

static enum rcms_status x_open(const char *dir, struct xstore **out,
			       struct rcms_err *err)
{
	char path[4200];
	struct xstore *s;
	int rc;

	*out = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot create %s: %s", dir,
				    strerror(errno));
	snprintf(path, sizeof(path), "%s/exchange.db", dir);
	s = calloc(1, sizeof(*s));
	if (!s)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	rc = sqlite3_open_v2(path, &s->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(s->db, 10000);
		rc = sqlite3_exec(s->db,
				  "PRAGMA journal_mode=WAL;"
				  "PRAGMA synchronous=FULL;"
				  "PRAGMA foreign_keys=ON;"
				  "PRAGMA temp_store=MEMORY;",
				  NULL, NULL, NULL);
		if (rc == SQLITE_OK && atomic_load(&ckpt.running))
			sqlite3_wal_hook(s->db, wal_hook, NULL);
	}
	if (rc == SQLITE_OK) {
		/* schema 4 (1 to 3 are brought up to it: 3 and 4 only
		 * add tables); a database of the
		 * unversioned development format (cases without feed
		 * snapshots) is refused */
		sqlite3_stmt *v = NULL;
		int have = 0, tables = 0;
		if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &v,
				       NULL) == SQLITE_OK &&
		    sqlite3_step(v) == SQLITE_ROW)
			have = sqlite3_column_int(v, 0);
		sqlite3_finalize(v);
		v = NULL;
		if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM"
				       " sqlite_master WHERE name = 'cases'",
				       -1, &v, NULL) == SQLITE_OK &&
		    sqlite3_step(v) == SQLITE_ROW)
			tables = sqlite3_column_int(v, 0);
		sqlite3_finalize(v);
		if (have > 4 || (have == 0 && tables)) {
			sqlite3_close(s->db);
			free(s);
			return rcms_err_set(err, RCMS_ERR_DB, NULL,
					    "%s was written by %s version of "
					    "rcms-exchange (schema %d); this "
					    "one knows schema 4", path,
					    have > 4 ? "a newer" : "an older",
					    have);
		}
		rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK && have == 1)
			rc = sqlite3_exec(s->db, schema_2, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(s->db, schema, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(s->db, "PRAGMA user_version = 4;"
					  "COMMIT", NULL, NULL, NULL);
		else
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		enum rcms_status st = sqlerr(s, rc, err);
		sqlite3_close(s->db);
		free(s);
		return st;
	}
	*out = s;
	return RCMS_OK;
}

static void x_close(struct xstore **ps)
{
	int i;

	if (!ps || !*ps)
		return;
	for (i = 0; i < (*ps)->ncache; i++)
		sqlite3_finalize((*ps)->cache[i].st);
	xjson_free(&(*ps)->body);
	xjson_free(&(*ps)->revs);
	xjson_free(&(*ps)->snap);
	xjson_free(&(*ps)->snap_rq);
	for (i = 0; i < 8; i++)
		xjson_free(&(*ps)->kids[i]);
	sqlite3_close_v2((*ps)->db);
	writer_leave(*ps);
	free(*ps);
	*ps = NULL;
}

/* The checkpointer thread, with its own connection to the store in
 * data_dir; store connections opened from now on leave their
 * checkpoints to it. */
enum rcms_status xstore_checkpointer_start(const char *data_dir,
					   struct rcms_err *err)
{
	enum rcms_status st;

	if (atomic_load(&ckpt.running))
		return RCMS_OK;
	if ((st = x_open(data_dir, &ckpt.s, err)))
		return st;
	ckpt.stopping = ckpt.due = false;
	if (pthread_create(&ckpt.thread, NULL, checkpointer, ckpt.s->db)) {
		x_close(&ckpt.s);
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "cannot start the checkpointer");
	}
	atomic_store(&ckpt.running, true);
	return RCMS_OK;
}

/* The end of the checkpointer (its connection closed); connections
 * opened from now on checkpoint as SQLite does. */
void xstore_checkpointer_stop(void)
{
	if (!atomic_load(&ckpt.running))
		return;
	atomic_store(&ckpt.running, false);
	pthread_mutex_lock(&ckpt.lock);
	ckpt.stopping = true;
	pthread_cond_signal(&ckpt.cond);
	pthread_mutex_unlock(&ckpt.lock);
	pthread_join(ckpt.thread, NULL);
	x_close(&ckpt.s);
}


/* A cached prepared statement for a SQL literal: prepared once per
 * connection.  Callers finish with stmt_done(), which resets it. */
static sqlite3_stmt *prep(struct xstore *s, const char *sql,
			  struct rcms_err *err)
{
	sqlite3_stmt *st = NULL;
	int i, rc;

	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].key == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
				NULL);
	if (rc != SQLITE_OK) {
		sqlerr(s, rc, err);
		return NULL;
	}
	if (s->ncache < XSTMT_CACHE) {
		s->cache[s->ncache].key = sql;
		s->cache[s->ncache].st = st;
		s->ncache++;
	} else {
		for (i = 0; i < XSTMT_CACHE; i++)
			if (!sqlite3_stmt_busy(s->cache[i].st))
				break;
		if (i == XSTMT_CACHE) {
			sqlite3_finalize(st);
			rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				     "too many statements in use");
			return NULL;
		}
		sqlite3_finalize(s->cache[i].st);
		s->cache[i].key = sql;
		s->cache[i].st = st;
	}
	return st;
}

/* The end of a statement's use: reset, keep it prepared. */
static void stmt_done(sqlite3_stmt *st)
{
	if (st)
		sqlite3_reset(st);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

/* bind_text without SQLite's copy of the text (a malloc and a free for
 * each): for a value that outlives the statement's use, from its
 * binding to its stmt_done() (a caller's argument, its struct), which
 * the functions of a push's operations bind. */
static void bind_kept(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";
static const char sql_savepoint[] = "SAVEPOINT op";
static const char sql_release[] = "RELEASE op";
static const char sql_rollback_to[] = "ROLLBACK TO op";

static enum rcms_status run(struct xstore *s, const char *sql,
			    struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, sql, err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	rc = sqlite3_step(st);
	stmt_done(st);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

/*
 * A batch without savepoints: an operation's begin and commit are
 * nothing, and its rollback is nothing as long as it changed no row
 * (a duplicate, a rejection found before any write; the count of rows
 * changed, triggers' included, says so); one that had changed rows
 * spoils the batch.  A savepoint journals every page an operation
 * touches before it changes it: about a seventh of an operation's
 * instructions in a push, for rollbacks that almost never come.
 */
static enum rcms_status x_begin(struct xstore *s, struct rcms_err *err)
{
	bool entered = !s->in_batch && !s->writer;
	enum rcms_status st;

	if (s->in_batch && !s->batch_sp) {
		s->changes_sp = sqlite3_total_changes64(s->db);
		s->in_tx = 1;
		s->seq_sp = s->seq;
		return RCMS_OK;
	}
	if (entered)
		writer_enter(s);
	st = run(s, s->in_batch ? sql_savepoint : sql_begin, err);
	if (!st)
		s->in_tx = 1;
	else if (entered)
		writer_leave(s);
	s->seq_sp = s->seq;
	return st;
}

static enum rcms_status x_commit(struct xstore *s, struct rcms_err *err)
{
	enum rcms_status st;

	if (s->in_batch && !s->batch_sp) {
		s->in_tx = 0;
		return RCMS_OK;
	}
	st = run(s, s->in_batch ? sql_release : sql_commit, err);

	if (st) {
		if (s->in_batch) {
			run(s, sql_rollback_to, NULL);
			run(s, sql_release, NULL);
			s->seq = s->seq_sp;
		} else {
			run(s, sql_rollback, NULL);
		}
	}
	s->in_tx = 0;
	if (!s->in_batch)
		writer_leave(s);
	return st;
}

static void x_rollback(struct xstore *s)
{
	if (s->in_batch && !s->batch_sp) {
		if (s->in_tx &&
		    sqlite3_total_changes64(s->db) != s->changes_sp)
			s->spoiled = 1;
		s->seq = s->seq_sp;
		s->in_tx = 0;
		return;
	}
	if (s->in_tx) {
		if (s->in_batch) {
			run(s, sql_rollback_to, NULL);
			run(s, sql_release, NULL);
			s->seq = s->seq_sp;
		} else {
			run(s, sql_rollback, NULL);
		}
	}
	s->in_tx = 0;
	if (!s->in_batch)
		writer_leave(s);
}

/* A counter's value (0 before its first use). */
static enum rcms_status counter_get(struct xstore *s, const char *name,
				    int64_t *n, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT value FROM counters"
				   " WHERE name = ?1", err);
	int rc;

	*n = 0;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

static enum rcms_status counter_set(struct xstore *s, const char *name,
				    int64_t n, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO counters(name, value)"
				   " VALUES(?1, ?2) ON CONFLICT(name) DO UPDATE"
				   " SET value = excluded.value", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, n);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

/* A push batch: one transaction, one disk sync; each operation inside
 * is a savepoint that succeeds or fails alone.  The seq counter is kept
 * in s while it lasts (the batch holds the write lock: nobody else gives
 * out a seq meanwhile). */
static enum rcms_status x_batch_begin(struct xstore *s, bool savepoints,
				      struct rcms_err *err)
{
	enum rcms_status st;

	if (s->in_batch || s->in_tx)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "a batch is open already");
	writer_enter(s);
	st = run(s, sql_begin, err);
	if (st) {
		writer_leave(s);
		return st;
	}
	st = counter_get(s, "seq", &s->seq, err);
	if (st) {
		run(s, sql_rollback, NULL);
		writer_leave(s);
		return st;
	}
	s->seq_stored = s->seq_sp = s->seq;
	s->in_batch = 1;
	s->batch_sp = savepoints;
	s->spoiled = 0;
	return RCMS_OK;
}

static bool x_batch_spoiled(struct xstore *s)
{
	return s->in_batch && s->spoiled;
}

static enum rcms_status x_batch_commit(struct xstore *s, struct rcms_err *err)
{
	enum rcms_status st = RCMS_OK;

	if (!s->in_batch)
		return RCMS_OK;
	if (s->spoiled) {
		/* never half an operation: the caller runs it again */
		run(s, sql_rollback, NULL);
		s->in_batch = 0;
		s->in_tx = 0;
		writer_leave(s);
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "an operation of the batch was undone "
				    "after it wrote");
	}
	if (s->seq != s->seq_stored)
		st = counter_set(s, "seq", s->seq, err);
	if (!st)
		st = run(s, sql_commit, err);
	if (st)
		run(s, sql_rollback, NULL);
	s->in_batch = 0;
	s->in_tx = 0;
	writer_leave(s);
	return st;
}

static void x_batch_rollback(struct xstore *s)
{
	if (!s->in_batch)
		return;
	run(s, sql_rollback, NULL);
	s->in_batch = 0;
	s->in_tx = 0;
	writer_leave(s);
}

static enum rcms_status x_op_get(struct xstore *s, const char *op_id,
				 char fp[65], char **result,
				 struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT fingerprint, result FROM ops"
				   " WHERE op_id = ?1", err);
	enum rcms_status r = RCMS_ERR_NOT_FOUND;
	int rc;

	*result = NULL;
	if (!st)
		return RCMS_ERR_DB;
	bind_kept(st, 1, op_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(fp, 65, "%s", (const char *)sqlite3_column_text(st, 0));
		*result = strdup((const char *)sqlite3_column_text(st, 1));
		r = *result ? RCMS_OK : RCMS_ERR_NOMEM;
	} else if (rc != SQLITE_DONE) {
		r = sqlerr(s, rc, err);
	}
	stmt_done(st);
	return r;
}

static enum rcms_status x_op_put(struct xstore *s, const char *op_id,
				 const char *agency, const char *ws,
				 const char *fp, const char *result,
				 int64_t now, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO ops(op_id, agency,"
				   " workstation, fingerprint, result,"
				   " received_at) VALUES(?1,?2,?3,?4,?5,?6)",
				err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_kept(st, 1, op_id);
	bind_kept(st, 2, agency);
	bind_kept(st, 3, ws);
	bind_kept(st, 4, fp);
	bind_kept(st, 5, result);
	sqlite3_bind_int64(st, 6, now);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

void xcase_init(struct xcase *c)
{
	rcms_case_init(&c->c);  /* 11 KB: cleared once, not twice */
	c->revs = NULL;
	c->revs_text = NULL;
	c->seq = c->reply_due = c->deemed_at = c->purged_at = 0;
	c->exists = false;
}

void xcase_free(struct xcase *c)
{
	if (!c)
		return;
	cJSON_Delete(c->revs);
	c->revs = NULL;
}

/* The body of a case: every field, read back without the "past" check
 * (a stored date was checked when it was written), into c as
 * rcms_case_init left it. */
static enum rcms_status body_to_case(const char *body, struct rcms_case *c,
				     struct rcms_err *err)
{
	cJSON *j = cJSON_Parse(body);
	enum rcms_status st;
	const cJSON *it;
	char buf[RCMS_TEXT_LEN + 1];

	if (!j)
		return rcms_err_set(err, RCMS_ERR_DB, NULL,
				    "a stored case is damaged");
	cJSON_ArrayForEach(it, j) {
		const struct rcms_field *f = rcms_field_find(rcms_case_fields,
							     it->string);
		void *p;
		if (!f)
			continue;
		p = (char *)c + f->offset;
		if (f->type == RCMS_F_ID) {
			if (cJSON_IsString(it))
				snprintf(p, f->size, "%s", it->valuestring);
			continue;
		}
		if (f->type == RCMS_F_TIME) {
			int64_t t = 0;
			if (cJSON_IsString(it) && it->valuestring[0])
				rcms_time_parse(it->valuestring, &t);
			memcpy(p, &t, sizeof(t));
			continue;
		}
		if (wire_scalar(it, f->name, buf, sizeof(buf), NULL) ||
		    (st = rcms_field_set(f, c, buf, NULL, err))) {
			cJSON_Delete(j);
			return rcms_err_set(err, RCMS_ERR_DB, f->name,
					    "a stored case is damaged (%s)",
					    f->name);
		}
	}
	cJSON_Delete(j);
	return RCMS_OK;
}

static enum rcms_status row_to_xcase(sqlite3_stmt *st, struct xcase *out,
				     struct rcms_err *err)
{
	enum rcms_status r;

	out->exists = true;     /* out: as xcase_init left it */
	out->c.rev = sqlite3_column_int64(st, 0);
	out->seq = sqlite3_column_int64(st, 1);
	out->reply_due = sqlite3_column_int64(st, 2);
	out->deemed_at = sqlite3_column_int64(st, 3);
	out->purged_at = sqlite3_column_int64(st, 6);
	r = body_to_case((const char *)sqlite3_column_text(st, 4), &out->c,
			 err);
	if (r)
		return r;
	out->c.rev = sqlite3_column_int64(st, 0);
	out->revs = cJSON_Parse((const char *)sqlite3_column_text(st, 5));
	if (!out->revs)
		out->revs = cJSON_CreateObject();
	return out->revs ? RCMS_OK : RCMS_ERR_NOMEM;
}

#define CASE_COLS                                                             \
	"SELECT rev, seq, reply_due, deemed_at, body, revs, purged_at FROM cases"

static enum rcms_status x_case_get(struct xstore *s, const char *id,
				   struct xcase *out, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, CASE_COLS " WHERE id = ?1", err);
	enum rcms_status r = RCMS_OK;
	int rc;

	xcase_init(out);
	if (!st)
		return RCMS_ERR_DB;
	bind_kept(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = row_to_xcase(st, out, err);
	else if (rc != SQLITE_DONE)
		r = sqlerr(s, rc, err);
	stmt_done(st);
	return r;
}

static enum rcms_status next_counter(struct xstore *s, const char *name,
				     int64_t *n, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO counters(name, value)"
				   " VALUES(?1, 1) ON CONFLICT(name) DO UPDATE"
				   " SET value = value + 1 RETURNING value",
				err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	stmt_done(st);
	return rc == SQLITE_ROW ? RCMS_OK : sqlerr(s, rc, err);
}

/* The members of a case's record (every field, as wire_record_to_json
 * writes them), without its braces; staff: with the user names of who
 * created and approved it. */
static void case_members(struct xjson *w, const struct rcms_case *c,
			 bool staff)
{
	static const char *const no_staff[] = {"created_by", "approved_by",
					       NULL};

	xjson_record(w, rcms_case_fields, c, true, staff ? NULL : no_staff);
}

/* The per-field revisions: {"surnames": 3, ...}. */
static void revs_json(struct xjson *w, const cJSON *revs)
{
	if (revs)
		xjson_cjson(w, revs);
	else
		xjson_raw(w, "{}", 2);
}

/* The lists of a case's records in its snapshot, in this order; a kind
 * that is none of the first three is an attachment. */
enum { KID_DOCS, KID_NOTES, KID_ATTS, KID_IDCS, KID_N };
static const char *const kid_list[KID_N] = {"documents", "notes",
					    "attachments", "idchecks"};

static int kid_of(const char *kind)
{
	if (strcmp(kind, "document") == 0)
		return KID_DOCS;
	if (strcmp(kind, "note") == 0)
		return KID_NOTES;
	if (strcmp(kind, "idcheck") == 0)
		return KID_IDCS;
	return KID_ATTS;
}

/*
 * A record of a case as agency own sees it: the data-protection
 * whitelist of the agreements has the person and the documents, not the
 * other agency's staff (the user names of who wrote a note, attached a
 * file, asked or answered an identity check).  Documents name no staff
 * and are copied as stored.
 */
static void kid_copy(struct xjson *w, int kid, const char *body, size_t n,
		     const char *own)
{
	/* list, user name, the agency that user belongs to */
	static const struct {
		int kid;
		const char *user, *agency;
	} keys[] = {
		{KID_NOTES, "author", "agency"},
		{KID_ATTS, "added_by", "agency"},
		{KID_IDCS, "asked_by", "agency"},
		{KID_IDCS, "answered_by", "answered_agency"},
	};
	cJSON *b;
	size_t i;

	if (kid == KID_DOCS) {
		xjson_value(w, body, n);
		return;
	}
	b = cJSON_ParseWithLength(body, n);
	if (!b)
		return;         /* as before: a damaged record is left out */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *ag;
		if (keys[i].kid != kid)
			continue;
		ag = cJSON_GetStringValue(cJSON_GetObjectItem(b,
							      keys[i].agency));
		if (!ag || strcmp(ag, own) != 0)
			cJSON_DeleteItemFromObject(b, keys[i].user);
	}
	xjson_cjson(w, b);
	cJSON_Delete(b);
}

/*
 * The case as the feed shows it, written once per change so that a pull
 * copies text instead of building it: s->snap for the requesting agency,
 * s->snap_rq for the requested one (without the requesting agency's
 * staff), only when rq: the requested agency has a feed row for the case
 * (a case it may not see yet keeps '{}', which nothing reads).  Written
 * as text from the struct (s->body and s->revs, written first) and the
 * stored records, with no JSON tree in between.
 */
static enum rcms_status snapshots(struct xstore *s, const struct xcase *c,
				  bool rq, struct rcms_err *err)
{
	struct xjson *kids = s->kids;   /* [2][KID_N]: requesting, requested */
	sqlite3_stmt *st;
	int rc, i, side;

	for (i = 0; i < 2 * KID_N; i++)
		xjson_reset(&kids[i]);
	st = prep(s, "SELECT kind, body FROM children WHERE case_id = ?1"
		     " ORDER BY rowid", err);
	if (!st)
		return RCMS_ERR_DB;
	bind_kept(st, 1, c->c.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kid = kid_of((const char *)sqlite3_column_text(st, 0));
		const char *body = (const char *)sqlite3_column_text(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		kid_copy(&kids[kid], kid, body, n, c->c.requesting_agency);
		if (rq)
			kid_copy(&kids[KID_N + kid], kid, body, n,
				 c->c.requested_agency);
	}
	stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlerr(s, rc, err);
	xjson_reset(&s->snap_rq);
	xjson_raw(&s->snap_rq, "{}", 2);
	for (side = 0; side < (rq ? 2 : 1); side++) {
		struct xjson *w = side ? &s->snap_rq : &s->snap;
		char t[32];
		xjson_reset(w);
		if (side == 0) {
			/* the record's members as the body has them */
			xjson_raw(w, s->body.buf, s->body.len - 1);
		} else {
			xjson_open(w, '{');
			case_members(w, &c->c, false);
		}
		xjson_name(w, "rev");
		xjson_int(w, c->c.rev);
		xjson_name(w, "seq");
		xjson_int(w, c->seq);
		if (c->reply_due &&
		    rcms_time_format(c->reply_due, t, sizeof(t)) == 0) {
			xjson_name(w, "reply_due");
			xjson_str(w, t);
		}
		if (c->deemed_at &&
		    rcms_time_format(c->deemed_at, t, sizeof(t)) == 0) {
			xjson_name(w, "deemed_at");
			xjson_str(w, t);
		}
		if (c->purged_at &&
		    rcms_time_format(c->purged_at, t, sizeof(t)) == 0) {
			xjson_name(w, "purged_at");
			xjson_str(w, t);
		}
		if (c->revs || c->revs_text) {  /* as s->revs has them */
			xjson_name(w, "field_revs");
			xjson_raw(w, s->revs.buf, s->revs.len);
		}
		for (i = 0; i < KID_N; i++) {
			const struct xjson *k = &kids[side * KID_N + i];
			xjson_name(w, kid_list[i]);
			xjson_open(w, '[');
			if (k->len)
				xjson_raw(w, k->buf, k->len);
			xjson_close(w, ']');
			if (k->failed)
				w->failed = true;
		}
		xjson_close(w, '}');
		if (w->failed)
			return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	return RCMS_OK;
}

/* The feed rows of the agencies that see the case now, at its seq: the
 * requesting agency's, and the requested one's when rq. */
static enum rcms_status feed_rows(struct xstore *s, const struct xcase *c,
				  bool rq, struct rcms_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	if (c->exists) {
		st = prep(s, "DELETE FROM feed WHERE case_id = ?1", err);
		if (!st)
			return RCMS_ERR_DB;
		bind_kept(st, 1, c->c.id);
		rc = sqlite3_step(st);
		stmt_done(st);
		if (rc != SQLITE_DONE)
			return sqlerr(s, rc, err);
	}
	st = prep(s, "INSERT INTO feed(agency, seq, case_id) VALUES(?1,?2,?3)",
		  err);
	if (!st)
		return RCMS_ERR_DB;
	bind_kept(st, 1, c->c.requesting_agency);
	sqlite3_bind_int64(st, 2, c->seq);
	bind_kept(st, 3, c->c.id);
	rc = sqlite3_step(st);
	stmt_done(st);
	if (rc == SQLITE_DONE && rq) {
		st = prep(s, "INSERT INTO feed(agency, seq, case_id)"
			     " VALUES(?1,?2,?3)", err);
		if (!st)
			return RCMS_ERR_DB;
		bind_kept(st, 1, c->c.requested_agency);
		sqlite3_bind_int64(st, 2, c->seq);
		bind_kept(st, 3, c->c.id);
		rc = sqlite3_step(st);
		stmt_done(st);
	}
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

/* A case with a new seq: its row (the record, its revisions, both
 * snapshots) in one statement, then its feed rows.  c->exists: the case
 * is in the store already (a new one has no feed rows to remove). */
static enum rcms_status x_case_put(struct xstore *s, struct xcase *c,
				   struct rcms_err *err)
{
	sqlite3_stmt *st;
	struct xjson *body = &s->body, *revs = &s->revs;
	enum rcms_status r;
	bool submitted, rq;
	int rc;

	if (s->in_batch)
		c->seq = ++s->seq;
	else if ((r = next_counter(s, "seq", &c->seq, err)))
		return r;
	xjson_reset(body);
	xjson_open(body, '{');
	case_members(body, &c->c, true);
	xjson_close(body, '}');
	xjson_reset(revs);
	if (c->revs_text)
		xjson_raw(revs, c->revs_text, strlen(c->revs_text));
	else
		revs_json(revs, c->revs);
	if (body->failed || revs->failed)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	submitted = !rcms_status_is_local(c->c.status) &&
		    !(c->c.status == RCMS_CS_WITHDRAWN && !c->c.submitted_at);
	rq = submitted && c->c.requested_agency[0] &&
	     strcmp(c->c.requested_agency, c->c.requesting_agency) != 0;
	if ((r = snapshots(s, c, rq, err)))
		return r;
	st = prep(s, "INSERT INTO cases(id, requesting, requested, status,"
		     " submitted, rev, seq, reply_due, deemed_at, decided,"
		     " body, revs, snapshot, snapshot_rq, purged_at)"
		     " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
		     "?15)"
		     " ON CONFLICT(id) DO UPDATE SET requested = excluded.requested,"
		     " status = excluded.status, submitted = excluded.submitted,"
		     " rev = excluded.rev, seq = excluded.seq,"
		     " reply_due = excluded.reply_due,"
		     " deemed_at = excluded.deemed_at,"
		     " decided = excluded.decided, body = excluded.body,"
		     " revs = excluded.revs, snapshot = excluded.snapshot,"
		     " snapshot_rq = excluded.snapshot_rq,"
		     " purged_at = excluded.purged_at",
		  err);
	if (!st)
		return RCMS_ERR_DB;
	bind_kept(st, 1, c->c.id);
	bind_kept(st, 2, c->c.requesting_agency);
	bind_kept(st, 3, c->c.requested_agency);
	sqlite3_bind_text(st, 4, rcms_enum_name(rcms_case_status_names,
						(int)c->c.status),
			  -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, submitted);
	sqlite3_bind_int64(st, 6, c->c.rev);
	sqlite3_bind_int64(st, 7, c->seq);
	sqlite3_bind_int64(st, 8, c->reply_due);
	sqlite3_bind_int64(st, 9, c->deemed_at);
	sqlite3_bind_int(st, 10, !rcms_status_awaits_reply(c->c.status));
	/* the texts live in s until the statement is reset below */
	sqlite3_bind_text(st, 11, body->buf, (int)body->len, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, revs->buf, (int)revs->len, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, s->snap.buf, (int)s->snap.len,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 14, s->snap_rq.buf, (int)s->snap_rq.len,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, c->purged_at);
	rc = sqlite3_step(st);
	stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlerr(s, rc, err);
	if ((r = feed_rows(s, c, rq, err)))
		return r;
	c->exists = true;
	return RCMS_OK;
}

static enum rcms_status x_child_put(struct xstore *s, const struct xchild *ch,
				    struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO children(id, case_id, kind,"
				   " sha256, body) VALUES(?1,?2,?3,?4,?5)",
				err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_kept(st, 1, ch->id);
	bind_kept(st, 2, ch->case_id);
	bind_kept(st, 3, ch->kind);
	if (ch->sha256)
		bind_kept(st, 4, ch->sha256);
	else
		sqlite3_bind_null(st, 4);
	bind_kept(st, 5, ch->body);
	rc = sqlite3_step(st);
	stmt_done(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return rcms_err_set(err, RCMS_ERR_EXISTS, "id",
				    "a record with this id exists");
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_child_get(struct xstore *s, const char *id,
				    const char *case_id, const char *kind,
				    char **body, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT body FROM children WHERE id = ?1"
				   " AND case_id = ?2 AND kind = ?3", err);
	enum rcms_status r = RCMS_ERR_NOT_FOUND;
	int rc;

	*body = NULL;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, id);
	bind_text(st, 2, case_id);
	bind_text(st, 3, kind);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*body = strdup((const char *)sqlite3_column_text(st, 0));
		r = *body ? RCMS_OK : RCMS_ERR_NOMEM;
	} else if (rc != SQLITE_DONE) {
		r = sqlerr(s, rc, err);
	}
	stmt_done(st);
	return r;
}

static enum rcms_status x_child_update(struct xstore *s, const char *id,
				       const char *body, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "UPDATE children SET body = ?2"
				   " WHERE id = ?1", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, id);
	bind_text(st, 2, body);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_case_purge(struct xstore *s, const char *id,
				    const struct xpurge *p,
				    struct rcms_err *err)
{
	char (*shas)[RCMS_SHA256_HEX] = NULL;
	size_t n = 0, cap = 0, i;
	enum rcms_status r = RCMS_OK;
	sqlite3_stmt *st;
	int rc;

	st = prep(s, "SELECT DISTINCT sha256 FROM children WHERE case_id = ?1"
		     " AND sha256 IS NOT NULL", err);
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			char (*v)[RCMS_SHA256_HEX] = realloc(shas,
							     nc * sizeof(*v));
			if (!v) {
				r = rcms_err_set(err, RCMS_ERR_NOMEM, NULL,
						 NULL);
				break;
			}
			shas = v;
			cap = nc;
		}
		snprintf(shas[n++], RCMS_SHA256_HEX, "%s", h ? h : "");
	}
	stmt_done(st);
	if (r == RCMS_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = sqlerr(s, rc, err);
	if (r == RCMS_OK &&
	    (st = prep(s, "DELETE FROM children WHERE case_id = ?1", err))) {
		bind_text(st, 1, id);
		rc = sqlite3_step(st);
		stmt_done(st);
		if (rc != SQLITE_DONE)
			r = sqlerr(s, rc, err);
	} else if (r == RCMS_OK) {
		r = RCMS_ERR_DB;
	}
	/* a blob no other case links goes: its rows, then its file (a
	 * failed commit after this leaves a row without bytes, which the
	 * retried purge removes) */
	for (i = 0; r == RCMS_OK && i < n; i++) {
		static const char *const del[] = {
			"DELETE FROM blob_uploaders WHERE sha256 = ?1 AND NOT"
			" EXISTS (SELECT 1 FROM children WHERE sha256 = ?1)",
			"DELETE FROM blobs WHERE sha256 = ?1 AND NOT EXISTS"
			" (SELECT 1 FROM children WHERE sha256 = ?1)",
		};
		size_t k;
		int gone = 0;
		for (k = 0; r == RCMS_OK && k < 2; k++) {
			if (!(st = prep(s, del[k], err))) {
				r = RCMS_ERR_DB;
				break;
			}
			bind_text(st, 1, shas[i]);
			rc = sqlite3_step(st);
			gone = sqlite3_changes(s->db);
			stmt_done(st);
			if (rc != SQLITE_DONE)
				r = sqlerr(s, rc, err);
		}
		if (r == RCMS_OK && gone && strlen(shas[i]) == 64 &&
		    strspn(shas[i], "0123456789abcdef") == 64) {
			char path[4200];
			snprintf(path, sizeof(path), "%s/blobs/%.2s/%s",
				 s->dir, shas[i], shas[i]);
			(void)unlink(path);
		}
	}
	free(shas);
	if (r)
		return r;
	st = prep(s, "INSERT INTO purges(at, agency, workstation, actor, op_id,"
		     " case_id, reference, closed_at, retention_days)"
		     " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)", err);
	if (!st)
		return RCMS_ERR_DB;
	sqlite3_bind_int64(st, 1, p->now);
	bind_text(st, 2, p->agency);
	bind_text(st, 3, p->workstation);
	bind_text(st, 4, p->actor ? p->actor : "");
	bind_text(st, 5, p->op_id);
	bind_text(st, 6, id);
	bind_text(st, 7, p->reference ? p->reference : "");
	sqlite3_bind_int64(st, 8, p->closed_at);
	sqlite3_bind_int(st, 9, p->retention_days);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

/* ---- the workstations' audit entries ------------------------------------ */

static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t size);


static enum rcms_status x_audit_last(struct xstore *s, const char *agency,
				     const char *ws, int64_t *seq,
				     struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT max(seq) FROM audit"
				" WHERE agency = ?1 AND workstation = ?2", err);
	int rc;

	*seq = 0;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	bind_text(st, 2, ws);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	stmt_done(st);
	return rc == SQLITE_ROW ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_audit_hash(struct xstore *s, const char *agency,
				     const char *ws, int64_t seq,
				     char hash[RCMS_SHA256_HEX],
				     struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT hash FROM audit WHERE agency = ?1"
				" AND workstation = ?2 AND seq = ?3", err);
	int rc;

	hash[0] = '\0';
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	bind_text(st, 2, ws);
	sqlite3_bind_int64(st, 3, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		col_copy(st, 0, hash, RCMS_SHA256_HEX);
	stmt_done(st);
	if (rc == SQLITE_DONE)
		return RCMS_ERR_NOT_FOUND;
	return rc == SQLITE_ROW ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_audit_put(struct xstore *s, const char *agency,
				    const char *ws, const struct xaudit *a,
				    int64_t now, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO audit(agency, workstation,"
				" seq, at, actor, action, case_id, detail,"
				" prev_hash, hash, received_at)"
				" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
				err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	bind_text(st, 2, ws);
	sqlite3_bind_int64(st, 3, a->seq);
	sqlite3_bind_int64(st, 4, a->at);
	bind_text(st, 5, a->actor);
	bind_text(st, 6, a->action);
	bind_text(st, 7, a->case_id);
	bind_text(st, 8, a->detail);
	bind_text(st, 9, a->prev_hash);
	bind_text(st, 10, a->hash);
	sqlite3_bind_int64(st, 11, now);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_audit_list(struct xstore *s, const char *agency,
				     const char *ws, int64_t since, int limit,
				     int (*fn)(const struct xaudit *a,
					       void *arg),
				     void *arg, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT seq, at, actor, action, case_id,"
				" detail, prev_hash, hash FROM audit"
				" WHERE agency = ?1 AND workstation = ?2"
				" AND seq > ?3 ORDER BY seq LIMIT ?4", err);
	struct xaudit a;
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	bind_text(st, 2, ws);
	sqlite3_bind_int64(st, 3, since);
	sqlite3_bind_int(st, 4, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a.seq = sqlite3_column_int64(st, 0);
		a.at = sqlite3_column_int64(st, 1);
		a.actor = (const char *)sqlite3_column_text(st, 2);
		a.action = (const char *)sqlite3_column_text(st, 3);
		a.case_id = (const char *)sqlite3_column_text(st, 4);
		a.detail = (const char *)sqlite3_column_text(st, 5);
		a.prev_hash = (const char *)sqlite3_column_text(st, 6);
		a.hash = (const char *)sqlite3_column_text(st, 7);
		if (fn(&a, arg))
			break;
	}
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

static enum rcms_status x_next_ref(struct xstore *s, int year, int64_t *n,
				   struct rcms_err *err)
{
	char name[32];

	snprintf(name, sizeof(name), "ref.%04d", year);
	return next_counter(s, name, n, err);
}

static enum rcms_status x_changes(struct xstore *s, const char *agency,
				  int64_t since, int limit,
				  int (*fn)(int64_t seq, const char *json,
					    size_t len, void *arg),
				  void *arg, struct rcms_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = prep(s, "SELECT f.seq, CASE WHEN c.requesting = f.agency"
		     " THEN c.snapshot ELSE c.snapshot_rq END FROM feed f"
		     " JOIN cases c ON c.id = f.case_id WHERE f.agency = ?1"
		     " AND f.seq > ?2 ORDER BY f.seq LIMIT ?3", err);
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(sqlite3_column_int64(st, 0),
		       (const char *)sqlite3_column_text(st, 1),
		       (size_t)sqlite3_column_bytes(st, 1), arg))
			break;
	}
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

static enum rcms_status x_due(struct xstore *s, int64_t now,
			      char (*ids)[RCMS_ID_LEN], int max, int *n,
			      struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT id FROM cases WHERE deemed_at > 0"
				   " AND decided = 0 AND deemed_at <= ?1"
				   " ORDER BY deemed_at LIMIT ?2", err);
	int rc;

	*n = 0;
	if (!st)
		return RCMS_ERR_DB;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		snprintf(ids[*n], RCMS_ID_LEN, "%s",
			 (const char *)sqlite3_column_text(st, 0));
		(*n)++;
	}
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

static enum rcms_status x_blob_readable(struct xstore *s, const char *agency,
					const char *sha256, bool *ok,
					struct rcms_err *err)
{
	/* the attachment's linking agency (its body's "agency") must have
	 * the bytes: blob_uploaders holds those that sent them, and those
	 * that could read them when they linked them (op_child) */
	sqlite3_stmt *st = prep(s, "SELECT 1 FROM children JOIN cases"
				   " ON cases.id = children.case_id"
				   " WHERE children.sha256 = ?2 AND"
				   " (cases.requesting = ?1 OR"
				   "  (cases.requested = ?1 AND cases.submitted = 1))"
				   " AND EXISTS(SELECT 1 FROM blob_uploaders u"
				   "  WHERE u.sha256 = children.sha256 AND u.agency ="
				   "  json_extract(children.body, '$.agency'))"
				   " LIMIT 1", err);
	int rc;

	*ok = false;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	bind_text(st, 2, sha256);
	rc = sqlite3_step(st);
	*ok = rc == SQLITE_ROW;
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

/* ---- tus upload sessions and blobs ----------------------------------------- */

static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

static enum rcms_status x_upload_put(struct xstore *s,
				     const struct xupload *u,
				     struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO uploads(id, agency,"
				   " workstation, length, received, sha256,"
				   " filename, done, created_at, updated_at)"
				   " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
				err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, u->id);
	bind_text(st, 2, u->agency);
	bind_text(st, 3, u->workstation);
	sqlite3_bind_int64(st, 4, u->length);
	sqlite3_bind_int64(st, 5, u->offset);
	bind_text(st, 6, u->sha256);
	bind_text(st, 7, u->filename);
	sqlite3_bind_int(st, 8, u->done);
	sqlite3_bind_int64(st, 9, u->created_at);
	sqlite3_bind_int64(st, 10, u->updated_at);
	rc = sqlite3_step(st);
	stmt_done(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return rcms_err_set(err, RCMS_ERR_EXISTS, "id",
				    "an upload with this id exists");
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_upload_get(struct xstore *s, const char *id,
				     struct xupload *out,
				     struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT id, agency, workstation, length,"
				   " received, sha256, filename, done,"
				   " created_at, updated_at FROM uploads"
				   " WHERE id = ?1", err);
	enum rcms_status r = RCMS_ERR_NOT_FOUND;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		col_copy(st, 0, out->id, sizeof(out->id));
		col_copy(st, 1, out->agency, sizeof(out->agency));
		col_copy(st, 2, out->workstation, sizeof(out->workstation));
		out->length = sqlite3_column_int64(st, 3);
		out->offset = sqlite3_column_int64(st, 4);
		col_copy(st, 5, out->sha256, sizeof(out->sha256));
		col_copy(st, 6, out->filename, sizeof(out->filename));
		out->done = sqlite3_column_int(st, 7) != 0;
		out->created_at = sqlite3_column_int64(st, 8);
		out->updated_at = sqlite3_column_int64(st, 9);
		r = RCMS_OK;
	} else if (rc != SQLITE_DONE) {
		r = sqlerr(s, rc, err);
	}
	stmt_done(st);
	return r;
}

static enum rcms_status x_upload_advance(struct xstore *s, const char *id,
					 int64_t from, int64_t to, bool done,
					 int64_t now, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "UPDATE uploads SET received = ?3,"
				   " done = ?4, updated_at = ?5 WHERE id = ?1"
				   " AND received = ?2 AND done = 0"
				   " AND ?3 <= length", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int(st, 4, done);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlerr(s, rc, err);
	if (sqlite3_changes(s->db) != 1)
		return rcms_err_set(err, RCMS_ERR_CONFLICT, NULL,
				    "the upload moved on or is gone");
	return RCMS_OK;
}

static enum rcms_status x_upload_del(struct xstore *s, const char *id,
				     struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "DELETE FROM uploads WHERE id = ?1", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_upload_count(struct xstore *s, const char *agency,
				       int64_t *n, int64_t *bytes,
				       struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT count(*), coalesce(sum(length), 0)"
				   " FROM uploads WHERE agency = ?1"
				   " AND done = 0", err);
	int rc;

	*n = *bytes = 0;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		*bytes = sqlite3_column_int64(st, 1);
	}
	stmt_done(st);
	return rc == SQLITE_ROW ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_upload_idle(struct xstore *s, int64_t before,
				      char (*ids)[XUPLOAD_ID_LEN + 1],
				      int max, int *n, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT id FROM uploads"
				   " WHERE updated_at < ?1"
				   " ORDER BY updated_at LIMIT ?2", err);
	int rc;

	*n = 0;
	if (!st)
		return RCMS_ERR_DB;
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		col_copy(st, 0, ids[*n], XUPLOAD_ID_LEN + 1);
		(*n)++;
	}
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

static enum rcms_status x_blob_put(struct xstore *s, const char *sha256,
				   int64_t size, const char *agency,
				   int64_t now, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO blobs(sha256,"
				   " size, uploaded_by, created_at)"
				   " VALUES(?1,?2,?3,?4)", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, sha256);
	sqlite3_bind_int64(st, 2, size);
	bind_text(st, 3, agency);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlerr(s, rc, err);
	st = prep(s, "INSERT OR IGNORE INTO blob_uploaders(sha256, agency, at)"
		     " VALUES(?1,?2,?3)", err);
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, sha256);
	bind_text(st, 2, agency);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_blob_get(struct xstore *s, const char *sha256,
				   const char *agency, int64_t *size,
				   bool *mine, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT size, EXISTS(SELECT 1 FROM"
				   " blob_uploaders u WHERE u.sha256 = b.sha256"
				   " AND u.agency = ?2) FROM blobs b"
				   " WHERE b.sha256 = ?1", err);
	enum rcms_status r = RCMS_ERR_NOT_FOUND;
	int rc;

	*size = 0;
	*mine = false;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, sha256);
	bind_text(st, 2, agency);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*size = sqlite3_column_int64(st, 0);
		*mine = sqlite3_column_int(st, 1) != 0;
		r = RCMS_OK;
	} else if (rc != SQLITE_DONE) {
		r = sqlerr(s, rc, err);
	}
	stmt_done(st);
	return r;
}

static enum rcms_status x_agency_put(struct xstore *s,
				     const struct rcms_agency *a,
				     struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO agencies(code, country, name)"
				   " VALUES(?1,?2,?3) ON CONFLICT(code) DO"
				   " UPDATE SET name = excluded.name", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, a->code);
	bind_text(st, 2, a->country);
	bind_text(st, 3, a->name);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_agency_list(struct xstore *s,
				      int (*fn)(const struct rcms_agency *a,
						void *arg),
				      void *arg, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT code, country, name FROM agencies"
				   " ORDER BY code", err);
	struct rcms_agency a;
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		snprintf(a.code, sizeof(a.code), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(a.country, sizeof(a.country), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(a.name, sizeof(a.name), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		if (fn(&a, arg))
			break;
	}
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

static void period_json(cJSON *o, const char *k, const struct rcms_period *p)
{
	char b[32];

	wire_period_text(p, b, sizeof(b));
	cJSON_AddStringToObject(o, k, b);
}

static void period_from(const cJSON *o, const char *k, struct rcms_period *p)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	p->n = 0;
	p->unit = RCMS_PERIOD_NONE;
	if (cJSON_IsString(v))
		wire_period_parse(v->valuestring, k, p, NULL);
}

static cJSON *agreement_json(const struct rcms_agreement *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", a->code);
	cJSON_AddStringToObject(o, "name", a->name);
	cJSON_AddStringToObject(o, "countries", a->countries);
	period_json(o, "reply", &a->reply);
	period_json(o, "reply_accelerated", &a->reply_accelerated);
	cJSON_AddNumberToObject(o, "extension_max_days", a->extension_max_days);
	cJSON_AddBoolToObject(o, "silence_accepts", a->silence_accepts);
	period_json(o, "transfer", &a->transfer);
	period_json(o, "transit_reply", &a->transit_reply);
	period_json(o, "transit", &a->transit);
	cJSON_AddStringToObject(o, "source", a->source);
	cJSON_AddStringToObject(o, "note", a->note);
	return o;
}

static enum rcms_status x_agreement_put(struct xstore *s,
					const struct rcms_agreement *a,
					struct rcms_err *err)
{
	cJSON *o = agreement_json(a);
	char *t = cJSON_PrintUnformatted(o);
	sqlite3_stmt *st = prep(s, "INSERT INTO agreements(code, countries,"
				   " body) VALUES(?1,?2,?3) ON CONFLICT(code)"
				   " DO UPDATE SET countries = excluded.countries,"
				   " body = excluded.body", err);
	int rc = SQLITE_ERROR;

	if (st && t) {
		bind_text(st, 1, a->code);
		bind_text(st, 2, a->countries);
		bind_text(st, 3, t);
		rc = sqlite3_step(st);
	}
	stmt_done(st);
	cJSON_Delete(o);
	cJSON_free(t);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_agreement_for(struct xstore *s, const char *code,
					const char *alpha2,
					struct rcms_agreement *out,
					struct rcms_err *err)
{
	sqlite3_stmt *st;
	cJSON *o;
	const cJSON *v;
	int rc;

	memset(out, 0, sizeof(*out));
	if (code && *code)
		st = prep(s, "SELECT body FROM agreements WHERE code = ?1", err);
	else
		st = prep(s, "SELECT body FROM agreements WHERE"
			     " ' ' || countries || ' ' LIKE '% ' || ?2 || ' %'"
			     " ORDER BY code LIMIT 1", err);
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, code);
	bind_text(st, 2, alpha2);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		stmt_done(st);
		return rc == SQLITE_DONE ? RCMS_ERR_NOT_FOUND
					 : sqlerr(s, rc, err);
	}
	o = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
	stmt_done(st);
	if (!o)
		return rcms_err_set(err, RCMS_ERR_DB, NULL,
				    "a stored agreement is damaged");
#define S(k)                                                                  \
	if ((v = cJSON_GetObjectItemCaseSensitive(o, #k)) && cJSON_IsString(v)) \
		snprintf(out->k, sizeof(out->k), "%s", v->valuestring);
	S(code) S(name) S(countries) S(source) S(note)
#undef S
	period_from(o, "reply", &out->reply);
	period_from(o, "reply_accelerated", &out->reply_accelerated);
	period_from(o, "transfer", &out->transfer);
	period_from(o, "transit_reply", &out->transit_reply);
	period_from(o, "transit", &out->transit);
	v = cJSON_GetObjectItemCaseSensitive(o, "extension_max_days");
	out->extension_max_days = cJSON_IsNumber(v) ? v->valueint : 0;
	out->silence_accepts = cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(o, "silence_accepts"));
	cJSON_Delete(o);
	return RCMS_OK;
}

static enum rcms_status x_holiday_put(struct xstore *s,
				      const struct rcms_holiday *h,
				      struct rcms_err *err)
{
	char d[16];
	sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO holidays(country,"
				   " date) VALUES(?1, ?2)", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	snprintf(d, sizeof(d), "%04d-%02d-%02d", h->year, h->month, h->day);
	bind_text(st, 1, h->country);
	bind_text(st, 2, d);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_holidays(struct xstore *s, const char *alpha2,
				   struct rcms_holiday *out, size_t max,
				   size_t *n, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT date FROM holidays WHERE"
				   " country = ?1 ORDER BY date", err);
	int rc, y, m, d;

	*n = 0;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, alpha2);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		if (sscanf((const char *)sqlite3_column_text(st, 0),
			   "%d-%d-%d", &y, &m, &d) != 3)
			continue;
		snprintf(out[*n].country, sizeof(out[*n].country), "%s",
			 alpha2);
		out[*n].year = y;
		out[*n].month = m;
		out[*n].day = d;
		(*n)++;
	}
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

static int ref_agency(const struct rcms_agency *a, void *arg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", a->code);
	cJSON_AddStringToObject(o, "country", a->country);
	cJSON_AddStringToObject(o, "name", a->name);
	cJSON_AddItemToArray(arg, o);
	return 0;
}

static enum rcms_status x_reference(struct xstore *s, cJSON *out,
				    struct rcms_err *err)
{
	cJSON *ag = cJSON_AddArrayToObject(out, "agencies");
	cJSON *agr = cJSON_AddArrayToObject(out, "agreements");
	cJSON *hol = cJSON_AddArrayToObject(out, "holidays");
	cJSON *dt = cJSON_AddArrayToObject(out, "document_types");
	const struct rcms_enum_name *e;
	sqlite3_stmt *st;
	enum rcms_status r;

	if ((r = x_agency_list(s, ref_agency, ag, err)))
		return r;
	st = prep(s, "SELECT body FROM agreements ORDER BY code", err);
	if (!st)
		return RCMS_ERR_DB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *o = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
		if (o)
			cJSON_AddItemToArray(agr, o);
	}
	stmt_done(st);
	st = prep(s, "SELECT country, date FROM holidays ORDER BY country,"
		     " date", err);
	if (!st)
		return RCMS_ERR_DB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "country",
					(const char *)sqlite3_column_text(st, 0));
		cJSON_AddStringToObject(o, "date",
					(const char *)sqlite3_column_text(st, 1));
		cJSON_AddItemToArray(hol, o);
	}
	stmt_done(st);
	for (e = rcms_doc_type_names; e->name; e++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", e->name);
		cJSON_AddStringToObject(o, "label", e->label);
		cJSON_AddItemToArray(dt, o);
	}
	return RCMS_OK;
}

/* ---- the agency directory and its workstations ------------------------- */

#define USER_COLS                                                             \
	"SELECT agency, username, full_name, role, pw_hash, enabled, seq,"    \
	" created_at, updated_at, disabled_at, updated_by, updated_ws"        \
	" FROM directory"

static void user_row(sqlite3_stmt *st, void *out)
{
	struct xuser *u = out;

	memset(u, 0, sizeof(*u));
	col_copy(st, 0, u->agency, sizeof(u->agency));
	col_copy(st, 1, u->username, sizeof(u->username));
	col_copy(st, 2, u->full_name, sizeof(u->full_name));
	col_copy(st, 3, u->role, sizeof(u->role));
	col_copy(st, 4, u->pw_hash, sizeof(u->pw_hash));
	u->enabled = sqlite3_column_int(st, 5) != 0;
	u->seq = sqlite3_column_int64(st, 6);
	u->created_at = sqlite3_column_int64(st, 7);
	u->updated_at = sqlite3_column_int64(st, 8);
	u->disabled_at = sqlite3_column_int64(st, 9);
	col_copy(st, 10, u->updated_by, sizeof(u->updated_by));
	col_copy(st, 11, u->updated_ws, sizeof(u->updated_ws));
	u->exists = true;
}

/* The row of sql (?1 a, ?2 b) read by row into out, which stays zeroed
 * when there is none; and every row of a statement to fn, through buf. */
static enum rcms_status get_one(struct xstore *s, const char *sql,
				const char *a, const char *b,
				void (*row)(sqlite3_stmt *st, void *out),
				void *out, size_t size, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, sql, err);
	int rc;

	memset(out, 0, size);
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, a);
	bind_text(st, 2, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row(st, out);
	stmt_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? RCMS_OK
						     : sqlerr(s, rc, err);
}

static enum rcms_status each_row(struct xstore *s, sqlite3_stmt *st,
				 void (*row)(sqlite3_stmt *st, void *out),
				 void *buf, int (*fn)(const void *r, void *arg),
				 void *arg, struct rcms_err *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row(st, buf);
		if (fn(buf, arg))
			break;
	}
	stmt_done(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : sqlerr(s, rc, err);
}

/* each_row's fn for the typed callbacks of the ops table */
struct user_cb {
	int (*fn)(const struct xuser *u, void *arg);
	void *arg;
};
struct ws_cb {
	int (*fn)(const struct xws *w, void *arg);
	void *arg;
};

static int user_fn(const void *r, void *arg)
{
	const struct user_cb *c = arg;

	return c->fn(r, c->arg);
}

static int ws_fn(const void *r, void *arg)
{
	const struct ws_cb *c = arg;

	return c->fn(r, c->arg);
}

static enum rcms_status x_user_get(struct xstore *s, const char *agency,
				   const char *username, struct xuser *out,
				   struct rcms_err *err)
{
	return get_one(s, USER_COLS " WHERE agency = ?1 AND username = ?2",
		       agency, username, user_row, out, sizeof(*out), err);
}

static enum rcms_status x_user_put(struct xstore *s, struct xuser *u,
				   struct rcms_err *err)
{
	sqlite3_stmt *st;
	enum rcms_status r;
	int rc;

	if ((r = next_counter(s, "directory", &u->seq, err)))
		return r;
	st = prep(s, "INSERT INTO directory(agency, username, full_name, role,"
		     " pw_hash, enabled, seq, created_at, updated_at,"
		     " disabled_at, updated_by, updated_ws)"
		     " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"
		     " ON CONFLICT(agency, username) DO UPDATE SET"
		     " full_name = ?3, role = ?4, pw_hash = ?5, enabled = ?6,"
		     " seq = ?7, updated_at = ?9, disabled_at = ?10,"
		     " updated_by = ?11, updated_ws = ?12", err);
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, u->agency);
	bind_text(st, 2, u->username);
	bind_text(st, 3, u->full_name);
	bind_text(st, 4, u->role);
	bind_text(st, 5, u->pw_hash);
	sqlite3_bind_int(st, 6, u->enabled);
	sqlite3_bind_int64(st, 7, u->seq);
	sqlite3_bind_int64(st, 8, u->created_at);
	sqlite3_bind_int64(st, 9, u->updated_at);
	sqlite3_bind_int64(st, 10, u->disabled_at);
	bind_text(st, 11, u->updated_by);
	bind_text(st, 12, u->updated_ws);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_user_count(struct xstore *s, const char *agency,
				     int64_t *n, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "SELECT count(*) FROM directory"
				   " WHERE agency = ?1", err);
	int rc;

	*n = 0;
	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	stmt_done(st);
	return rc == SQLITE_ROW ? RCMS_OK : sqlerr(s, rc, err);
}

static enum rcms_status x_directory(struct xstore *s, const char *agency,
				    int64_t since, int limit,
				    int (*fn)(const struct xuser *u, void *arg),
				    void *arg, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, USER_COLS " WHERE agency = ?1 AND seq > ?2"
				   " ORDER BY seq LIMIT ?3", err);
	struct xuser u;
	struct user_cb cb = {fn, arg};

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int(st, 3, limit);
	return each_row(s, st, user_row, &u, user_fn, &cb, err);
}

static enum rcms_status x_ws_seen(struct xstore *s, const char *agency,
				  const char *ws, int64_t now, bool synced,
				  struct rcms_err *err)
{
	/* a write only when something changes: the first request, and a
	 * sync at most once a minute */
	sqlite3_stmt *st = prep(s, "INSERT INTO workstations(agency,"
				   " workstation, first_seen, last_sync)"
				   " VALUES(?1, ?2, ?3, ?4) ON CONFLICT DO"
				   " UPDATE SET last_sync = ?4"
				   " WHERE ?4 > last_sync + 60", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	bind_text(st, 2, ws);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, synced ? now : 0);
	rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? RCMS_OK : sqlerr(s, rc, err);
}

#define WS_COLS                                                               \
	"SELECT agency, workstation, first_seen, last_sync, retired_at,"      \
	" retired_by, retired_from, reason FROM workstations"

static void ws_row(sqlite3_stmt *st, void *out)
{
	struct xws *w = out;

	memset(w, 0, sizeof(*w));
	col_copy(st, 0, w->agency, sizeof(w->agency));
	col_copy(st, 1, w->workstation, sizeof(w->workstation));
	w->first_seen = sqlite3_column_int64(st, 2);
	w->last_sync = sqlite3_column_int64(st, 3);
	w->retired_at = sqlite3_column_int64(st, 4);
	col_copy(st, 5, w->retired_by, sizeof(w->retired_by));
	col_copy(st, 6, w->retired_from, sizeof(w->retired_from));
	col_copy(st, 7, w->reason, sizeof(w->reason));
	w->exists = true;
}

static enum rcms_status x_ws_get(struct xstore *s, const char *agency,
				 const char *ws, struct xws *out,
				 struct rcms_err *err)
{
	return get_one(s, WS_COLS " WHERE agency = ?1 AND workstation = ?2",
		       agency, ws, ws_row, out, sizeof(*out), err);
}

static enum rcms_status x_ws_retire(struct xstore *s, const struct xws *w,
				    struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, "UPDATE workstations SET retired_at = ?3,"
				   " retired_by = ?4, retired_from = ?5,"
				   " reason = ?6 WHERE agency = ?1 AND"
				   " workstation = ?2 AND retired_at = 0", err);
	int rc;

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, w->agency);
	bind_text(st, 2, w->workstation);
	sqlite3_bind_int64(st, 3, w->retired_at);
	bind_text(st, 4, w->retired_by);
	bind_text(st, 5, w->retired_from);
	bind_text(st, 6, w->reason);
	rc = sqlite3_step(st);
	stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlerr(s, rc, err);
	return sqlite3_changes(s->db) ? RCMS_OK : RCMS_ERR_NOT_FOUND;
}

static enum rcms_status x_ws_list(struct xstore *s, const char *agency,
				  int (*fn)(const struct xws *w, void *arg),
				  void *arg, struct rcms_err *err)
{
	sqlite3_stmt *st = prep(s, WS_COLS " WHERE agency = ?1"
				   " ORDER BY workstation", err);
	struct xws w;
	struct ws_cb cb = {fn, arg};

	if (!st)
		return RCMS_ERR_DB;
	bind_text(st, 1, agency);
	return each_row(s, st, ws_row, &w, ws_fn, &cb, err);
}

const struct xstore_ops xstore_sqlite = {
	.name = "sqlite",
	.open = x_open,
	.close = x_close,
	.begin = x_begin,
	.commit = x_commit,
	.rollback = x_rollback,
	.batch_begin = x_batch_begin,
	.batch_spoiled = x_batch_spoiled,
	.batch_commit = x_batch_commit,
	.batch_rollback = x_batch_rollback,
	.op_get = x_op_get,
	.op_put = x_op_put,
	.case_get = x_case_get,
	.case_purge = x_case_purge,
	.case_put = x_case_put,
	.child_put = x_child_put,
	.child_get = x_child_get,
	.child_update = x_child_update,
	.next_ref = x_next_ref,
	.audit_last = x_audit_last,
	.audit_hash = x_audit_hash,
	.audit_put = x_audit_put,
	.audit_list = x_audit_list,
	.changes = x_changes,
	.due = x_due,
	.blob_readable = x_blob_readable,
	.upload_put = x_upload_put,
	.upload_get = x_upload_get,
	.upload_advance = x_upload_advance,
	.upload_del = x_upload_del,
	.upload_count = x_upload_count,
	.upload_idle = x_upload_idle,
	.blob_put = x_blob_put,
	.blob_get = x_blob_get,
	.agency_put = x_agency_put,
	.agency_list = x_agency_list,
	.agreement_put = x_agreement_put,
	.agreement_for = x_agreement_for,
	.holiday_put = x_holiday_put,
	.holidays = x_holidays,
	.reference = x_reference,
	.user_get = x_user_get,
	.user_put = x_user_put,
	.user_count = x_user_count,
	.directory = x_directory,
	.ws_seen = x_ws_seen,
	.ws_get = x_ws_get,
	.ws_retire = x_ws_retire,
	.ws_list = x_ws_list,
};
