/* report.c - the read-only queries of the reports (reports/).
 *
 * Every query streams: a row goes to the callback as SQLite steps, so a
 * report's memory does not grow with the number of cases (grouping and
 * sorting are SQLite's, which spills to temporary files).  Every query is
 * limited to the cases the acting user's agency takes part in, as
 * db_case_list is. */
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ?1 the user's agency, ?2 ?3 the period [from, to), ?4 the requested
 * agency, ?5 the requested country, ?6 the officer ('' for any). */
#define SCOPE                                                                 \
	" (c.requesting_agency = ?1 OR c.requested_agency = ?1)"              \
	" AND (?4 = '' OR c.requested_agency = ?4)"                           \
	" AND (?5 = '' OR substr(c.requested_agency, 1, 2) = ?5)"             \
	" AND (?6 = '' OR c.created_by = ?6)"
#define PERIOD(col) " AND " col " >= ?2 AND " col " < ?3"

/* The outcome of a decided case: 1 accepted, 2 rejected, 3 deemed
 * accepted, 0 none yet.  A case that moved on after acceptance keeps its
 * outcome: accepted when a decision was recorded, deemed when the
 * acceptance came from silence; a closed case without a travel document
 * but with a decision was rejected. */
#define OUTCOME                                                               \
	"(CASE WHEN c.status = 'rejected' THEN 2"                             \
	" WHEN c.status = 'deemed_accepted' THEN 3"                           \
	" WHEN c.status IN ('accepted', 'travel_document_issued',"            \
	"  'transfer_scheduled', 'transferred')"                              \
	"  OR (c.status = 'closed' AND c.travel_doc_number <> '')"            \
	"  THEN (CASE WHEN c.decided_at > 0 THEN 1 ELSE 3 END)"               \
	" WHEN c.status = 'closed' AND c.decided_at > 0 THEN 2"               \
	" ELSE 0 END)"
/* When the outcome came: the decision, or the deadline that silence
 * passed. */
#define OUTCOME_AT                                                            \
	"(CASE WHEN c.decided_at > 0 THEN c.decided_at ELSE c.reply_due END)"

static sqlite3_stmt *prepare(struct db_ctx *ctx, const char *sql,
			     const struct db_report_filter *f,
			     struct rcms_err *err)
{
	sqlite3_stmt *s;

	if (!ctx || !f) {
		rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no report filter");
		return NULL;
	}
	s = db_stmt(ctx->db, sql, err);
	if (!s)
		return NULL;
	db_bind_text(s, 1, ctx->user.agency);
	db_bind_int(s, 2, f->from > 0 ? f->from : 0);
	db_bind_int(s, 3, f->to > 0 ? f->to : INT64_MAX);
	db_bind_text(s, 4, f->agency ? f->agency : "");
	db_bind_text(s, 5, f->country ? f->country : "");
	db_bind_text(s, 6, f->officer ? f->officer : "");
	return s;
}

static enum rcms_status finish(struct db_ctx *ctx, sqlite3_stmt *s, int rc,
			       struct rcms_err *err)
{
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

static enum rcms_status no_stmt(struct rcms_err *err)
{
	return err && err->status ? err->status : RCMS_ERR_DB;
}

static int parse_enum(const struct rcms_enum_name *t, sqlite3_stmt *s, int i)
{
	char buf[48];
	int v = 0;

	db_col_text(s, i, buf, sizeof(buf));
	rcms_enum_parse(t, buf, &v);
	return v;
}

enum rcms_status db_report_begin(struct rcms_db *db, struct rcms_err *err)
{
	int rc;

	if (db->in_tx)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "nested transaction");
	/* a deferred transaction: one consistent snapshot for every query
	 * of a report (a PDF runs its queries twice) */
	rc = sqlite3_exec(db->sql, "BEGIN", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_sqlerr(db, rc, err);
	db->in_tx = 1;
	return RCMS_OK;
}

void db_report_end(struct rcms_db *db)
{
	if (!db || !db->in_tx)
		return;
	sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	db->in_tx = 0;
}

enum rcms_status db_report_agency_name(struct rcms_db *db, const char *code,
				       char *buf, size_t size,
				       struct rcms_err *err)
{
	static const char sql[] = "SELECT name FROM agencies WHERE code = ?1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (size)
		buf[0] = '\0';
	if (!s)
		return no_stmt(err);
	db_bind_text(s, 1, code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		db_col_text(s, 0, buf, size);
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RCMS_OK
						       : db_sqlerr(db, rc, err);
}

enum rcms_status db_caseload_fold(struct rcms_db *db, struct rcms_err *err)
{
	static const char *const sql[] = {
		"INSERT INTO caseload_counts(day, requesting_agency,"
		" requested_agency, status, created_by, n)"
		" SELECT day, requesting_agency, requested_agency, status,"
		"  created_by, sum(d) FROM caseload_moves WHERE true"
		"  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0"
		" ON CONFLICT DO UPDATE SET n = n + excluded.n",
		/* a row whose count falls to 0 goes, as with migration 8:
		 * only a move out of it can make it fall */
		"DELETE FROM caseload_counts WHERE n <= 0 AND (day,"
		" requesting_agency, requested_agency, status, created_by) IN"
		" (SELECT day, requesting_agency, requested_agency, status,"
		"  created_by FROM caseload_moves WHERE d < 0)",
		"DELETE FROM caseload_moves",
	};
	size_t i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *s = db_stmt(db, sql[i], err);
		int rc;
		if (!s)
			return no_stmt(err);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_sqlerr(db, rc, err);
	}
	return RCMS_OK;
}

enum rcms_status db_report_caseload(struct db_ctx *ctx,
				    const struct db_report_filter *f,
				    int (*fn)(const struct db_caseload_row *r,
					      void *arg),
				    void *arg, struct rcms_err *err)
{
	/* the counts kept by migration 8's triggers, by UTC day, with the
	 * moves not yet folded into them (migration 13): exact for a period
	 * of whole days, which is what report_parse_date gives */
	static const char sql_days[] =
		"SELECT substr(c.requested_agency, 1, 2) AS cc, c.status,"
		" sum(c.n) FROM (SELECT * FROM caseload_counts UNION ALL"
		" SELECT * FROM caseload_moves) c WHERE" SCOPE PERIOD("c.day")
		" GROUP BY cc, c.status HAVING sum(c.n) <> 0"
		" ORDER BY cc, c.status";
	static const char sql_cases[] =
		"SELECT substr(c.requested_agency, 1, 2) AS cc, c.status,"
		" count(*) FROM cases c WHERE" SCOPE PERIOD("c.created_at")
		" GROUP BY cc, c.status ORDER BY cc, c.status";
	bool days = f && f->from % 86400 == 0 && f->to % 86400 == 0;
	sqlite3_stmt *s = prepare(ctx, days ? sql_days : sql_cases, f, err);
	struct db_caseload_row r;
	int rc;

	if (!s)
		return no_stmt(err);
	if (days) {
		db_bind_int(s, 2, f->from > 0 ? f->from / 86400 : 0);
		db_bind_int(s, 3, f->to > 0 ? f->to / 86400 : INT64_MAX);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		db_col_text(s, 0, r.country, sizeof(r.country));
		r.status = (enum rcms_case_status)parse_enum(
			rcms_case_status_names, s, 1);
		r.n = sqlite3_column_int64(s, 2);
		if (fn(&r, arg))
			break;
	}
	return finish(ctx, s, rc, err);
}

#define OPEN_COLS                                                             \
	"SELECT c.id, c.local_ref, c.final_ref, c.requested_agency,"          \
	" c.agreement, c.status, c.procedure, c.surnames, c.given_names,"     \
	" c.name_native, c.created_by, c.received_at, c.decided_at,"          \
	" c.reply_due, c.extension_days FROM cases c WHERE" SCOPE

enum rcms_status db_report_open_cases(struct db_ctx *ctx,
				      const struct db_report_filter *f,
				      bool awaiting_reply,
				      int (*fn)(const struct db_open_case *r,
						void *arg),
				      void *arg, struct rcms_err *err)
{
	static const char sql_reply[] = OPEN_COLS
		" AND c.status IN ('submitted', 'extension_requested')"
		" ORDER BY c.reply_due = 0, c.reply_due, c.local_ref";
	static const char sql_transfer[] = OPEN_COLS
		" AND c.status IN ('accepted', 'deemed_accepted',"
		" 'travel_document_issued', 'transfer_scheduled')"
		" ORDER BY " OUTCOME_AT ", c.local_ref";
	sqlite3_stmt *s = prepare(ctx, awaiting_reply ? sql_reply
						      : sql_transfer, f, err);
	struct db_open_case *r = malloc(sizeof(*r));
	int rc = SQLITE_DONE;

	if (!s || !r) {
		free(r);
		return s ? rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL)
			 : no_stmt(err);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(r, 0, sizeof(*r));
		db_col_text(s, 0, r->id, sizeof(r->id));
		db_col_text(s, 1, r->local_ref, sizeof(r->local_ref));
		db_col_text(s, 2, r->final_ref, sizeof(r->final_ref));
		db_col_text(s, 3, r->requested_agency,
			    sizeof(r->requested_agency));
		db_col_text(s, 4, r->agreement, sizeof(r->agreement));
		r->status = (enum rcms_case_status)parse_enum(
			rcms_case_status_names, s, 5);
		r->procedure = (enum rcms_procedure)parse_enum(
			rcms_procedure_names, s, 6);
		db_col_text(s, 7, r->surnames, sizeof(r->surnames));
		db_col_text(s, 8, r->given_names, sizeof(r->given_names));
		db_col_text(s, 9, r->name_native, sizeof(r->name_native));
		db_col_text(s, 10, r->created_by, sizeof(r->created_by));
		r->received_at = sqlite3_column_int64(s, 11);
		r->decided_at = sqlite3_column_int64(s, 12);
		r->reply_due = sqlite3_column_int64(s, 13);
		r->extension_days = sqlite3_column_int(s, 14);
		if (fn(r, arg))
			break;
	}
	free(r);
	return finish(ctx, s, rc, err);
}

enum rcms_status db_report_idcheck_stats(
	struct db_ctx *ctx, const struct db_report_filter *f,
	int (*fn)(const struct db_idcheck_stat *r, void *arg), void *arg,
	struct rcms_err *err)
{
	/* turnaround: median (the mean of the middle two of an even count)
	 * and 90th percentile (nearest rank, ceil(0.9 n)) of the answered
	 * checks, by window functions over one sort */
	static const char sql[] =
		"WITH q AS (SELECT c.requested_agency AS a, i.answer AS ans,"
		"  CASE WHEN i.answer <> 'pending' THEN"
		"   max(i.answered_at - i.asked_at, 0) END AS d"
		"  FROM idchecks i JOIN cases c ON c.id = i.case_id"
		"  WHERE" SCOPE PERIOD("i.asked_at") "),"
		" r AS (SELECT a, d, row_number() OVER (PARTITION BY a"
		"  ORDER BY d) AS rn, count(*) OVER (PARTITION BY a) AS n"
		"  FROM q WHERE d IS NOT NULL)"
		" SELECT q.a, count(*), sum(q.ans <> 'pending'),"
		"  sum(q.ans = 'pending'), sum(q.ans = 'confirmed'),"
		"  sum(q.ans = 'not_confirmed'),"
		"  sum(q.ans = 'interview_required'),"
		"  (SELECT avg(d) FROM r WHERE r.a = q.a"
		"   AND rn IN ((n + 1) / 2, (n + 2) / 2)),"
		"  (SELECT d FROM r WHERE r.a = q.a AND rn = (9 * n + 9) / 10)"
		" FROM q GROUP BY q.a ORDER BY q.a";
	sqlite3_stmt *s = prepare(ctx, sql, f, err);
	struct db_idcheck_stat r;
	int rc;

	if (!s)
		return no_stmt(err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		db_col_text(s, 0, r.agency, sizeof(r.agency));
		r.asked = sqlite3_column_int64(s, 1);
		r.answered = sqlite3_column_int64(s, 2);
		r.pending = sqlite3_column_int64(s, 3);
		r.confirmed = sqlite3_column_int64(s, 4);
		r.not_confirmed = sqlite3_column_int64(s, 5);
		r.interview = sqlite3_column_int64(s, 6);
		r.has_turnaround = sqlite3_column_type(s, 7) != SQLITE_NULL;
		r.median_s = sqlite3_column_double(s, 7);
		r.p90_s = sqlite3_column_int64(s, 8);
		if (fn(&r, arg))
			break;
	}
	return finish(ctx, s, rc, err);
}

enum rcms_status db_report_idcheck_pending(
	struct db_ctx *ctx, const struct db_report_filter *f,
	int (*fn)(const struct db_idcheck_pending *r, void *arg), void *arg,
	struct rcms_err *err)
{
	static const char sql[] =
		"SELECT c.local_ref, c.final_ref, c.surnames, c.given_names,"
		" c.name_native, c.requested_agency, i.kind, i.asked_by,"
		" i.asked_at FROM idchecks i JOIN cases c ON c.id = i.case_id"
		" WHERE" SCOPE PERIOD("i.asked_at")
		" AND i.answer = 'pending' ORDER BY i.asked_at, i.id";
	sqlite3_stmt *s = prepare(ctx, sql, f, err);
	struct db_idcheck_pending *r = malloc(sizeof(*r));
	int rc = SQLITE_DONE;

	if (!s || !r) {
		free(r);
		return s ? rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL)
			 : no_stmt(err);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(r, 0, sizeof(*r));
		db_col_text(s, 0, r->local_ref, sizeof(r->local_ref));
		db_col_text(s, 1, r->final_ref, sizeof(r->final_ref));
		db_col_text(s, 2, r->surnames, sizeof(r->surnames));
		db_col_text(s, 3, r->given_names, sizeof(r->given_names));
		db_col_text(s, 4, r->name_native, sizeof(r->name_native));
		db_col_text(s, 5, r->requested_agency,
			    sizeof(r->requested_agency));
		r->kind = (enum rcms_idcheck_kind)parse_enum(
			rcms_idcheck_kind_names, s, 6);
		db_col_text(s, 7, r->asked_by, sizeof(r->asked_by));
		r->asked_at = sqlite3_column_int64(s, 8);
		if (fn(r, arg))
			break;
	}
	free(r);
	return finish(ctx, s, rc, err);
}

enum rcms_status db_report_outcomes(struct db_ctx *ctx,
				    const struct db_report_filter *f,
				    int (*fn)(const struct db_outcome_row *r,
					      void *arg),
				    void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"WITH o AS (SELECT " OUTCOME " AS k, " OUTCOME_AT " AS t,"
		"  substr(c.requested_agency, 1, 2) AS cc FROM cases c"
		"  WHERE" SCOPE ")"
		" SELECT strftime('%Y-%m', t, 'unixepoch') AS m, cc,"
		"  sum(k = 1), sum(k = 2), sum(k = 3) FROM o"
		" WHERE k > 0 AND t >= ?2 AND t < ?3"
		" GROUP BY m, cc ORDER BY m, cc";
	sqlite3_stmt *s = prepare(ctx, sql, f, err);
	struct db_outcome_row r;
	int rc;

	if (!s)
		return no_stmt(err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		db_col_text(s, 0, r.month, sizeof(r.month));
		db_col_text(s, 1, r.country, sizeof(r.country));
		r.accepted = sqlite3_column_int64(s, 2);
		r.rejected = sqlite3_column_int64(s, 3);
		r.deemed = sqlite3_column_int64(s, 4);
		if (fn(&r, arg))
			break;
	}
	return finish(ctx, s, rc, err);
}

enum rcms_status db_report_reasons(struct db_ctx *ctx,
				   const struct db_report_filter *f, int max,
				   int (*fn)(const char *reason, int64_t n,
					     void *arg),
				   void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"WITH o AS (SELECT " OUTCOME " AS k, " OUTCOME_AT " AS t,"
		"  trim(c.reason) AS reason FROM cases c WHERE" SCOPE ")"
		" SELECT reason, count(*) AS n FROM o"
		" WHERE k = 2 AND t >= ?2 AND t < ?3"
		" GROUP BY reason ORDER BY n DESC, reason LIMIT ?7";
	sqlite3_stmt *s = prepare(ctx, sql, f, err);
	char *reason = malloc(RCMS_TEXT_LEN);
	int rc = SQLITE_DONE;

	if (!s || !reason) {
		free(reason);
		return s ? rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL)
			 : no_stmt(err);
	}
	db_bind_int(s, 7, max > 0 ? max : 20);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_col_text(s, 0, reason, RCMS_TEXT_LEN);
		if (fn(reason, sqlite3_column_int64(s, 1), arg))
			break;
	}
	free(reason);
	return finish(ctx, s, rc, err);
}

enum rcms_status db_report_workload(struct db_ctx *ctx,
				    const struct db_report_filter *f,
				    int (*fn)(const struct db_workload_row *r,
					      void *arg),
				    void *arg, struct rcms_err *err)
{
	/* the officer filter is the row's user here: the approvals of a
	 * supervisor are counted for the cases of others */
	static const char sql[] =
		"WITH w AS ("
		" SELECT c.created_by AS u, 1 AS opened,"
		"  c.status IN ('draft', 'awaiting_approval') AS prep,"
		"  c.status NOT IN ('draft', 'awaiting_approval',"
		"   'closed', 'withdrawn') AS open_,"
		"  c.submitted_at > 0 AS sent, c.decided_at > 0 AS decided,"
		"  c.status IN ('closed', 'withdrawn') AS done, 0 AS approved"
		" FROM cases c WHERE (c.requesting_agency = ?1"
		"  OR c.requested_agency = ?1)"
		"  AND (?4 = '' OR c.requested_agency = ?4)"
		"  AND (?5 = '' OR substr(c.requested_agency, 1, 2) = ?5)"
		  PERIOD("c.created_at")
		" UNION ALL"
		" SELECT c.approved_by, 0, 0, 0, 0, 0, 0, 1 FROM cases c"
		" WHERE c.approved_by <> '' AND (c.requesting_agency = ?1"
		"  OR c.requested_agency = ?1)"
		"  AND (?4 = '' OR c.requested_agency = ?4)"
		"  AND (?5 = '' OR substr(c.requested_agency, 1, 2) = ?5)"
		  PERIOD("c.submitted_at") ")"
		" SELECT w.u, coalesce(us.full_name, ''), sum(opened),"
		"  sum(prep), sum(open_), sum(sent), sum(decided), sum(done),"
		"  sum(approved) FROM w LEFT JOIN users us ON us.username = w.u"
		" WHERE ?6 = '' OR w.u = ?6 GROUP BY w.u ORDER BY w.u";
	sqlite3_stmt *s = prepare(ctx, sql, f, err);
	struct db_workload_row r;
	int rc;

	if (!s)
		return no_stmt(err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		db_col_text(s, 0, r.username, sizeof(r.username));
		db_col_text(s, 1, r.full_name, sizeof(r.full_name));
		r.opened = sqlite3_column_int64(s, 2);
		r.preparing = sqlite3_column_int64(s, 3);
		r.open = sqlite3_column_int64(s, 4);
		r.sent = sqlite3_column_int64(s, 5);
		r.decided = sqlite3_column_int64(s, 6);
		r.done = sqlite3_column_int64(s, 7);
		r.approved = sqlite3_column_int64(s, 8);
		if (fn(&r, arg))
			break;
	}
	return finish(ctx, s, rc, err);
}

enum rcms_status db_report_indicators(
	struct db_ctx *ctx, const struct db_report_filter *f,
	int (*fn)(const struct db_indicator_row *r, void *arg), void *arg,
	struct rcms_err *err)
{
	static const char sql[] =
		"SELECT substr(c.requested_agency, 1, 2) AS cc, count(*),"
		" sum(c.received_at > 0),"
		" sum(c.decided_at > 0 AND c.received_at > 0),"
		" total(CASE WHEN c.decided_at > 0 AND c.received_at > 0"
		"  THEN c.decided_at - c.received_at END),"
		" sum(c.decided_at > 0 AND c.received_at > 0 AND c.reply_due > 0"
		"  AND c.decided_at < c.reply_due),"
		" sum(" OUTCOME " = 3)"
		" FROM cases c WHERE" SCOPE PERIOD("c.submitted_at")
		" AND c.submitted_at > 0 GROUP BY cc ORDER BY cc";
	sqlite3_stmt *s = prepare(ctx, sql, f, err);
	struct db_indicator_row r;
	int rc;

	if (!s)
		return no_stmt(err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		db_col_text(s, 0, r.country, sizeof(r.country));
		r.sent = sqlite3_column_int64(s, 1);
		r.exchanged = sqlite3_column_int64(s, 2);
		r.decided = sqlite3_column_int64(s, 3);
		r.decide_seconds = sqlite3_column_double(s, 4);
		r.in_time = sqlite3_column_int64(s, 5);
		r.deemed = sqlite3_column_int64(s, 6);
		if (fn(&r, arg))
			break;
	}
	return finish(ctx, s, rc, err);
}

enum rcms_status db_report_evidence(struct db_ctx *ctx, const char *case_id,
				    int (*fn)(const struct rcms_evidence *e,
					      void *arg),
				    void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT id, kind, description FROM evidence WHERE case_id = ?1"
		" ORDER BY rowid";
	sqlite3_stmt *s = ctx ? db_stmt(ctx->db, sql, err) : NULL;
	struct rcms_evidence e;
	int rc;

	if (!s)
		return no_stmt(err);
	db_bind_text(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		db_col_text(s, 0, e.id, sizeof(e.id));
		e.kind = (enum rcms_evidence_kind)parse_enum(
			rcms_evidence_kind_names, s, 1);
		db_col_text(s, 2, e.description, sizeof(e.description));
		if (fn(&e, arg))
			break;
	}
	return finish(ctx, s, rc, err);
}
