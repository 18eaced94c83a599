/* case_page.c - the case list a page at a time, by keyset: the screens
 * scroll over a million cases without counting or skipping rows (no
 * OFFSET), and search as the officer types. */
#include "db/db_priv.h"

#include <stdio.h>
#include <string.h>

/* The sort key of each order, as SQL, and whether it runs newest first. */
static const struct {
	const char *key;       /* the expression compared with ?10 */
	const char *tie;       /* the unique column that breaks ties */
	bool desc;
} orders[] = {
	[DB_ORDER_UPDATED] = {"updated_at", "id", true},
	[DB_ORDER_CREATED] = {"created_at", "id", true},
	[DB_ORDER_DUE] = {"(CASE WHEN reply_due = 0 THEN 9223372036854775807 "
			  "ELSE reply_due END)", "id", false},
	[DB_ORDER_REF] = {"local_ref", "id", false},
};

#define PAGE_COLS                                                             \
	"SELECT id, local_ref, final_ref, requesting_agency, requested_agency," \
	" status, procedure, surnames, given_names, nationality, birth_date,"  \
	" created_by, created_at, updated_at, reply_due FROM cases"            \
	" WHERE (?1 = '' OR status = ?1)"                                      \
	" AND (?2 = '' OR requested_agency = ?2 OR requesting_agency = ?2)"   \
	" AND (?3 = 0 OR (reply_due > 0 AND reply_due < ?3))"                  \
	" AND (?4 = '' OR created_by = ?4)"                                   \
	" AND (requesting_agency = ?5 OR requested_agency = ?5)"              \
	" AND (?6 = '' OR surnames LIKE ?6 ESCAPE '\\'"                        \
	"  OR given_names LIKE ?6 ESCAPE '\\'"                                 \
	"  OR local_ref LIKE ?6 ESCAPE '\\' OR final_ref LIKE ?6 ESCAPE '\\'"  \
	"  OR id IN (SELECT case_id FROM documents"                            \
	"   WHERE number LIKE ?6 ESCAPE '\\'))"                                \
	" AND (?7 = '' OR status <> 'closed' AND status <> 'withdrawn')"      \
	" AND (?9 = '' OR requested_agency = ?9)"                             \
	" AND (?12 = '' OR created_by <> ?12 COLLATE NOCASE)"

/* [order][backward][inclusive][keyed]: built once, stable addresses for
 * the statement cache. */
static char page_sql[4][2][2][2][1800];

static void build(void)
{
	int o, b, i, k;

	if (page_sql[0][0][0][0][0])
		return;
	for (o = 0; o < 4; o++)
		for (b = 0; b < 2; b++)
			for (i = 0; i < 2; i++)
				for (k = 0; k < 2; k++) {
					/* forward on a descending order
					 * goes to smaller keys */
					bool down = orders[o].desc != (bool)b;
					const char *cmp = down ? (i ? "<=" : "<")
							       : (i ? ">=" : ">");
					const char *dir = down ? "DESC" : "ASC";
					char where[256] = "";
					if (k)
						snprintf(where, sizeof(where),
							 " AND (%s, %s) %s "
							 "(?10, ?11)",
							 orders[o].key,
							 orders[o].tie, cmp);
					snprintf(page_sql[o][b][i][k],
						 sizeof(page_sql[o][b][i][k]),
						 PAGE_COLS "%s ORDER BY %s %s, "
						 "%s %s LIMIT ?8", where,
						 orders[o].key, dir,
						 orders[o].tie, dir);
				}
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

enum rcms_status db_case_page(struct db_ctx *ctx,
			      const struct db_case_filter *f,
			      const struct db_page *p,
			      int (*fn)(const struct db_case_row *r, void *arg),
			      void *arg, struct rcms_err *err)
{
	struct db_case_filter def = {.status = -1};
	struct db_case_row r;
	char buf[32], like[2 * RCMS_NAME_LEN + 2];
	int o, rc, v;
	bool keyed;
	sqlite3_stmt *s;

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
	build();
	s = db_stmt(ctx->db, page_sql[o][p->backward][p->inclusive][keyed],
		    err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	like_prefix(p->search, like, sizeof(like));
	db_bind_text(s, 1, f->status >= 0
				   ? rcms_enum_name(rcms_case_status_names,
						    f->status)
				   : "");
	db_bind_text(s, 2, f->requested ? f->requested : "");
	db_bind_int(s, 3, f->due_before);
	db_bind_text(s, 4, f->created_by ? f->created_by : "");
	db_bind_text(s, 5, ctx->user.agency);
	db_bind_text(s, 6, like);
	db_bind_text(s, 7, p->open_only ? "1" : "");
	db_bind_int(s, 8, p->limit > 0 ? p->limit : 100);
	db_bind_text(s, 9, p->requested ? p->requested : "");
	db_bind_text(s, 12, p->not_created_by ? p->not_created_by : "");
	if (keyed) {
		if (o == DB_ORDER_REF)
			db_bind_text(s, 10, p->from->ref);
		else
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
		if (fn(&r, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}
