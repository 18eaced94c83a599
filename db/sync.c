/* sync.c - the replica's side of synchronisation: the cursor, pending
 * operations, the exchange's answers and the feed's pages, each applied
 * in one transaction. */
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

enum rcms_status db_sync_state(struct rcms_db *db, struct db_sync_state *out,
			       struct rcms_err *err)
{
	return db_sync_state_upto(db, 0, out, err);
}

enum rcms_status db_sync_state_upto(struct rcms_db *db, int64_t max,
				    struct db_sync_state *out,
				    struct rcms_err *err)
{
	char buf[64];
	enum rcms_status st;

	memset(out, 0, sizeof(*out));
	db_meta_get(db, "sync.exchange", out->exchange, sizeof(out->exchange),
		    NULL);
	if (db_meta_get(db, "sync.cursor", buf, sizeof(buf), NULL) == RCMS_OK)
		out->cursor = strtoll(buf, NULL, 10);
	if (db_meta_get(db, "sync.last", buf, sizeof(buf), NULL) == RCMS_OK)
		out->last_sync = strtoll(buf, NULL, 10);
	db_meta_get(db, "sync.outcome", out->last_outcome,
		    sizeof(out->last_outcome), NULL);
	if ((st = db_outbox_count_upto(db, "pending", max, &out->pending,
					 err)))
		return st;
	{
		int64_t a = 0, b = 0;
		if ((st = db_outbox_count_upto(db, "rejected", max, &a, err)) ||
		    (st = db_outbox_count_upto(db, "conflict", max, &b, err)))
			return st;
		out->rejected = a + b;
	}
	return RCMS_OK;
}

enum rcms_status db_sync_enroll(struct db_ctx *ctx, const char *url,
				struct rcms_err *err)
{
	enum rcms_status st;

	if ((st = rcms_perm_check(RCMS_PERM_ENROLL, ctx->user.role, err)))
		return st;
	if (!url || strncmp(url, "https://", 8) != 0 || strlen(url) > 500 ||
	    rcms_text_check(url, 500, RCMS_TEXT_SINGLE_LINE, "exchange", NULL))
		return rcms_err_set(err, RCMS_ERR_INVALID, "exchange",
				    "the exchange's address must be an "
				    "https:// URL");
	if ((st = db_begin(ctx->db, err)))
		return st;
	if ((st = db_meta_set(ctx->db, "sync.exchange", url, err)) ||
	    (st = db_audit_append(ctx, "sync.enroll", NULL, url, err))) {
		db_rollback(ctx->db);
		return st;
	}
	return db_commit(ctx->db, err);
}

enum rcms_status db_sync_outcome(struct rcms_db *db, int64_t now,
				 const char *outcome, struct rcms_err *err)
{
	char buf[32];
	enum rcms_status st;

	if ((st = db_begin(db, err)))
		return st;
	snprintf(buf, sizeof(buf), "%lld", (long long)now);
	/* the caseload's moves of the edits since the last page, into its
	 * counts: the log stays short on a workstation that pulls nothing */
	if ((st = db_caseload_fold(db, err)) ||
	    (st = db_meta_set(db, "sync.last", buf, err)) ||
	    (st = db_meta_set(db, "sync.outcome", outcome, err))) {
		db_rollback(db);
		return st;
	}
	return db_commit(db, err);
}

enum rcms_status db_outbox_open(struct rcms_db *db, bool *any,
				struct rcms_err *err)
{
	/* two look-ups of outbox_state, not a scan */
	static const char sql[] =
		"SELECT EXISTS(SELECT 1 FROM outbox WHERE state = 'pending')"
		" OR EXISTS(SELECT 1 FROM outbox WHERE state = 'conflict')";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	*any = true;
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*any = sqlite3_column_int(s, 0) != 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_outbox_pending(struct rcms_db *db, int max,
				   const char *entity_id,
				   int (*fn)(const struct db_op *op, void *arg),
				   void *arg, struct rcms_err *err)
{
	/* two statements, so that each uses its index (an OR would not) */
	static const char all_sql[] =
		"SELECT seq, op_id, type, entity_id, base_rev, fields, actor,"
		" device_time, state, result FROM outbox WHERE state = 'pending'"
		" AND ?2 = '' ORDER BY seq LIMIT ?1";
	static const char one_sql[] =
		"SELECT seq, op_id, type, entity_id, base_rev, fields, actor,"
		" device_time, state, result FROM outbox WHERE entity_id = ?2"
		" AND state = 'pending' ORDER BY seq LIMIT ?1";
	sqlite3_stmt *s = db_stmt(db, entity_id && *entity_id ? one_sql
							     : all_sql, err);
	struct db_op op;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_int(s, 1, max > 0 ? max : -1);
	db_bind_text(s, 2, entity_id ? entity_id : "");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_op_from_row(s, &op);
		if (fn(&op, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_outbox_batch(struct rcms_db *db, int64_t after, int max,
				 int (*fn)(const struct db_op *op, void *arg),
				 void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT seq, op_id, type, entity_id, base_rev, CASE WHEN"
		" json_valid(fields) THEN fields ELSE '{}' END, actor,"
		" device_time, state, result FROM outbox"
		" WHERE state = 'pending' AND seq > ?2 ORDER BY seq LIMIT ?1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct db_op op;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_int(s, 1, max > 0 ? max : -1);
	db_bind_int(s, 2, after);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_op_from_row(s, &op);
		if (fn(&op, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_outbox_lease(struct rcms_db *db, int64_t lo, int64_t hi,
				 int64_t until, struct rcms_err *err)
{
	static const char sql[] =
		"UPDATE outbox SET sending_until = ?3 WHERE state = 'pending'"
		" AND seq BETWEEN ?1 AND ?2";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_int(s, 1, lo);
	db_bind_int(s, 2, hi);
	db_bind_int(s, 3, until);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_outbox_release(struct rcms_db *db, int64_t lo, int64_t hi,
				   struct rcms_err *err)
{
	/* the leased range by outbox_state, not every pending row */
	static const char sql[] =
		"UPDATE outbox SET sending_until = 0 WHERE state = 'pending'"
		" AND seq BETWEEN ?1 AND ?2 AND sending_until <> 0";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_int(s, 1, lo);
	db_bind_int(s, 2, hi);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

/*
 * What an answer means besides the op's state: an op of the directory
 * answered (any way) means the directory is read again from its start at
 * this sync's pull (it is small, and a pull skipped the account while
 * the op waited); an op the exchange delivered although its actor has
 * been disabled there since is written in the audit log.
 */
static enum rcms_status push_side_effects(struct db_ctx *ctx,
					  const struct db_push_result *r,
					  size_t n, struct rcms_err *err)
{
	static const char what[] =
		"SELECT type, actor, entity_id FROM outbox WHERE op_id = ?1";
	/* one look for the whole batch: an answer of the directory's */
	static const char any_user[] =
		"SELECT 1 FROM outbox WHERE type LIKE 'user.%' AND op_id IN"
		" (SELECT value FROM json_each(?1)) LIMIT 1";
	char type[40], actor[RCMS_USER_LEN], ent[RCMS_ID_LEN];
	char detail[RCMS_LINE_LEN], t[32];
	struct rcms_jsonw ids;
	bool reread;
	sqlite3_stmt *s;
	enum rcms_status st;
	size_t i;
	int rc;

	rcms_jsonw_init(&ids);
	rcms_jsonw_arr_begin(&ids);
	for (i = 0; i < n; i++)
		rcms_jsonw_str(&ids, r[i].op_id);
	rcms_jsonw_arr_end(&ids);
	if ((st = rcms_jsonw_status(&ids)) ||
	    !(s = db_stmt(ctx->db, any_user, err))) {
		rcms_jsonw_free(&ids);
		return st ? rcms_err_set(err, st, NULL, NULL)
			  : err ? err->status : RCMS_ERR_DB;
	}
	db_bind_text(s, 1, ids.buf);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	rcms_jsonw_free(&ids);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(ctx->db, rc, err);
	reread = rc == SQLITE_ROW;
	for (i = 0; i < n; i++) {
		if (!r[i].actor_disabled_at)
			continue;
		if (!(s = db_stmt(ctx->db, what, err)))
			return err ? err->status : RCMS_ERR_DB;
		db_bind_text(s, 1, r[i].op_id);
		rc = sqlite3_step(s);
		type[0] = actor[0] = ent[0] = '\0';
		if (rc == SQLITE_ROW) {
			db_col_text(s, 0, type, sizeof(type));
			db_col_text(s, 1, actor, sizeof(actor));
			db_col_text(s, 2, ent, sizeof(ent));
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_sqlerr(ctx->db, rc, err);
		rcms_time_format(r[i].actor_disabled_at, t, sizeof(t));
		snprintf(detail, sizeof(detail),
			 "%s by %s delivered although the account was "
			 "disabled on %.10s (made while it was valid here)",
			 type, actor, t);
		if ((st = db_audit_append(ctx, "sync.disabled_actor",
					  strncmp(type, "case.", 5) == 0 ? ent
									 : NULL,
					  detail, err)))
			return st;
	}
	if (reread)
		return db_meta_set(ctx->db, "sync.dir_cursor", "0", err);
	return RCMS_OK;
}

enum rcms_status db_outbox_refuse_all(struct db_ctx *ctx, const char *result,
				      const char *why, int64_t *n,
				      struct rcms_err *err)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'rejected', result = ?1,"
		" sending_until = 0 WHERE state = 'pending'";
	char detail[RCMS_LINE_LEN];
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	*n = 0;
	if ((st = db_begin(ctx->db, err)))
		return st;
	if (!(s = db_stmt(ctx->db, sql, err))) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, result);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	*n = sqlite3_changes(ctx->db->sql);
	snprintf(detail, sizeof(detail), "%lld operations refused: %.400s",
		 (long long)*n, why);
	if ((st = db_audit_append(ctx, "sync.refused", NULL, detail, err)))
		goto rollback;
	return db_commit(ctx->db, err);
rollback:
	db_rollback(ctx->db);
	return st;
}

enum rcms_status db_push_results(struct db_ctx *ctx,
				 const struct db_push_result *r, size_t n,
				 struct rcms_err *err)
{
	static const char mark[] =
		"UPDATE outbox SET state = ?2, result = ?3, sending_until = 0"
		" WHERE op_id = ?1 AND state = 'pending'";
	static const char stamp[] =
		"UPDATE cases SET final_ref = CASE WHEN ?2 <> '' THEN ?2"
		" ELSE final_ref END, received_at = CASE WHEN ?3 > 0 THEN ?3"
		" ELSE received_at END, reply_due = CASE WHEN ?4 > 0 THEN ?4"
		" ELSE reply_due END WHERE id = (SELECT entity_id FROM outbox"
		" WHERE op_id = ?1)";
	char detail[128];
	size_t i, applied = 0, other = 0;
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if ((st = db_begin(ctx->db, err)))
		return st;
	for (i = 0; i < n; i++) {
		const char *state = strcmp(r[i].state, "duplicate") == 0
					    ? "applied" : r[i].state;
		if (strcmp(state, "applied") == 0)
			applied++;
		else
			other++;
		s = db_stmt(ctx->db, mark, err);
		if (!s) {
			st = err ? err->status : RCMS_ERR_DB;
			goto rollback;
		}
		db_bind_text(s, 1, r[i].op_id);
		db_bind_text(s, 2, state);
		db_bind_text(s, 3, r[i].result);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			st = db_sqlerr(ctx->db, rc, err);
			goto rollback;
		}
		if ((r[i].final_ref && r[i].final_ref[0]) || r[i].received_at ||
		    r[i].reply_due) {
			s = db_stmt(ctx->db, stamp, err);
			if (!s) {
				st = err ? err->status : RCMS_ERR_DB;
				goto rollback;
			}
			db_bind_text(s, 1, r[i].op_id);
			db_bind_text(s, 2, r[i].final_ref);
			db_bind_int(s, 3, r[i].received_at);
			db_bind_int(s, 4, r[i].reply_due);
			rc = sqlite3_step(s);
			sqlite3_reset(s);
			if (rc != SQLITE_DONE) {
				st = db_sqlerr(ctx->db, rc, err);
				goto rollback;
			}
			/* a final reference is found by search too */
			if (r[i].final_ref && r[i].final_ref[0] &&
			    (st = db_search_index_op(ctx->db, r[i].op_id,
						     err)))
				goto rollback;
		}
	}
	if ((st = push_side_effects(ctx, r, n, err)))
		goto rollback;
	snprintf(detail, sizeof(detail), "%zu applied, %zu refused", applied,
		 other);
	if ((st = db_audit_append(ctx, "sync.push", NULL, detail, err)))
		goto rollback;
	return db_commit(ctx->db, err);
rollback:
	db_rollback(ctx->db);
	return st;
}

static bool kept(const struct db_remote_case *rc, const char *field)
{
	size_t i;

	for (i = 0; i < rc->nkeep; i++)
		if (strcmp(rc->keep[i], field) == 0)
			return true;
	return false;
}

/* The documents, notes and attachments of a received case; *all_docs:
 * each of its documents was written (none was there already). */
static enum rcms_status child_rows(struct db_ctx *ctx,
				   const struct db_remote_case *rm,
				   bool *all_docs, struct rcms_err *err)
{
	static const char doc_sql[] =
		"INSERT OR IGNORE INTO documents(id, case_id, type, number,"
		" issuing_state, issuing_authority, issue_place, issue_date,"
		" expiry_date, is_copy, mrz, created_at)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
	static const char note_sql[] =
		"INSERT OR IGNORE INTO notes(id, case_id, author, created_at,"
		" text) VALUES(?1,?2,?3,?4,?5)";
	static const char blob_sql[] =
		"INSERT OR IGNORE INTO blobs(sha256, size, created_at, present,"
		" uploaded) VALUES(?1,?2,?3,0,1)";
	static const char att_sql[] =
		"INSERT OR IGNORE INTO attachments(id, case_id, sha256, kind,"
		" filename, mime, size, added_by, added_at)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)";
	sqlite3_stmt *s;
	char a[16], b[16];
	size_t i;
	int rc;

	for (i = 0; i < rm->ndocs; i++) {
		const struct rcms_document *d = &rm->docs[i];
		if (!(s = db_stmt(ctx->db, doc_sql, err)))
			return RCMS_ERR_DB;
		rcms_pdate_format(&d->issue_date, a, sizeof(a));
		rcms_pdate_format(&d->expiry_date, b, sizeof(b));
		db_bind_text(s, 1, d->id);
		db_bind_text(s, 2, rm->c.id);
		db_bind_text(s, 3, rcms_enum_name(rcms_doc_type_names,
						  (int)d->type));
		db_bind_text(s, 4, d->number);
		db_bind_text(s, 5, d->issuing_state);
		db_bind_text(s, 6, d->issuing_authority);
		db_bind_text(s, 7, d->issue_place);
		db_bind_text(s, 8, a);
		db_bind_text(s, 9, b);
		db_bind_int(s, 10, d->is_copy);
		db_bind_text(s, 11, d->mrz);
		db_bind_int(s, 12, ctx->now);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_sqlerr(ctx->db, rc, err);
		if (sqlite3_changes(ctx->db->sql) != 1)
			*all_docs = false;
	}
	for (i = 0; i < rm->nnotes; i++) {
		const struct rcms_note *n = &rm->notes[i];
		if (!(s = db_stmt(ctx->db, note_sql, err)))
			return RCMS_ERR_DB;
		db_bind_text(s, 1, n->id);
		db_bind_text(s, 2, rm->c.id);
		db_bind_text(s, 3, n->author);
		db_bind_int(s, 4, n->created_at);
		db_bind_text(s, 5, n->text);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_sqlerr(ctx->db, rc, err);
	}
	for (i = 0; i < rm->natts; i++) {
		const struct rcms_attachment *t = &rm->atts[i];
		if (!(s = db_stmt(ctx->db, blob_sql, err)))
			return RCMS_ERR_DB;
		/* the bytes come later, on demand: the row says we know it */
		db_bind_text(s, 1, t->sha256);
		db_bind_int(s, 2, t->size);
		db_bind_int(s, 3, ctx->now);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_sqlerr(ctx->db, rc, err);
		if (!(s = db_stmt(ctx->db, att_sql, err)))
			return RCMS_ERR_DB;
		db_bind_text(s, 1, t->id);
		db_bind_text(s, 2, rm->c.id);
		db_bind_text(s, 3, t->sha256);
		db_bind_text(s, 4, rcms_enum_name(rcms_attach_kind_names,
						  (int)t->kind));
		db_bind_text(s, 5, t->filename);
		db_bind_text(s, 6, t->mime);
		db_bind_int(s, 7, t->size);
		db_bind_text(s, 8, t->added_by);
		db_bind_int(s, 9, t->added_at);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_sqlerr(ctx->db, rc, err);
	}
	return RCMS_OK;
}

/* Merge a remote case with the local one: fields with a pending local
 * operation keep their local value. */
static void merge_pending(const struct db_remote_case *rc,
			  const struct rcms_case *local, struct rcms_case *out)
{
	const struct rcms_field *f;

	for (f = rcms_case_fields; f->name; f++) {
		if (!kept(rc, f->name))
			continue;
		memcpy((char *)out + f->offset, (const char *)local + f->offset,
		       f->type == RCMS_F_PDATE || f->type == RCMS_F_PDATE_PAST
			       ? sizeof(struct rcms_pdate)
		       : f->type == RCMS_F_ENUM ? sizeof(int)
		       : f->type == RCMS_F_BOOL ? sizeof(bool)
		       : f->type == RCMS_F_INT	 ? sizeof(int)
		       : f->type == RCMS_F_TIME ? sizeof(int64_t)
						 : f->size);
	}
	if (rc->keep_status) {
		out->status = local->status;
		memcpy(out->reason, local->reason, sizeof(out->reason));
		out->extension_days = local->extension_days;
		memcpy(out->travel_doc_number, local->travel_doc_number,
		       sizeof(out->travel_doc_number));
		out->transfer_date = local->transfer_date;
	}
}

/* A case the exchange purged: written anonymised (cleared here too, not
 * trusted to be), its records scrubbed, audited once (case.purged, the
 * reference only).  The search index row goes after the page's flush. */
static enum rcms_status pull_purged(struct db_ctx *ctx,
				    const struct db_remote_case *rm,
				    struct rcms_case *c, struct db_shas *gone,
				    struct rcms_err *err)
{
	char detail[RCMS_LINE_LEN], t[32];
	enum rcms_status st;

	rcms_case_anonymise(c);
	if ((st = db_case_write_remote(ctx, c, rm->reply_due, NULL, err)) ||
	    (st = db_case_scrub(ctx, c->id, false, gone, err)))
		return st;
	if (db_case_purged(ctx->db, c->id))
		return RCMS_OK;
	rcms_time_format(rm->purged_at, t, sizeof(t));
	snprintf(detail, sizeof(detail),
		 "%s purged by %s at the exchange on %.10s: personal data "
		 "erased", c->final_ref[0] ? c->final_ref : c->local_ref,
		 c->requesting_agency, t);
	return db_audit_append(ctx, "case.purged", c->id, detail, err);
}

enum rcms_status db_pull_apply(struct db_ctx *ctx,
			       const struct db_remote_case *cases, size_t n,
			       int64_t cursor, struct rcms_err *err)
{
	return db_pull_apply_ticked(ctx, cases, n, cursor, NULL, NULL, err);
}

/* tick's rhythm: a few hundred microseconds of work between two calls */
#define PULL_TICK 16

/* The next case of a page, written by the decoder's thread on the other
 * CPU, brought into this one's cache while this case is written (about
 * a hundred cache lines a case, each a miss otherwise). */
static void prefetch_case(const struct db_remote_case *r)
{
	const char *p = (const char *)&r->c;
	size_t i, k;

	for (i = 0; i < sizeof(r->c); i += 64)
		__builtin_prefetch(p + i);
	for (k = 0; k < r->ndocs; k++)
		for (i = 0; i < sizeof(r->docs[k]); i += 64)
			__builtin_prefetch((const char *)&r->docs[k] + i);
	if (r->words)
		__builtin_prefetch(r->words);
}

enum rcms_status db_pull_apply_ticked(struct db_ctx *ctx,
				      const struct db_remote_case *cases,
				      size_t n, int64_t cursor,
				      void (*tick)(void *arg), void *arg,
				      struct rcms_err *err)
{
	struct rcms_case *c = NULL, *local = NULL;
	struct db_shas gone = {0};
	/* per case: not indexed, its words read back, its words known */
	enum { IX_NO, IX_READ, IX_WORDS } *indexed = NULL;
	char buf[32], detail[64];
	bool is_new, all_docs;
	enum rcms_status st;
	size_t i, nwords = 0;

	c = malloc(sizeof(*c));
	local = malloc(sizeof(*local));
	indexed = calloc(n ? n : 1, sizeof(*indexed));
	if (!c || !local || !indexed) {
		free(c);
		free(local);
		free(indexed);
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	if ((st = db_begin(ctx->db, err)))
		goto out;
	if ((st = db_search_defer(ctx->db, err)))
		goto rollback;
	for (i = 0; i < n; i++) {
		/* the case as received, copied only to be changed */
		const struct rcms_case *w = &cases[i].c;
		if (tick && i % PULL_TICK == PULL_TICK - 1)
			tick(arg);
		if (i + 1 < n)
			prefetch_case(&cases[i + 1]);
		if (!db_case_side(ctx, w)) {
			/* not ours: the exchange must not send it; skip */
			continue;
		}
		if (cases[i].purged_at) {
			/* retention at the exchange: the personal data and
			 * the records go here too, whatever is pending */
			*c = cases[i].c;
			if ((st = pull_purged(ctx, &cases[i], c, &gone, err)))
				goto rollback;
			continue;
		}
		if ((cases[i].nkeep || cases[i].keep_status) &&
		    db_case_get(ctx, w->id, local, NULL) == RCMS_OK) {
			*c = cases[i].c;
			merge_pending(&cases[i], local, c);
			w = c;
		}
		if ((st = db_case_write_remote(ctx, w, cases[i].reply_due,
					       &is_new, err)))
			goto rollback;
		all_docs = true;
		if ((st = child_rows(ctx, &cases[i], &all_docs, err)))
			goto rollback;
		/* a case new here is stored as received: its words, worked
		 * out on the decoder's thread, are what the database would
		 * give back */
		indexed[i] = is_new && all_docs && cases[i].words ? IX_WORDS
								  : IX_READ;
		if (indexed[i] == IX_WORDS) {
			nwords++;
		} else if (nwords) {
			/* the case again, later in the page: what it was
			 * received as first is not what it is now */
			size_t k;
			for (k = 0; k < i; k++)
				if (indexed[k] == IX_WORDS &&
				    strcmp(cases[k].c.id, w->id) == 0)
					indexed[k] = IX_READ;
		}
		{
			size_t k;
			for (k = 0; k < cases[i].nidchecks; k++) {
				struct rcms_idcheck q = cases[i].idchecks[k];
				snprintf(q.case_id, sizeof(q.case_id), "%s",
					 w->id);
				if ((st = db_idcheck_write_remote(ctx, &q,
								  err)))
					goto rollback;
			}
		}
	}
	/* The page's persons, then their FTS5 rows in two statements
	 * (db_search_defer): FTS5 writes a segment at every statement
	 * savepoint, and row by row that took a third of the pull's time. */
	for (i = 0; i < n; i++) {
		if (tick && i % PULL_TICK == PULL_TICK - 1)
			tick(arg);
		st = RCMS_OK;
		if (indexed[i] == IX_WORDS)
			st = db_search_index_words(ctx->db, cases[i].c.id,
						   cases[i].words, err);
		else if (indexed[i] == IX_READ)
			st = db_search_index(ctx->db, cases[i].c.id, err);
		if (st)
			goto rollback;
	}
	if (tick)
		tick(arg);
	if ((st = db_search_flush(ctx->db, err)))
		goto rollback;
	/* after the flush: the index is written row by row again */
	for (i = 0; i < n; i++)
		if (cases[i].purged_at && db_case_side(ctx, &cases[i].c) &&
		    (st = db_search_unindex(ctx->db, cases[i].c.id, err)))
			goto rollback;
	/* the page's moves of the caseload's counts into them */
	if ((st = db_caseload_fold(ctx->db, err)))
		goto rollback;
	snprintf(buf, sizeof(buf), "%lld", (long long)cursor);
	if ((st = db_meta_set(ctx->db, "sync.cursor", buf, err)))
		goto rollback;
	snprintf(detail, sizeof(detail), "%zu cases received", n);
	if (n && (st = db_audit_append(ctx, "sync.pull", NULL, detail, err)))
		goto rollback;
	st = db_commit(ctx->db, err);
	if (st == RCMS_OK)
		db_shas_unlink(ctx->db, &gone);
	goto out;
rollback:
	db_search_defer_cancel(ctx->db);
	db_rollback(ctx->db);
out:
	db_shas_free(&gone);
	free(c);
	free(local);
	free(indexed);
	return st;
}

static void blob_row(sqlite3_stmt *s, struct db_blob *b)
{
	memset(b, 0, sizeof(*b));
	db_col_text(s, 0, b->sha256, sizeof(b->sha256));
	b->size = sqlite3_column_int64(s, 1);
	db_col_text(s, 2, b->upload_url, sizeof(b->upload_url));
	db_col_text(s, 3, b->filename, sizeof(b->filename));
}

enum rcms_status db_blobs_to_upload(struct rcms_db *db,
				    int (*fn)(const struct db_blob *b,
					      void *arg),
				    void *arg, struct rcms_err *err)
{
	/* linked by an applied op: the exchange accepts the bytes */
	static const char sql[] =
		"SELECT b.sha256, b.size, b.upload_url,"
		" (SELECT filename FROM attachments a WHERE a.sha256 = b.sha256"
		"  LIMIT 1) FROM blobs b WHERE b.present = 1 AND b.uploaded = 0"
		" AND EXISTS (SELECT 1 FROM attachments a JOIN outbox o"
		"  ON o.entity_id = a.case_id AND o.type = 'attachment.link'"
		"  AND o.state = 'applied' WHERE a.sha256 = b.sha256)"
		" ORDER BY b.created_at, b.sha256";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct db_blob b;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		blob_row(s, &b);
		if (fn(&b, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_blobs_missing(struct rcms_db *db, const char *case_id,
				  int (*fn)(const struct db_blob *b, void *arg),
				  void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT b.sha256, b.size, b.upload_url, a.filename FROM blobs b"
		" JOIN attachments a ON a.sha256 = b.sha256 WHERE b.present = 0"
		" AND (?1 = '' OR a.case_id = ?1) GROUP BY b.sha256"
		" ORDER BY b.created_at";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct db_blob b;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id ? case_id : "");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		blob_row(s, &b);
		if (fn(&b, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_blob_set_upload(struct rcms_db *db, const char *sha256,
				    const char *url, bool done,
				    struct rcms_err *err)
{
	static const char sql[] =
		"UPDATE blobs SET upload_url = ?2, uploaded = ?3"
		" WHERE sha256 = ?1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, sha256);
	db_bind_text(s, 2, url ? url : "");
	db_bind_int(s, 3, done);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_blob_adopt(struct rcms_db *db, const char *sha256,
			       const char *tmp_path, struct rcms_err *err)
{
	static const char sql[] = "UPDATE blobs SET present = 1"
				  " WHERE sha256 = ?1";
	char path[4300], dir[4300];
	sqlite3_stmt *s;
	int rc, fd;

	if (db_blob_path(db, sha256, path, sizeof(path)) != RCMS_OK)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "not a blob hash");
	snprintf(dir, sizeof(dir), "%s/blobs", db->data_dir);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/blobs/%.2s", db->data_dir, sha256);
	mkdir(dir, 0700);
	if (rename(tmp_path, path) != 0)
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot store a downloaded file: %s",
				    strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	s = db_stmt(db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, sha256);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_conflicts(struct rcms_db *db, const char *case_id,
			      int (*fn)(const struct db_op *op,
					const char *result, void *arg),
			      void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT seq, op_id, type, entity_id, base_rev, fields, actor,"
		" device_time, state, result FROM outbox WHERE state = 'conflict'"
		" AND ?1 = '' ORDER BY seq";
	static const char one_sql[] =
		"SELECT seq, op_id, type, entity_id, base_rev, fields, actor,"
		" device_time, state, result FROM outbox WHERE entity_id = ?1"
		" AND state = 'conflict' ORDER BY seq";
	sqlite3_stmt *s = db_stmt(db, case_id && *case_id ? one_sql : sql,
				  err);
	struct db_op op;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id ? case_id : "");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_op_from_row(s, &op);
		if (fn(&op, (const char *)sqlite3_column_text(s, 9), arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_conflict_resolve(struct db_ctx *ctx, const char *op_id,
				     const char *field, const char *value,
				     const struct db_change *more, size_t nmore,
				     int64_t server_rev,
				     const char *new_result, bool all_done,
				     struct rcms_err *err)
{
	static const char get_sql[] =
		"SELECT entity_id FROM outbox WHERE op_id = ?1"
		" AND state = 'conflict'";
	static const char mark_sql[] =
		"UPDATE outbox SET result = ?2, state = ?3 WHERE op_id = ?1";
	const struct rcms_field *f = rcms_field_find(rcms_case_fields, field);
	struct rcms_case *c = NULL;
	struct rcms_today today;
	struct rcms_jsonw w;
	char case_id[RCMS_ID_LEN] = "", detail[128];
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	rcms_jsonw_init(&w);
	if (!f || !(f->flags & RCMS_FF_EDIT))
		return rcms_err_set(err, RCMS_ERR_INVALID, field,
				    "unknown field '%.40s'", field);
	c = malloc(sizeof(*c));
	if (!c)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	rcms_utc_to_ymd(ctx->now, &today.y, &today.m, &today.d);
	if ((st = db_begin(ctx->db, err)))
		goto out;
	s = db_stmt(ctx->db, get_sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, op_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		db_col_text(s, 0, case_id, sizeof(case_id));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		st = rcms_err_set(err, RCMS_ERR_NOT_FOUND, NULL,
				  "no conflict to settle there");
		goto rollback;
	}
	if ((st = db_case_get(ctx, case_id, c, err)))
		goto rollback;
	if ((st = rcms_perm_check(RCMS_PERM_CONFLICT_RESOLVE, ctx->user.role,
				  err)))
		goto rollback;
	if (!(f->owner & db_case_side(ctx, c))) {
		st = rcms_err_set(err, RCMS_ERR_PERMISSION, field,
				  "you cannot change %s of this case",
				  f->label);
		goto rollback;
	}
	if ((st = rcms_field_set(f, c, value, &today, err)))
		goto rollback;
	{
		size_t i;
		for (i = 0; i < nmore; i++) {
			const struct rcms_field *g = rcms_field_find(
				rcms_case_fields, more[i].field);
			if (!g || !(g->flags & RCMS_FF_EDIT) ||
			    !(g->owner & db_case_side(ctx, c))) {
				st = rcms_err_set(err, RCMS_ERR_INVALID,
						  more[i].field,
						  "cannot send %.40s again",
						  more[i].field);
				goto rollback;
			}
			if ((st = rcms_field_set(g, c, more[i].value, &today,
						 err)))
				goto rollback;
		}
	}
	if ((st = rcms_case_check_rules(c, err)))
		goto rollback;
	c->updated_at = ctx->now;
	if ((st = db_case_write_remote(ctx, c, 0, NULL, err)))
		goto rollback;
	if ((st = db_search_index(ctx->db, c->id, err)))
		goto rollback;
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_key(&w, "fields");
	rcms_jsonw_obj_begin(&w);
	{
		char buf[RCMS_TEXT_LEN + 64];
		size_t i;
		for (i = 0; i <= nmore; i++) {
			const struct rcms_field *g =
				i == nmore ? f
					   : rcms_field_find(rcms_case_fields,
							     more[i].field);
			rcms_field_get(g, c, buf, sizeof(buf));
			if (g->type == RCMS_F_BOOL)
				rcms_jsonw_kbool(&w, g->name,
						 strcmp(buf, "yes") == 0);
			else if (g->type == RCMS_F_INT)
				rcms_jsonw_kint(&w, g->name,
						strtol(buf, NULL, 10));
			else
				rcms_jsonw_kstr(&w, g->name, buf);
		}
	}
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	/* on the exchange's revision of the field: no conflict again */
	if ((st = db_outbox_add(ctx, "case.update", case_id, server_rev,
				w.buf, err)))
		goto rollback;
	s = db_stmt(ctx->db, mark_sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, op_id);
	db_bind_text(s, 2, new_result);
	db_bind_text(s, 3, all_done ? "resolved" : "conflict");
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	snprintf(detail, sizeof(detail), "conflict settled: %s", field);
	if ((st = db_audit_append(ctx, "conflict.resolve", case_id, detail,
				  err)))
		goto rollback;
	st = db_commit(ctx->db, err);
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	rcms_jsonw_free(&w);
	free(c);
	return st;
}
