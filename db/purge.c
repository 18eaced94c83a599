/*
 * purge.c - retention: cases closed longer than the retention period are
 * anonymised (rcms purge), here and, through a case.purge operation, at
 * the exchange and so on the other agency's replica (db_pull_apply).
 *
 * Anonymised, not deleted: the reports count cases per status, country
 * and month, decisions and their times, identity checks and their
 * turnaround; a deleted case would change last year's figures.  What
 * names or describes the person goes (rcms_case_anonymise), and with it
 * every record that does: documents, evidence, notes, attachments and
 * the blobs no other case links, the text of identity checks, the
 * officers' decisions about persons, the search index's row and the
 * outbox operations already answered (their fields carry the data).
 *
 * A case purged here or by the feed has an audit entry case.purge or
 * case.purged: that entry is how a purged case is known (the schema
 * needs no flag) and what rcms purge --dry-run leaves out.
 */
#include "db/db_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/fields.h"
#include "app/jsonw.h"
#include "app/pdate.h"
#include "app/perm.h"

void db_shas_free(struct db_shas *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static enum rcms_status shas_add(struct db_shas *l, const char *sha,
				 struct rcms_err *err)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char(*v)[RCMS_SHA256_HEX] = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		l->v = v;
		l->cap = cap;
	}
	snprintf(l->v[l->n], sizeof(l->v[l->n]), "%s", sha);
	l->n++;
	return RCMS_OK;
}

void db_shas_unlink(struct rcms_db *db, const struct db_shas *l)
{
	char path[4200];
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if (db_blob_path(db, l->v[i], path, sizeof(path)) == RCMS_OK)
			(void)unlink(path);  /* never downloaded: no file */
}

/* Run a cached statement whose only parameter is the case id. */
static enum rcms_status run_id(struct rcms_db *db, const char *sql,
			       const char *id, struct rcms_err *err)
{
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_case_scrub(struct db_ctx *ctx, const char *case_id,
			       bool unindex, struct db_shas *gone,
			       struct rcms_err *err)
{
	static const char *const steps[] = {
		"DELETE FROM documents WHERE case_id = ?1",
		"DELETE FROM evidence WHERE case_id = ?1",
		"DELETE FROM notes WHERE case_id = ?1",
		"UPDATE idchecks SET question = '', answer_text = ''"
		" WHERE case_id = ?1",
		"DELETE FROM person_decisions WHERE a = ?1 OR b = ?1",
		/* answered operations: their fields hold what was typed;
		 * one still to be sent or settled is left to its owner */
		"DELETE FROM outbox WHERE entity_id = ?1 AND state IN"
		" ('applied','duplicate','rejected','resolved')",
	};
	static const char atts_sql[] =
		"SELECT DISTINCT sha256 FROM attachments WHERE case_id = ?1";
	static const char del_atts_sql[] =
		"DELETE FROM attachments WHERE case_id = ?1";
	static const char blob_sql[] =
		"DELETE FROM blobs WHERE sha256 = ?1 AND NOT EXISTS"
		" (SELECT 1 FROM attachments WHERE sha256 = ?1)";
	struct db_shas mine = {0};
	enum rcms_status st = RCMS_OK;
	sqlite3_stmt *s;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if ((st = run_id(ctx->db, steps[i], case_id, err)))
			return st;
	if (!(s = db_stmt(ctx->db, atts_sql, err)))
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char sha[RCMS_SHA256_HEX];
		db_col_text(s, 0, sha, sizeof(sha));
		if ((st = shas_add(&mine, sha, err)))
			break;
	}
	sqlite3_reset(s);
	if (st == RCMS_OK && rc != SQLITE_DONE)
		st = db_sqlerr(ctx->db, rc, err);
	if (st == RCMS_OK)
		st = run_id(ctx->db, del_atts_sql, case_id, err);
	/* a blob no other case links goes, its file after the commit */
	for (i = 0; st == RCMS_OK && i < mine.n; i++) {
		if (!(s = db_stmt(ctx->db, blob_sql, err))) {
			st = err ? err->status : RCMS_ERR_DB;
			break;
		}
		db_bind_text(s, 1, mine.v[i]);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			st = db_sqlerr(ctx->db, rc, err);
		else if (sqlite3_changes(ctx->db->sql) == 1 && gone)
			st = shas_add(gone, mine.v[i], err);
	}
	db_shas_free(&mine);
	if (st == RCMS_OK && unindex)
		st = db_search_unindex(ctx->db, case_id, err);
	return st;
}

bool db_case_purged(struct rcms_db *db, const char *case_id)
{
	static const char sql[] =
		"SELECT 1 FROM audit WHERE case_id = ?1 AND action IN"
		" ('case.purge','case.purged') LIMIT 1";
	sqlite3_stmt *s = db_stmt(db, sql, NULL);
	int rc;

	if (!s)
		return false;
	db_bind_text(s, 1, case_id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW;
}

/* The candidates: the agency's own cases (it owns the application; the
 * other agency's replica follows the feed), closed, the closed case's
 * last change at or before `before`, not purged yet. */
static const char list_sql[] =
	"SELECT c.id, c.local_ref, c.final_ref, c.updated_at FROM cases c"
	" WHERE c.status = 'closed' AND c.requesting_agency = ?1"
	" AND c.updated_at <= ?2 AND NOT EXISTS (SELECT 1 FROM audit a"
	"  WHERE a.case_id = c.id AND a.action IN ('case.purge','case.purged'))"
	" ORDER BY c.updated_at, c.id";

enum rcms_status db_purge_list(struct db_ctx *ctx, int64_t before,
			       int (*fn)(const struct db_purge_row *r,
					 void *arg),
			       void *arg, struct rcms_err *err)
{
	struct db_identity id;
	struct db_purge_row r;
	enum rcms_status st;
	sqlite3_stmt *s;
	int rc;

	if (!ctx || !fn)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, NULL);
	if ((st = rcms_perm_check(RCMS_PERM_PURGE, ctx->user.role, err)))
		return st;
	if ((st = db_identity_get(ctx->db, &id, err)))
		return st;
	if (!(s = db_stmt(ctx->db, list_sql, err)))
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, id.agency);
	db_bind_int(s, 2, before);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		db_col_text(s, 0, r.id, sizeof(r.id));
		db_col_text(s, 1, r.local_ref, sizeof(r.local_ref));
		db_col_text(s, 2, r.final_ref, sizeof(r.final_ref));
		r.closed_at = sqlite3_column_int64(s, 3);
		if (fn(&r, arg))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? RCMS_OK
		       : db_sqlerr(ctx->db, rc, err);
}

/* Operations of the case still to be sent, on their way or in conflict:
 * a purge waits for them (they carry what the purge would erase). */
static enum rcms_status unsettled(struct rcms_db *db, const char *case_id,
				  int64_t *n, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT count(*) FROM outbox WHERE entity_id = ?1 AND state IN"
		" ('pending','sent','conflict')";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* The reply deadline kept with the case (the outcomes report counts a
 * deemed acceptance at it). */
static enum rcms_status reply_due_of(struct rcms_db *db, const char *case_id,
				     int64_t *due, struct rcms_err *err)
{
	static const char sql[] = "SELECT reply_due FROM cases WHERE id = ?1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id);
	rc = sqlite3_step(s);
	*due = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_case_purge(struct db_ctx *ctx, const char *case_id,
			       int64_t before, int retention_days,
			       struct rcms_err *err)
{
	struct rcms_case *c = NULL;
	struct db_shas gone = {0};
	struct rcms_jsonw w;
	struct db_identity id;
	char closed[32], detail[RCMS_LINE_LEN];
	const char *ref;
	enum rcms_status st;
	int64_t base, due = 0, waiting = 0;

	rcms_jsonw_init(&w);
	if (!ctx || !case_id || !case_id[0])
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no case given");
	if ((st = rcms_perm_check(RCMS_PERM_PURGE, ctx->user.role, err)))
		return st;
	if ((st = db_identity_get(ctx->db, &id, err)))
		return st;
	if (!(c = malloc(sizeof(*c))))
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	if ((st = db_begin(ctx->db, err)))
		goto out;
	if ((st = db_case_get(ctx, case_id, c, err)))
		goto rollback;
	ref = c->final_ref[0] ? c->final_ref : c->local_ref;
	if (c->status != RCMS_CS_CLOSED ||
	    strcmp(c->requesting_agency, id.agency) != 0 ||
	    c->updated_at > before || db_case_purged(ctx->db, c->id)) {
		st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				  "case %s is not one of this agency's cases "
				  "closed before the retention period, or "
				  "was purged", ref);
		goto rollback;
	}
	if ((st = unsettled(ctx->db, c->id, &waiting, err)))
		goto rollback;
	if (waiting) {
		st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				  "case %s has %lld operations not yet "
				  "settled with the exchange; sync first",
				  ref, (long long)waiting);
		goto rollback;
	}
	if ((st = reply_due_of(ctx->db, c->id, &due, err)))
		goto rollback;
	rcms_time_format(c->updated_at, closed, sizeof(closed));
	base = c->rev;
	rcms_case_anonymise(c);
	c->rev = base + 1;  /* the closed case's updated_at stays: closed on */
	if ((st = db_case_write_remote(ctx, c, due, NULL, err)) ||
	    (st = db_case_scrub(ctx, c->id, true, &gone, err)))
		goto rollback;

	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "role",
			rcms_enum_name(rcms_role_names, (int)ctx->user.role));
	rcms_jsonw_kstr(&w, "reference", ref);
	rcms_jsonw_kstr(&w, "closed_at", closed);
	rcms_jsonw_kint(&w, "retention_days", retention_days);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	if ((st = db_outbox_add(ctx, "case.purge", c->id, base, w.buf, err)))
		goto rollback;
	snprintf(detail, sizeof(detail),
		 "%s closed %.10s, retention %d days: personal data erased",
		 ref, closed, retention_days);
	if ((st = db_audit_append(ctx, "case.purge", c->id, detail, err)))
		goto rollback;
	if ((st = db_commit(ctx->db, err)))
		goto out;
	db_shas_unlink(ctx->db, &gone);
	goto out;
rollback:
	db_search_defer_cancel(ctx->db);
	db_rollback(ctx->db);
out:
	db_shas_free(&gone);
	rcms_jsonw_free(&w);
	free(c);
	return st;
}
