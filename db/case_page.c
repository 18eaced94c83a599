/* case_page.c - the case list a page at a time, by keyset: the screens
 * scroll over a million cases without counting or skipping rows (no
 * OFFSET).
 *
 * Each page's statement holds only the conditions in force (a filter not
 * set is not in it, rather than "?1 = '' OR status = ?1"), so that SQLite
 * can see the filters and take their indexes: the inbox (the requested
 * agency), a status, the approval queue.  The statements are built when
 * first needed, one per shape (order, direction, filters set), and kept
 * for the process, so the statement cache's keys stay put.  The key
 * condition is written as a range on the sort key and the tie-break
 * (key <= ?10 AND (key < ?10 OR id < ?11)) so that an index on the key
 * after an equality (status, updated_at) can be entered at the key.
 *
 * The deadline order puts cases without a deadline last.  It is read in
 * two parts that existing indexes serve: the cases with a deadline
 * (cases_due, reply_due > 0) by deadline, then those without one by id;
 * the key's time is INT64_MAX in the second part. */
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sort key of each order and whether it runs newest first; the
 * deadline order's two parts are SEG_DUE and SEG_NODUE. */
enum { SEG_UPDATED, SEG_CREATED, SEG_DUE, SEG_REF, SEG_NODUE, SEG__COUNT };
static const struct {
	const char *key;       /* compared with ?10; NULL: the id alone */
	const char *where;     /* what the part takes, or "" */
	bool desc;
} segs[SEG__COUNT] = {
	[SEG_UPDATED] = {"updated_at", "", true},
	[SEG_CREATED] = {"created_at", "", true},
	[SEG_DUE] = {"reply_due", " AND reply_due > 0", false},
	[SEG_REF] = {"local_ref", "", false},
	[SEG_NODUE] = {NULL, " AND reply_due = 0", false},
};

/* the filters of a statement's shape */
enum {
	F_STATUS = 1, F_AGENCY = 2, F_DUE = 4, F_BY = 8, F_SEARCH = 16,
	F_OPEN = 32, F_REQUESTED = 64, F_NOT_BY = 128, F__ALL = 255
};
#define SHAPES (SEG__COUNT * 2 * 2 * 2 * (F__ALL + 1))

static char *shape_sql[SHAPES];

#define PAGE_COLS                                                             \
	"SELECT id, local_ref, final_ref, requesting_agency, requested_agency," \
	" status, procedure, surnames, given_names, nationality, birth_date,"  \
	" created_by, created_at, updated_at, reply_due FROM cases"            \
	" WHERE (requesting_agency = ?5 OR requested_agency = ?5)"

/* The statement of a shape, built the first time; NULL out of memory. */
static const char *page_sql(int seg, bool backward, bool inclusive,
			    bool keyed, unsigned fl)
{
	size_t i = ((((size_t)seg * 2 + backward) * 2 + inclusive) * 2 +
		    keyed) * (F__ALL + 1) + fl;
	/* forward on a descending order goes to smaller keys */
	bool down = segs[seg].desc != backward;
	const char *lt = down ? "<" : ">", *dir = down ? "DESC" : "ASC";
	const char *key = segs[seg].key;
	char *s;
	size_t size = 2048, u;

	if (shape_sql[i])
		return shape_sql[i];
	if (!(s = malloc(size)))
		return NULL;
#define ADD(...) u += (size_t)snprintf(s + u, u < size ? size - u : 0, \
				       __VA_ARGS__)
	u = 0;
	ADD("%s%s", PAGE_COLS, segs[seg].where);
	if (fl & F_STATUS)
		ADD(" AND status = ?1");
	if (fl & F_AGENCY)
		ADD(" AND (requested_agency = ?2 OR requesting_agency = ?2)");
	if (fl & F_DUE)
		ADD(" AND reply_due > 0 AND reply_due < ?3");
	if (fl & F_BY)
		ADD(" AND created_by = ?4");
	if (fl & F_SEARCH)
		ADD(" AND (surnames LIKE ?6 ESCAPE '\\'"
		    " OR given_names LIKE ?6 ESCAPE '\\'"
		    " OR local_ref LIKE ?6 ESCAPE '\\'"
		    " OR final_ref LIKE ?6 ESCAPE '\\'"
		    " OR id IN (SELECT case_id FROM documents"
		    " WHERE number LIKE ?6 ESCAPE '\\'))");
	if (fl & F_OPEN)
		ADD(" AND status NOT IN ('closed', 'withdrawn')");
	if (fl & F_REQUESTED)
		ADD(" AND requested_agency = ?9");
	if (fl & F_NOT_BY)
		ADD(" AND created_by <> ?12 COLLATE NOCASE");
	if (keyed && key)
		ADD(" AND %s %s= ?10 AND (%s %s ?10 OR id %s%s ?11)", key, lt,
		    key, lt, lt, inclusive ? "=" : "");
	else if (keyed)
		ADD(" AND id %s%s ?11", lt, inclusive ? "=" : "");
	if (key)
		ADD(" ORDER BY %s %s, id %s LIMIT ?8", key, dir, dir);
	else
		ADD(" ORDER BY id %s LIMIT ?8", dir);
#undef ADD
	if (u >= size) {
		free(s);
		return NULL;
	}
	return shape_sql[i] = s;
}

void db_case_key_of(enum db_order order, const struct db_case_row *r,
		    struct db_case_key *k)
{
	memset(k, 0, sizeof(*k));
	k->set = true;
	snprintf(k->id, sizeof(k->id), "%s", r->id);
	switch (order) {
	case DB_ORDER_CREATED: k->t = r->created_at; break;
	case DB_ORDER_DUE: k->t = r->reply_due ? r->reply_due : INT64_MAX;
		break;
	case DB_ORDER_REF:
		snprintf(k->ref, sizeof(k->ref), "%s", r->local_ref);
		break;
	default: k->t = r->updated_at;
	}
}

/* "ab%_" -> "ab\%\_%": a prefix for LIKE, its wildcards escaped. */
static void like_prefix(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!s || !*s)
		return;
	for (; *s && n + 3 < size; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf[n++] = '\\';
		buf[n++] = *s;
	}
	buf[n++] = '%';
	buf[n] = '\0';
}

struct run {
	struct db_ctx *ctx;
	const struct db_case_filter *f;
	const struct db_page *p;
	unsigned fl;
	const char *like;
	int (*fn)(const struct db_case_row *r, void *arg);
	void *arg;
	int n;                 /* rows given */
	bool stopped;          /* fn said stop */
};

/* One part of a page: at most limit rows of segment seg. */
static enum rcms_status run_seg(struct run *x, int seg, bool keyed,
				int limit, struct rcms_err *err)
{
	const struct db_case_filter *f = x->f;
	const struct db_page *p = x->p;
	struct db_case_row r;
	const char *sql;
	char buf[32];
	int rc, v;
	sqlite3_stmt *s;

	if (limit <= 0 || x->stopped)
		return RCMS_OK;
	sql = page_sql(seg, p->backward, p->inclusive, keyed, x->fl);
	if (!sql)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	s = db_stmt(x->ctx->db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	if (x->fl & F_STATUS)
		db_bind_text(s, 1, rcms_enum_name(rcms_case_status_names,
						  f->status));
	if (x->fl & F_AGENCY)
		db_bind_text(s, 2, f->requested);
	if (x->fl & F_DUE)
		db_bind_int(s, 3, f->due_before);
	if (x->fl & F_BY)
		db_bind_text(s, 4, f->created_by);
	db_bind_text(s, 5, x->ctx->user.agency);
	if (x->fl & F_SEARCH)
		db_bind_text(s, 6, x->like);
	db_bind_int(s, 8, limit);
	if (x->fl & F_REQUESTED)
		db_bind_text(s, 9, p->requested);
	if (x->fl & F_NOT_BY)
		db_bind_text(s, 12, p->not_created_by);
	if (keyed) {
		if (seg == SEG_REF)
			db_bind_text(s, 10, p->from->ref);
		else if (seg != SEG_NODUE)
			db_bind_int(s, 10, p->from->t);
		db_bind_text(s, 11, p->from->id);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		db_col_text(s, 0, r.id, sizeof(r.id));
		db_col_text(s, 1, r.local_ref, sizeof(r.local_ref));
		db_col_text(s, 2, r.final_ref, sizeof(r.final_ref));
		db_col_text(s, 3, r.requesting_agency,
			    sizeof(r.requesting_agency));
		db_col_text(s, 4, r.requested_agency,
			    sizeof(r.requested_agency));
		db_col_text(s, 5, buf, sizeof(buf));
		v = 0;
		rcms_enum_parse(rcms_case_status_names, buf, &v);
		r.status = (enum rcms_case_status)v;
		db_col_text(s, 6, buf, sizeof(buf));
		v = 0;
		rcms_enum_parse(rcms_procedure_names, buf, &v);
		r.procedure = (enum rcms_procedure)v;
		db_col_text(s, 7, r.surnames, sizeof(r.surnames));
		db_col_text(s, 8, r.given_names, sizeof(r.given_names));
		db_col_text(s, 9, r.nationality, sizeof(r.nationality));
		db_col_text(s, 10, buf, sizeof(buf));
		if (buf[0])
			rcms_pdate_parse(buf, "date", &r.birth_date, NULL);
		db_col_text(s, 11, r.created_by, sizeof(r.created_by));
		r.created_at = sqlite3_column_int64(s, 12);
		r.updated_at = sqlite3_column_int64(s, 13);
		r.reply_due = sqlite3_column_int64(s, 14);
		x->n++;
		if (x->fn(&r, x->arg)) {
			x->stopped = true;
			break;
		}
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(x->ctx->db, rc, err);
}

enum rcms_status db_case_page(struct db_ctx *ctx,
			      const struct db_case_filter *f,
			      const struct db_page *p,
			      int (*fn)(const struct db_case_row *r, void *arg),
			      void *arg, struct rcms_err *err)
{
	struct db_case_filter def = {.status = -1};
	char like[2 * RCMS_NAME_LEN + 2];
	struct run x;
	enum rcms_status st;
	int o, limit;
	bool keyed;

	if (!ctx || !p || !fn)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no page or callback");
	if (rcms_perm_check(RCMS_PERM_CASE_READ, ctx->user.role, err))
		return RCMS_ERR_PERMISSION;
	if (!f)
		f = &def;
	o = f->order >= DB_ORDER_UPDATED && f->order <= DB_ORDER_REF
		    ? (int)f->order : DB_ORDER_UPDATED;
	keyed = p->from && p->from->set;
	limit = p->limit > 0 ? p->limit : 100;
	like_prefix(p->search, like, sizeof(like));
	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.f = f;
	x.p = p;
	x.like = like;
	x.fn = fn;
	x.arg = arg;
	x.fl = (f->status >= 0 ? F_STATUS : 0) |
	       (f->requested && *f->requested ? F_AGENCY : 0) |
	       (f->due_before ? F_DUE : 0) |
	       (f->created_by && *f->created_by ? F_BY : 0) |
	       (like[0] ? F_SEARCH : 0) | (p->open_only ? F_OPEN : 0) |
	       (p->requested && *p->requested ? F_REQUESTED : 0) |
	       (p->not_created_by && *p->not_created_by ? F_NOT_BY : 0);
	if (o != DB_ORDER_DUE)
		return run_seg(&x, o, keyed, limit, err);
	/* the deadline order: those with a deadline, then those without */
	if (!p->backward) {
		if (keyed && p->from->t == INT64_MAX)
			return run_seg(&x, SEG_NODUE, true, limit, err);
		if ((st = run_seg(&x, SEG_DUE, keyed, limit, err)))
			return st;
		return run_seg(&x, SEG_NODUE, false, limit - x.n, err);
	}
	if (keyed && p->from->t != INT64_MAX)
		return run_seg(&x, SEG_DUE, true, limit, err);
	if ((st = run_seg(&x, SEG_NODUE, keyed, limit, err)))
		return st;
	return run_seg(&x, SEG_DUE, false, limit - x.n, err);
}
