/* idcheck.c - identity checks: the requesting agency asks, the requested
 * agency answers once (confirmed, not confirmed, interview required).
 * Questions and answers are append-only. */
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum rcms_status write_row(struct db_ctx *ctx,
				  const struct rcms_idcheck *q,
				  struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO idchecks(id, case_id, kind, question, asked_by,"
		" asked_at, answer, answer_text, answered_by, answered_at)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
		" ON CONFLICT(id) DO UPDATE SET answer = excluded.answer,"
		" answer_text = excluded.answer_text,"
		" answered_by = excluded.answered_by,"
		" answered_at = excluded.answered_at"
		" WHERE idchecks.answer = 'pending'";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, q->id);
	db_bind_text(s, 2, q->case_id);
	db_bind_text(s, 3, rcms_enum_name(rcms_idcheck_kind_names,
					  (int)q->kind));
	db_bind_text(s, 4, q->question);
	db_bind_text(s, 5, q->asked_by);
	db_bind_int(s, 6, q->asked_at);
	db_bind_text(s, 7, rcms_enum_name(rcms_idcheck_answer_names,
					  (int)q->answer));
	db_bind_text(s, 8, q->answer_text);
	db_bind_text(s, 9, q->answered_by);
	db_bind_int(s, 10, q->answered_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

enum rcms_status db_idcheck_write_remote(struct db_ctx *ctx,
					 const struct rcms_idcheck *q,
					 struct rcms_err *err)
{
	return write_row(ctx, q, err);
}

static void from_row(sqlite3_stmt *s, struct rcms_idcheck *q)
{
	char buf[32];
	int v;

	memset(q, 0, sizeof(*q));
	db_col_text(s, 0, q->id, sizeof(q->id));
	db_col_text(s, 1, q->case_id, sizeof(q->case_id));
	db_col_text(s, 2, buf, sizeof(buf));
	v = RCMS_IDC_IDENTITY;
	rcms_enum_parse(rcms_idcheck_kind_names, buf, &v);
	q->kind = (enum rcms_idcheck_kind)v;
	db_col_text(s, 3, q->question, sizeof(q->question));
	db_col_text(s, 4, q->asked_by, sizeof(q->asked_by));
	q->asked_at = sqlite3_column_int64(s, 5);
	db_col_text(s, 6, buf, sizeof(buf));
	v = RCMS_IDA_PENDING;
	rcms_enum_parse(rcms_idcheck_answer_names, buf, &v);
	q->answer = (enum rcms_idcheck_answer)v;
	db_col_text(s, 7, q->answer_text, sizeof(q->answer_text));
	db_col_text(s, 8, q->answered_by, sizeof(q->answered_by));
	q->answered_at = sqlite3_column_int64(s, 9);
}

#define IDC_COLS "SELECT id, case_id, kind, question, asked_by, asked_at," \
	" answer, answer_text, answered_by, answered_at FROM idchecks"

enum rcms_status db_idcheck_list(struct db_ctx *ctx, const char *case_id,
				 int (*fn)(const struct rcms_idcheck *q,
					   void *arg),
				 void *arg, struct rcms_err *err)
{
	static const char sql[] = IDC_COLS
		" WHERE case_id = ?1 ORDER BY asked_at, rowid";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	struct rcms_idcheck *q = malloc(sizeof(*q));
	int rc;

	if (!s || !q) {
		free(q);
		return s ? rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL)
			 : (err ? err->status : RCMS_ERR_DB);
	}
	db_bind_text(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		from_row(s, q);
		if (fn(q, arg))
			break;
	}
	sqlite3_reset(s);
	free(q);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

enum rcms_status db_idcheck_request(struct db_ctx *ctx, const char *ref,
				    enum rcms_idcheck_kind kind,
				    const char *question,
				    struct rcms_idcheck *out,
				    struct rcms_err *err)
{
	struct rcms_case *c = malloc(sizeof(*c));
	struct rcms_idcheck *q = calloc(1, sizeof(*q));
	struct rcms_jsonw w;
	enum rcms_status st;

	rcms_jsonw_init(&w);
	if (!c || !q) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	if ((st = rcms_perm_check(RCMS_PERM_IDCHECK_REQUEST, ctx->user.role,
				  err)))
		goto out;
	if ((st = rcms_copy(q->question, sizeof(q->question), question,
			    "question", err)))
		goto out;
	rcms_text_trim(q->question);
	if ((st = rcms_text_check(q->question, sizeof(q->question) - 1,
				  RCMS_TEXT_NONEMPTY, "question", err)))
		goto out;
	if ((st = db_begin(ctx->db, err)))
		goto out;
	if ((st = db_case_get(ctx, ref, c, err)))
		goto rollback;
	if (!(db_case_side(ctx, c) & RCMS_SIDE_REQUESTING) ||
	    rcms_status_is_local(c->status) || rcms_status_is_final(c->status)) {
		st = rcms_err_set(err, RCMS_ERR_TRANSITION, NULL,
				  "an identity check is asked by the "
				  "requesting agency of a case that has been "
				  "sent and is not closed");
		goto rollback;
	}
	if ((st = db_uuid(ctx->now * 1000, q->id, err)))
		goto rollback;
	snprintf(q->case_id, sizeof(q->case_id), "%s", c->id);
	q->kind = kind;
	snprintf(q->asked_by, sizeof(q->asked_by), "%s", ctx->user.username);
	q->asked_at = ctx->now;
	q->answer = RCMS_IDA_PENDING;
	if ((st = write_row(ctx, q, err)))
		goto rollback;
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "idcheck_id", q->id);
	rcms_jsonw_kstr(&w, "kind", rcms_enum_name(rcms_idcheck_kind_names,
						   (int)kind));
	rcms_jsonw_kstr(&w, "question", q->question);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	if ((st = db_outbox_add(ctx, "idcheck.request", c->id, c->rev, w.buf,
				err)) ||
	    (st = db_audit_append(ctx, "idcheck.request", c->id,
				  rcms_enum_name(rcms_idcheck_kind_names,
						 (int)kind), err)))
		goto rollback;
	st = db_commit(ctx->db, err);
	if (!st && out)
		*out = *q;
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	rcms_jsonw_free(&w);
	free(c);
	free(q);
	return st;
}

enum rcms_status db_idcheck_answer(struct db_ctx *ctx, const char *ref,
				   const char *idcheck_id,
				   enum rcms_idcheck_answer answer,
				   const char *text, struct rcms_err *err)
{
	static const char get_sql[] = IDC_COLS
		" WHERE case_id = ?1 AND (id = ?2 OR id LIKE ?2 || '%')";
	struct rcms_case *c = malloc(sizeof(*c));
	struct rcms_idcheck *q = calloc(1, sizeof(*q));
	struct rcms_jsonw w;
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc, found = 0;

	rcms_jsonw_init(&w);
	if (!c || !q) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	if (answer == RCMS_IDA_PENDING) {
		st = rcms_err_set(err, RCMS_ERR_INVALID, "answer",
				  "answer confirmed, not_confirmed or "
				  "interview_required");
		goto out;
	}
	if ((st = rcms_perm_check(RCMS_PERM_IDCHECK_ANSWER, ctx->user.role,
				  err)))
		goto out;
	if (!idcheck_id || strlen(idcheck_id) < 8 ||
	    strspn(idcheck_id, "0123456789abcdef-") != strlen(idcheck_id)) {
		st = rcms_err_set(err, RCMS_ERR_INVALID, "id",
				  "give the identity check's id (at least its "
				  "first 8 characters)");
		goto out;
	}
	if ((st = db_begin(ctx->db, err)))
		goto out;
	if ((st = db_case_get(ctx, ref, c, err)))
		goto rollback;
	if (!(db_case_side(ctx, c) & RCMS_SIDE_REQUESTED)) {
		st = rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				  "only the requested agency answers an "
				  "identity check");
		goto rollback;
	}
	s = db_stmt(ctx->db, get_sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, c->id);
	db_bind_text(s, 2, idcheck_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		from_row(s, q);
		found++;
	}
	sqlite3_reset(s);
	if (found != 1) {
		st = rcms_err_set(err, found ? RCMS_ERR_INVALID
					     : RCMS_ERR_NOT_FOUND, "id",
				  found ? "that id is ambiguous; give more of "
					  "it"
					: "no such identity check on this case");
		goto rollback;
	}
	if (q->answer != RCMS_IDA_PENDING) {
		st = rcms_err_set(err, RCMS_ERR_TRANSITION, NULL,
				  "this identity check was answered already "
				  "(%s); answers are not changed",
				  rcms_enum_name(rcms_idcheck_answer_names,
						 (int)q->answer));
		goto rollback;
	}
	if ((st = rcms_copy(q->answer_text, sizeof(q->answer_text),
			    text ? text : "", "answer text", err)))
		goto rollback;
	rcms_text_trim(q->answer_text);
	if (answer != RCMS_IDA_CONFIRMED && !q->answer_text[0]) {
		st = rcms_err_set(err, RCMS_ERR_INVALID, "text",
				  "say why (--text): the requesting agency "
				  "acts on it");
		goto rollback;
	}
	q->answer = answer;
	snprintf(q->answered_by, sizeof(q->answered_by), "%s",
		 ctx->user.username);
	q->answered_at = ctx->now;
	if ((st = write_row(ctx, q, err)))
		goto rollback;
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "idcheck_id", q->id);
	rcms_jsonw_kstr(&w, "answer", rcms_enum_name(rcms_idcheck_answer_names,
						     (int)answer));
	rcms_jsonw_kstr(&w, "text", q->answer_text);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	if ((st = db_outbox_add(ctx, "idcheck.answer", c->id, c->rev, w.buf,
				err)) ||
	    (st = db_audit_append(ctx, "idcheck.answer", c->id,
				  rcms_enum_name(rcms_idcheck_answer_names,
						 (int)answer), err)))
		goto rollback;
	st = db_commit(ctx->db, err);
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	rcms_jsonw_free(&w);
	free(c);
	free(q);
	return st;
}
