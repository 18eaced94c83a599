/* db_priv.h - the insides of the db layer; not for other layers. */
#ifndef RCMS_DB_DB_PRIV_H
#define RCMS_DB_DB_PRIV_H

#include <sqlite3.h>

#include "db/db.h"

#define DB_STMT_CACHE 96

struct rcms_db {
	sqlite3 *sql;
	char *data_dir;        /* owned; NULL for none */
	int in_tx;
	int in_batch;
	struct {
		const char *key;   /* the SQL text's address: static strings */
		sqlite3_stmt *stmt;
	} cache[DB_STMT_CACHE];
	int ncache;
	/* the workstation's identity, read once (it never changes) */
	bool have_identity;
	struct db_identity identity;
	/* the last agreement looked up by country; cleared on writes */
	char agr_country[3];
	struct rcms_agreement agr;
	bool have_agr;
	/* SQL built once from the field tables */
	char *case_update_sql;      /* UPDATE OR FAIL of the row: edits */
	char *case_new_sql;         /* INSERT OR FAIL: creates */
	char *case_select_sql;
	/* the search index's FTS5 rows wait for db_search_flush */
	bool search_defer;
	/* the migration whose post step runs (0: none): the schema is
	 * older than this build's until it ends */
	int migrating;
	/* the checkpointer's thread and connection (NULL: none) */
	struct db_ckpt *ckpt;
};

/* The columns of a case that search_persons keeps a copy of (migration 9:
 * db/schema.c, db/search.c). */
#define SEARCH_FACTS                                                          \
	"updated_at, requesting_agency, requested_agency, status,"            \
	" nationality, birth_date"

/*
 * The search index written in bulk (db/search.c): between db_search_defer
 * and db_search_flush, in one transaction, db_search_index writes the
 * person rows and notes what the FTS5 index must drop and take; the flush
 * does it in two statements.  FTS5 writes a segment at every statement
 * savepoint, so row by row a page of a pull wrote a segment a case.
 * db_search_defer_cancel after a rollback (the notes roll back with it).
 */
enum rcms_status db_search_defer(struct rcms_db *db, struct rcms_err *err);
enum rcms_status db_search_flush(struct rcms_db *db, struct rcms_err *err);
void db_search_defer_cancel(struct rcms_db *db);

/* The caseload's moves (migration 13) added to its counts, and the log
 * emptied; inside the caller's transaction. */
enum rcms_status db_caseload_fold(struct rcms_db *db, struct rcms_err *err);

/* A cached prepared statement for a static SQL string, reset and cleared. */
sqlite3_stmt *db_stmt(struct rcms_db *db, const char *sql,
		      struct rcms_err *err);
/* Translate a SQLite result into a status and a message. */
enum rcms_status db_sqlerr(struct rcms_db *db, int rc, struct rcms_err *err);

enum rcms_status db_begin(struct rcms_db *db, struct rcms_err *err);
enum rcms_status db_commit(struct rcms_db *db, struct rcms_err *err);
void db_rollback(struct rcms_db *db);

/* Bind helpers: text (NULL binds ''), int64. */
int db_bind_text(sqlite3_stmt *s, int i, const char *v);
int db_bind_int(sqlite3_stmt *s, int i, int64_t v);
/* Copy column i as text into buf (never NULL, always terminated). */
void db_col_text(sqlite3_stmt *s, int i, char *buf, size_t size);

/* A fresh UUIDv7 for now (ms) with random bytes from the kernel. */
enum rcms_status db_uuid(int64_t now_ms, char out[RCMS_ID_LEN],
			 struct rcms_err *err);
/* Random bytes from the kernel. */
enum rcms_status db_random(void *buf, size_t n, struct rcms_err *err);
/* SHA-256 of bytes, as lower-case hex. */
void db_sha256_hex(const void *data, size_t n, char out[RCMS_SHA256_HEX]);

/* An outbox row of the columns seq, op_id, type, entity_id, base_rev,
 * fields, actor, device_time, state, result (in that order). */
void db_op_from_row(sqlite3_stmt *s, struct db_op *op);

/* Inside an open transaction: append the outbox operation. */
/* An operation for the agency directory (user.create, user.update,
 * user.password), in the caller's transaction: full_name, pw_hash NULL
 * and role, enabled -1 leave those out. */
enum rcms_status db_dir_op(struct db_ctx *ctx, const char *type,
			   const char *username, const char *full_name,
			   int role, const char *pw_hash, int enabled,
			   struct rcms_err *err);
/* Migration 7's step: an operation for each account this replica has. */
enum rcms_status db_directory_seed(struct rcms_db *db, struct rcms_err *err);
enum rcms_status db_outbox_add(struct db_ctx *ctx, const char *type,
			       const char *entity_id, int64_t base_rev,
			       const char *fields_json, struct rcms_err *err);
/* Inside an open transaction: append an audit entry to the chain. */
enum rcms_status db_audit_append(struct db_ctx *ctx, const char *action,
				 const char *case_id, const char *detail,
				 struct rcms_err *err);
/* Inside a transaction: meta values. */
enum rcms_status db_meta_set(struct rcms_db *db, const char *key,
			     const char *value, struct rcms_err *err);

/* Inside a transaction: write reference data (agreement.c). */
enum rcms_status db_agreement_write(struct db_ctx *ctx,
				    const struct rcms_agreement *a,
				    struct rcms_err *err);
enum rcms_status db_holiday_write(struct db_ctx *ctx,
				  const struct rcms_holiday *h,
				  const char *name, struct rcms_err *err);

/* Migrations (schema.c). */
enum rcms_status db_migrate(struct rcms_db *db, struct rcms_err *err);

/* Read a case row from a statement whose columns are case_select_sql's. */
void db_case_from_row(sqlite3_stmt *s, struct rcms_case *c);

/* Write a case as the exchange sent it (the whole row, an upsert);
 * *is_new (when not NULL): there was no such case before. */
enum rcms_status db_case_write_remote(struct db_ctx *ctx,
				      const struct rcms_case *c,
				      int64_t reply_due, bool *is_new,
				      struct rcms_err *err);

/* Inside a transaction: (re)index the person of a case for search
 * (search.c); the case of an outbox operation; every case (migration 5). */
enum rcms_status db_search_index(struct rcms_db *db, const char *case_id,
				 struct rcms_err *err);
/* The same with the person's words worked out already (db_search_words,
 * packed: for a case written as it is held in memory, documents
 * included). */
enum rcms_status db_search_index_words(struct rcms_db *db,
				       const char *case_id,
				       const char *packed,
				       struct rcms_err *err);
enum rcms_status db_search_index_op(struct rcms_db *db, const char *op_id,
				    struct rcms_err *err);
/* Before a case is deleted (a purge): its index entry goes first (the
 * FTS5 index is external content and no trigger keeps it). */
enum rcms_status db_search_unindex(struct rcms_db *db, const char *case_id,
				   struct rcms_err *err);
enum rcms_status db_search_reindex_all(struct rcms_db *db,
				       struct rcms_err *err);

/* Retention (purge.c).  Hashes of blobs whose rows went, to be unlinked
 * from the store after the commit. */
struct db_shas {
	char (*v)[RCMS_SHA256_HEX];
	size_t n, cap;
};
void db_shas_free(struct db_shas *l);
void db_shas_unlink(struct rcms_db *db, const struct db_shas *l);
/* Inside a transaction: the records of a purged case go (documents,
 * evidence, notes, attachments and blobs no other case links -- added to
 * gone --, identity checks' texts, person decisions, answered outbox
 * operations) and, with unindex, its search index row. */
enum rcms_status db_case_scrub(struct db_ctx *ctx, const char *case_id,
			       bool unindex, struct db_shas *gone,
			       struct rcms_err *err);
/* Was the case purged here or by the feed (its audit entry)? */
bool db_case_purged(struct rcms_db *db, const char *case_id);

/* Permission helpers (case.c): the side the acting user's agency has. */
unsigned db_case_side(const struct db_ctx *ctx, const struct rcms_case *c);

#endif
