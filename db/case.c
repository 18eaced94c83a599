/* case.c - the case use cases: create, read, edit, transition, list. */
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL from the field table ------------------------------------------ */

static int ncase_fields(void)
{
	int n = 0;

	while (rcms_case_fields[n].name)
		n++;
	return n;
}

/* Build the case's INSERT, its UPDATE and "SELECT ... FROM cases"
 * once from the field table: the column names are the table's constants. */
static enum rcms_status build_sql(struct rcms_db *db, struct rcms_err *err)
{
	char cols[2048] = "", vals[2048] = "", sets[4096] = "";
	size_t cu = 0, vu = 0, su = 0, size;
	int i, n = ncase_fields(), id_at = 0;

	if (db->case_update_sql)
		return RCMS_OK;
	for (i = 0; i < n; i++) {
		const char *c = rcms_case_fields[i].name;
		cu += (size_t)snprintf(cols + cu, sizeof(cols) - cu, "%s%s",
				       i ? ", " : "", c);
		vu += (size_t)snprintf(vals + vu, sizeof(vals) - vu, "%s?%d",
				       i ? ", " : "", i + 1);
		/* every column but the key */
		if (strcmp(c, "id") == 0)
			id_at = i + 1;
		else
			su += (size_t)snprintf(sets + su, sizeof(sets) - su,
					       "%s%s = ?%d", su ? ", " : "", c,
					       i + 1);
		if (cu >= sizeof(cols) || vu >= sizeof(vals) ||
		    su >= sizeof(sets))
			return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
					    "case SQL too long");
	}
	cu += (size_t)snprintf(cols + cu, sizeof(cols) - cu, ", rev, reply_due");
	vu += (size_t)snprintf(vals + vu, sizeof(vals) - vu, ", ?%d, ?%d",
			       n + 1, n + 2);
	su += (size_t)snprintf(sets + su, sizeof(sets) - su,
			       ", rev = ?%d, reply_due = ?%d WHERE id = ?%d",
			       n + 1, n + 2, id_at);
	if (cu >= sizeof(cols) || vu >= sizeof(vals) || su >= sizeof(sets) ||
	    !id_at)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "case SQL too long");
	/*
	 * An INSERT or an UPDATE, as the case is new or not: never REPLACE
	 * (it deletes the row and its documents, notes and attachments with
	 * it, ON DELETE CASCADE), nor an upsert (SQLite keeps a statement
	 * journal for it, every page it touches copied first, because of
	 * the triggers of both ways).  OR FAIL: a constraint fails before
	 * anything is written, and the triggers' statements cannot fail
	 * (migration 11), so the statement needs no journal of its own
	 * either; a failure ends the use case, whose transaction is rolled
	 * back.
	 */
	size = cu + su + 128;
	db->case_update_sql = malloc(size);
	db->case_new_sql = malloc(cu + vu + 64);
	db->case_select_sql = malloc(cu + 64);
	if (!db->case_update_sql || !db->case_select_sql || !db->case_new_sql)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	snprintf(db->case_new_sql, cu + vu + 64,
		 "INSERT OR FAIL INTO cases(%s) VALUES(%s)", cols, vals);
	snprintf(db->case_update_sql, size, "UPDATE OR FAIL cases SET %s",
		 sets);
	snprintf(db->case_select_sql, cu + 64, "SELECT %s FROM cases", cols);
	return RCMS_OK;
}

/* The case's columns in the order of the field table.  Texts and enum
 * names are bound where they are (SQLITE_STATIC: c and the name tables
 * outlive the statement's step, and write_case_sql clears the bindings
 * after it); only dates are written out (and copied by SQLite). */
static void bind_case(sqlite3_stmt *s, const struct rcms_case *c,
		      int64_t reply_due)
{
	const struct rcms_field *f;
	int i = 1;

	for (f = rcms_case_fields; f->name; f++, i++) {
		const void *p = (const char *)c + f->offset;
		switch (f->type) {
		case RCMS_F_BOOL:
			sqlite3_bind_int(s, i, *(const bool *)p);
			break;
		case RCMS_F_INT:
			sqlite3_bind_int(s, i, *(const int *)p);
			break;
		case RCMS_F_TIME: {
			int64_t t;
			memcpy(&t, p, sizeof(t));
			sqlite3_bind_int64(s, i, t);
			break;
		}
		case RCMS_F_ENUM: {
			int v;
			memcpy(&v, p, sizeof(v));
			sqlite3_bind_text(s, i, rcms_enum_name(f->names, v), -1,
					  SQLITE_STATIC);
			break;
		}
		case RCMS_F_PDATE:
		case RCMS_F_PDATE_PAST: {
			char d[16];
			if (rcms_pdate_format(p, d, sizeof(d)) < 0)
				d[0] = '\0';
			sqlite3_bind_text(s, i, d, -1, SQLITE_TRANSIENT);
			break;
		}
		default:
			/* the texts, NUL-terminated within their field (most
			 * are empty: no call for those) */
			sqlite3_bind_text(s, i, p,
					  *(const char *)p ?
						  (int)strnlen(p, f->size) : 0,
					  SQLITE_STATIC);
		}
	}
	sqlite3_bind_int64(s, i++, c->rev);
	sqlite3_bind_int64(s, i, reply_due);
}

void db_case_from_row(sqlite3_stmt *s, struct rcms_case *c)
{
	const struct rcms_field *f;
	char buf[RCMS_TEXT_LEN + 64];
	int i = 0;

	rcms_case_init(c);
	for (f = rcms_case_fields; f->name; f++, i++) {
		void *p = (char *)c + f->offset;
		switch (f->type) {
		case RCMS_F_BOOL:
			*(bool *)p = sqlite3_column_int(s, i) != 0;
			break;
		case RCMS_F_INT:
			*(int *)p = sqlite3_column_int(s, i);
			break;
		case RCMS_F_TIME: {
			int64_t t = sqlite3_column_int64(s, i);
			memcpy(p, &t, sizeof(t));
			break;
		}
		case RCMS_F_PDATE:
		case RCMS_F_PDATE_PAST: {
			struct rcms_pdate d = {0, 0, 0};
			db_col_text(s, i, buf, sizeof(buf));
			if (buf[0])
				rcms_pdate_parse(buf, f->label, &d, NULL);
			memcpy(p, &d, sizeof(d));
			break;
		}
		case RCMS_F_ENUM: {
			int v = 0;
			db_col_text(s, i, buf, sizeof(buf));
			rcms_enum_parse(f->names, buf, &v);
			memcpy(p, &v, sizeof(v));
			break;
		}
		default:
			db_col_text(s, i, p, f->size);
		}
	}
	c->rev = sqlite3_column_int64(s, i);
}

/* ---- helpers ----------------------------------------------------------- */

static void today_of(int64_t now, struct rcms_today *t)
{
	rcms_utc_to_ymd(now, &t->y, &t->m, &t->d);
}

unsigned db_case_side(const struct db_ctx *ctx, const struct rcms_case *c)
{
	unsigned side = 0;

	if (strcmp(ctx->user.agency, c->requesting_agency) == 0)
		side |= RCMS_SIDE_REQUESTING;
	if (c->requested_agency[0] &&
	    strcmp(ctx->user.agency, c->requested_agency) == 0)
		side |= RCMS_SIDE_REQUESTED;
	return side;
}

static enum rcms_status identity(struct rcms_db *db, struct db_identity *id,
				 struct rcms_err *err)
{
	return db_identity_get(db, id, err);
}

/* The next provisional reference: AGENCY-WORKSTATION-YEAR-COUNTER. */
static enum rcms_status next_ref(struct db_ctx *ctx, char ref[RCMS_REF_LEN],
				 struct rcms_err *err)
{
	struct db_identity id;
	struct rcms_today t;
	char key[64], val[32];
	long long n = 0;
	enum rcms_status st;

	st = identity(ctx->db, &id, err);
	if (st)
		return st;
	today_of(ctx->now, &t);
	snprintf(key, sizeof(key), "ref_counter.%04d", t.y);
	st = db_meta_get(ctx->db, key, val, sizeof(val), NULL);
	if (st == RCMS_OK) {
		char *end = NULL;
		n = strtoll(val, &end, 10);
		if (!end || *end || n < 0)
			return rcms_err_set(err, RCMS_ERR_DB, NULL,
					    "the reference counter is damaged");
	}
	n++;
	snprintf(val, sizeof(val), "%lld", n);
	st = db_meta_set(ctx->db, key, val, err);
	if (st)
		return st;
	{
		char tmp[128];
		int len = snprintf(tmp, sizeof(tmp), "%s-%s-%04d-%06lld",
				   id.agency, id.workstation, t.y, n);
		if (len < 0 || len >= RCMS_REF_LEN)
			return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
					    "case reference too long");
		memcpy(ref, tmp, (size_t)len + 1);
	}
	return RCMS_OK;
}

/* The JSON payload of a case: every application field that is set. */
static void case_json(struct rcms_jsonw *w, const struct rcms_case *c,
		      const struct rcms_field *only)
{
	char buf[RCMS_TEXT_LEN + 64];
	const struct rcms_field *f;

	for (f = rcms_case_fields; f->name; f++) {
		if (only ? f != only : !(f->flags & RCMS_FF_EDIT))
			continue;
		if (!only && rcms_field_is_empty(f, c))
			continue;
		switch (f->type) {
		case RCMS_F_BOOL:
			rcms_jsonw_kbool(w, f->name,
					 *(const bool *)((const char *)c +
							 f->offset));
			break;
		case RCMS_F_INT:
			rcms_jsonw_kint(w, f->name,
					*(const int *)((const char *)c +
						       f->offset));
			break;
		default:
			rcms_field_get(f, c, buf, sizeof(buf));
			rcms_jsonw_kstr(w, f->name, buf);
		}
	}
}

static void document_json(struct rcms_jsonw *w, const struct rcms_document *d)
{
	char buf[RCMS_TEXT_LEN + 64];
	const struct rcms_field *f;

	rcms_jsonw_obj_begin(w);
	rcms_jsonw_kstr(w, "id", d->id);
	for (f = rcms_document_fields; f->name; f++) {
		if (rcms_field_is_empty(f, d) && f->type != RCMS_F_ENUM)
			continue;
		if (f->type == RCMS_F_BOOL) {
			rcms_jsonw_kbool(w, f->name, true);
			continue;
		}
		rcms_field_get(f, d, buf, sizeof(buf));
		rcms_jsonw_kstr(w, f->name, buf);
	}
	rcms_jsonw_obj_end(w);
}

static enum rcms_status insert_document(struct db_ctx *ctx,
					const char *case_id,
					struct rcms_document *d,
					struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO documents(id, case_id, type, number, issuing_state,"
		" issuing_authority, issue_place, issue_date, expiry_date,"
		" is_copy, mrz, created_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	char issue[16], expiry[16];
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if (!d->id[0]) {
		st = db_uuid(ctx->now * 1000, d->id, err);
		if (st)
			return st;
	}
	s = db_stmt(ctx->db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	rcms_pdate_format(&d->issue_date, issue, sizeof(issue));
	rcms_pdate_format(&d->expiry_date, expiry, sizeof(expiry));
	db_bind_text(s, 1, d->id);
	db_bind_text(s, 2, case_id);
	db_bind_text(s, 3, rcms_enum_name(rcms_doc_type_names, (int)d->type));
	db_bind_text(s, 4, d->number);
	db_bind_text(s, 5, d->issuing_state);
	db_bind_text(s, 6, d->issuing_authority);
	db_bind_text(s, 7, d->issue_place);
	db_bind_text(s, 8, issue);
	db_bind_text(s, 9, expiry);
	db_bind_int(s, 10, d->is_copy);
	db_bind_text(s, 11, d->mrz);
	db_bind_int(s, 12, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

static enum rcms_status write_case_sql(struct db_ctx *ctx,
				       const struct rcms_case *c,
				       int64_t reply_due, bool is_new,
				       bool *was_new, struct rcms_err *err)
{
	sqlite3_stmt *s;
	enum rcms_status st = build_sql(ctx->db, err);
	int rc;

	if (st)
		return st;
	if (!is_new) {
		static const char has_sql[] =
			"SELECT 1 FROM cases WHERE id = ?1";
		if (!(s = db_stmt(ctx->db, has_sql, err)))
			return err ? err->status : RCMS_ERR_DB;
		db_bind_text(s, 1, c->id);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_sqlerr(ctx->db, rc, err);
		is_new = rc == SQLITE_DONE;
	}
	if (was_new)
		*was_new = is_new;
	s = db_stmt(ctx->db, is_new ? ctx->db->case_new_sql
				    : ctx->db->case_update_sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	bind_case(s, c, reply_due);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

/* The whole row, for edits. */
static enum rcms_status write_case(struct db_ctx *ctx,
				   const struct rcms_case *c, int64_t reply_due,
				   struct rcms_err *err)
{
	return write_case_sql(ctx, c, reply_due, false, NULL, err);
}

enum rcms_status db_case_write_remote(struct db_ctx *ctx,
				      const struct rcms_case *c,
				      int64_t reply_due, bool *is_new,
				      struct rcms_err *err)
{
	return write_case_sql(ctx, c, reply_due, false, is_new, err);
}

/* The columns a step of the state machine changes, and no others: an
 * UPDATE that leaves the indexes of the other columns alone. */
static enum rcms_status write_step(struct db_ctx *ctx,
				   const struct rcms_case *c, int64_t reply_due,
				   struct rcms_err *err)
{
	static const char sql[] =
		"UPDATE cases SET status = ?2, reason = ?3,"
		" extension_days = ?4, travel_doc_number = ?5,"
		" transfer_date = ?6, approved_by = ?7, submitted_at = ?8,"
		" decided_at = ?9, updated_at = ?10, rev = ?11,"
		" reply_due = ?12 WHERE id = ?1";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	char date[16];
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	rcms_pdate_format(&c->transfer_date, date, sizeof(date));
	db_bind_text(s, 1, c->id);
	db_bind_text(s, 2, rcms_enum_name(rcms_case_status_names,
					  (int)c->status));
	db_bind_text(s, 3, c->reason);
	db_bind_int(s, 4, c->extension_days);
	db_bind_text(s, 5, c->travel_doc_number);
	db_bind_text(s, 6, date);
	db_bind_text(s, 7, c->approved_by);
	db_bind_int(s, 8, c->submitted_at);
	db_bind_int(s, 9, c->decided_at);
	db_bind_int(s, 10, c->updated_at);
	db_bind_int(s, 11, c->rev);
	db_bind_int(s, 12, reply_due);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_sqlerr(ctx->db, rc, err);
	if (sqlite3_changes(ctx->db->sql) != 1)
		return rcms_err_set(err, RCMS_ERR_CONFLICT, NULL,
				    "the case changed while it was written; "
				    "try again");
	return RCMS_OK;
}


/* Resolve the agreement of a case: the one named, or the requested
 * country's. */
static enum rcms_status resolve_agreement(struct db_ctx *ctx,
					  struct rcms_case *c,
					  struct rcms_agreement *a,
					  struct rcms_err *err)
{
	char cc[3];
	enum rcms_status st;

	if (c->agreement[0]) {
		st = db_agreement_get(ctx->db, c->agreement, a, err);
		if (st == RCMS_ERR_NOT_FOUND)
			return rcms_err_set(err, RCMS_ERR_INVALID, "agreement",
					    "agreement: there is no agreement "
					    "'%s'; see 'rcms agreement list'",
					    c->agreement);
		return st;
	}
	if (!c->requested_agency[0])
		return RCMS_ERR_NOT_FOUND;
	cc[0] = c->requested_agency[0];
	cc[1] = c->requested_agency[1];
	cc[2] = '\0';
	st = db_agreement_for_country(ctx->db, cc, a, NULL);
	if (st == RCMS_OK)
		snprintf(c->agreement, sizeof(c->agreement), "%s", a->code);
	return st == RCMS_ERR_NOT_FOUND ? RCMS_ERR_NOT_FOUND : st;
}

/* ---- create ------------------------------------------------------------ */

enum rcms_status db_case_create(struct db_ctx *ctx, struct rcms_case *c,
				const struct rcms_document *docs, size_t ndocs,
				struct rcms_err *err)
{
	struct rcms_document *dcopy = NULL;
	struct rcms_agreement agr;
	struct db_identity id;
	struct rcms_today today;
	struct rcms_jsonw w;
	enum rcms_status st;
	size_t i;

	rcms_jsonw_init(&w);
	if (!ctx || !ctx->db || !c || (ndocs && !docs))
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no case");
	st = rcms_perm_check(RCMS_PERM_CASE_CREATE, ctx->user.role, err);
	if (st)
		return st;
	st = identity(ctx->db, &id, err);
	if (st)
		return st;
	today_of(ctx->now, &today);

	snprintf(c->requesting_agency, sizeof(c->requesting_agency), "%s",
		 id.agency);
	c->status = RCMS_CS_DRAFT;
	c->final_ref[0] = '\0';
	c->approved_by[0] = '\0';
	c->reason[0] = '\0';
	c->extension_days = 0;
	c->travel_doc_number[0] = '\0';
	snprintf(c->created_by, sizeof(c->created_by), "%s",
		 ctx->user.username);
	c->created_at = c->updated_at = ctx->now;
	c->submitted_at = c->received_at = c->decided_at = 0;
	c->rev = 1;
	st = resolve_agreement(ctx, c, &agr, err);
	if (st && st != RCMS_ERR_NOT_FOUND)
		return st;
	st = rcms_case_validate(c, &today, err);
	if (st)
		return st;
	if (ndocs) {
		dcopy = calloc(ndocs, sizeof(*dcopy));
		if (!dcopy)
			return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		memcpy(dcopy, docs, ndocs * sizeof(*dcopy));
	}
	for (i = 0; i < ndocs; i++) {
		st = rcms_document_validate(&dcopy[i], &today, err);
		if (st)
			goto out;
	}
	st = db_uuid(ctx->now * 1000, c->id, err);
	if (st)
		goto out;

	st = db_begin(ctx->db, err);
	if (st)
		goto out;
	st = next_ref(ctx, c->local_ref, err);
	if (st)
		goto rollback;
	st = write_case_sql(ctx, c, 0, true, NULL, err);
	if (st)
		goto rollback;
	for (i = 0; i < ndocs; i++) {
		st = insert_document(ctx, c->id, &dcopy[i], err);
		if (st)
			goto rollback;
	}
	st = db_search_index(ctx->db, c->id, err);
	if (st)
		goto rollback;
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "local_ref", c->local_ref);
	rcms_jsonw_kstr(&w, "requesting_agency", c->requesting_agency);
	rcms_jsonw_kstr(&w, "created_by", c->created_by);
	case_json(&w, c, NULL);
	rcms_jsonw_key(&w, "documents");
	rcms_jsonw_arr_begin(&w);
	for (i = 0; i < ndocs; i++)
		document_json(&w, &dcopy[i]);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	st = db_outbox_add(ctx, "case.create", c->id, 0, w.buf, err);
	if (st)
		goto rollback;
	st = db_audit_append(ctx, "case.create", c->id, c->local_ref, err);
	if (st)
		goto rollback;
	st = db_commit(ctx->db, err);
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	if (st)
		c->id[0] = c->local_ref[0] = '\0';
	free(dcopy);
	rcms_jsonw_free(&w);
	return st;
}

/* ---- read -------------------------------------------------------------- */

enum rcms_status db_case_get(struct db_ctx *ctx, const char *ref,
			     struct rcms_case *out, struct rcms_err *err)
{
	static char sql[4200];
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if (!ctx || !ref || !*ref || !out)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no case reference given");
	st = build_sql(ctx->db, err);
	if (st)
		return st;
	if (!sql[0])
		snprintf(sql, sizeof(sql),
			 "%s WHERE local_ref = ?1 OR id = ?1 OR "
			 "(final_ref <> '' AND final_ref = ?1) LIMIT 1",
			 ctx->db->case_select_sql);
	s = db_stmt(ctx->db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, ref);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		db_case_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return rcms_err_set(err, RCMS_ERR_NOT_FOUND, NULL,
				    "no case with reference '%.60s'", ref);
	if (rc != SQLITE_ROW)
		return db_sqlerr(ctx->db, rc, err);
	if (!db_case_side(ctx, out))
		return rcms_err_set(err, RCMS_ERR_NOT_FOUND, NULL,
				    "no case with reference '%.60s'", ref);
	return RCMS_OK;
}

/* The detail of a consultation's entry, "WHY: what", once why is one of
 * the agency's justifications. */
static enum rcms_status consulted_detail(struct db_ctx *ctx,
					 const struct rcms_justify_list *list,
					 const char *why, const char *what,
					 char *detail, size_t size,
					 struct rcms_err *err)
{
	char codes[RCMS_LINE_LEN];
	enum rcms_status st;
	int n;

	if (!ctx)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "no database context");
	if ((st = rcms_perm_check(RCMS_PERM_CASE_READ, ctx->user.role, err)))
		return st;
	if (!rcms_justify_find(list, why))
		return rcms_err_set(err, RCMS_ERR_INVALID, "why",
				    "'%.40s' is not one of the agency's "
				    "justifications (%s)", why ? why : "",
				    rcms_justify_codes(list, codes,
						       sizeof(codes)));
	if (!what || !*what)
		return rcms_err_set(err, RCMS_ERR_INVALID, "what",
				    "a consultation needs the command or "
				    "screen that made it");
	n = snprintf(detail, size, "%s: %s", why, what);
	if (n < 0 || (size_t)n >= size)
		return rcms_err_set(err, RCMS_ERR_INVALID, "what",
				    "the consultation's description is too "
				    "long");
	return RCMS_OK;
}

enum rcms_status db_case_viewed(struct db_ctx *ctx, const struct rcms_case *c,
				const struct rcms_justify_list *list,
				const char *why, const char *what,
				struct rcms_err *err)
{
	char detail[RCMS_LINE_LEN];
	enum rcms_status st;

	if ((st = consulted_detail(ctx, list, why, what, detail,
				   sizeof(detail), err)))
		return st;
	if (!c)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "which case was consulted?");
	return db_audit_add(ctx, "case.view", c->id, detail, err);
}

enum rcms_status db_cases_listed(struct db_ctx *ctx, const char *action,
				 const struct rcms_justify_list *list,
				 const char *why, const char *what, long n,
				 struct rcms_err *err)
{
	char detail[RCMS_LINE_LEN], lot[RCMS_LINE_LEN];
	enum rcms_status st;

	if ((st = consulted_detail(ctx, list, why, what, detail,
				   sizeof(detail), err)))
		return st;
	if (!action || !*action)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "a consultation needs its action");
	if (snprintf(lot, sizeof(lot), "%s (%ld case%s)", detail, n,
		     n == 1 ? "" : "s") >= (int)sizeof(lot))
		return rcms_err_set(err, RCMS_ERR_INVALID, "what",
				    "the consultation's description is too "
				    "long");
	return db_audit_add(ctx, action, NULL, lot, err);
}

/* ---- edit -------------------------------------------------------------- */

static int64_t reply_due_of(struct db_ctx *ctx, const struct rcms_case *c);

static bool is_transfer_field(const struct rcms_field *f)
{
	return strcmp(f->name, "transfer_date") == 0 ||
	       strcmp(f->name, "crossing_point") == 0 ||
	       strcmp(f->name, "escort") == 0;
}

/* The list of fields does not fit in a message (it was cut short): name
 * the command that prints it, as `case new` does. */
static enum rcms_status unknown_field(const char *name, struct rcms_err *err)
{
	return rcms_err_set(err, RCMS_ERR_INVALID, name,
			    "unknown field '%.40s'; see 'rcms case fields'",
			    name);
}

enum rcms_status db_case_edit(struct db_ctx *ctx, const char *ref,
			      const struct db_change *changes, size_t n,
			      struct rcms_err *err)
{
	struct rcms_case *old = NULL, *c = NULL;
	struct rcms_agreement agr;
	struct rcms_today today;
	struct rcms_jsonw w;
	char detail[RCMS_LINE_LEN] = "";
	size_t i, used = 0;
	unsigned side;
	int changed = 0;
	enum rcms_status st;

	rcms_jsonw_init(&w);
	if (!ctx || !changes || n == 0)
		return rcms_err_set(err, RCMS_ERR_USAGE, NULL,
				    "nothing to change: give FIELD=VALUE");
	st = rcms_perm_check(RCMS_PERM_CASE_EDIT, ctx->user.role, err);
	if (st)
		return st;
	old = malloc(sizeof(*old));
	c = malloc(sizeof(*c));
	if (!old || !c) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	today_of(ctx->now, &today);

	st = db_begin(ctx->db, err);
	if (st)
		goto out;
	st = db_case_get(ctx, ref, old, err);
	if (st)
		goto rollback;
	*c = *old;
	side = db_case_side(ctx, c);
	for (i = 0; i < n; i++) {
		const struct rcms_field *f =
			rcms_field_find(rcms_case_fields, changes[i].field);
		if (!f) {
			st = unknown_field(changes[i].field
						   ? changes[i].field : "",
					   err);
			goto rollback;
		}
		if (!(f->flags & RCMS_FF_EDIT)) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, f->name,
					  "%s cannot be edited; it changes "
					  "only through the case's steps",
					  f->label);
			goto rollback;
		}
		if (!(f->owner & side)) {
			st = rcms_err_set(err, RCMS_ERR_PERMISSION, f->name,
					  "%s belongs to the %s; your agency "
					  "cannot change it", f->label,
					  (f->owner & RCMS_SIDE_REQUESTING)
						  ? "requesting agency"
						  : "requested agency");
			goto rollback;
		}
		if (rcms_status_is_final(c->status) ||
		    (!rcms_status_is_local(c->status) &&
		     !is_transfer_field(f))) {
			st = rcms_err_set(err, RCMS_ERR_TRANSITION, f->name,
					  "%s cannot be changed in state "
					  "'%s'; the application has been "
					  "sent (add a note instead)",
					  f->label,
					  rcms_enum_name(rcms_case_status_names,
							 (int)c->status));
			goto rollback;
		}
		st = rcms_field_set(f, c, changes[i].value, &today, err);
		if (st)
			goto rollback;
	}
	if (strcmp(c->agreement, old->agreement) != 0 ||
	    strcmp(c->requested_agency, old->requested_agency) != 0) {
		if (strcmp(c->agreement, old->agreement) == 0)
			c->agreement[0] = '\0';  /* follow the new country */
		st = resolve_agreement(ctx, c, &agr, err);
		if (st && st != RCMS_ERR_NOT_FOUND)
			goto rollback;
	}
	st = rcms_case_validate(c, &today, err);
	if (st)
		goto rollback;

	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_key(&w, "fields");
	rcms_jsonw_obj_begin(&w);
	{
		const struct rcms_field *f;
		for (f = rcms_case_fields; f->name; f++) {
			if (rcms_field_equal(f, c, old))
				continue;
			case_json(&w, c, f);
			changed++;
			used += (size_t)snprintf(detail + used,
						 sizeof(detail) - used, "%s%s",
						 used ? "," : "fields ",
						 f->name);
			if (used >= sizeof(detail))
				used = sizeof(detail) - 1;
		}
	}
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_obj_end(&w);
	if (!changed) {
		db_rollback(ctx->db);
		st = RCMS_OK;
		goto out;
	}
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	c->updated_at = ctx->now;
	c->rev = old->rev + 1;
	/* the upsert sets reply_due: keep the deadline of a case that the
	 * exchange has received (transfer fields change after sending) */
	st = write_case(ctx, c, reply_due_of(ctx, c), err);
	if (st)
		goto rollback;
	st = db_search_index(ctx->db, c->id, err);
	if (st)
		goto rollback;
	st = db_outbox_add(ctx, "case.update", c->id, old->rev, w.buf, err);
	if (st)
		goto rollback;
	st = db_audit_append(ctx, "case.edit", c->id, detail, err);
	if (st)
		goto rollback;
	st = db_commit(ctx->db, err);
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	rcms_jsonw_free(&w);
	free(old);
	free(c);
	return st;
}

/* ---- transitions ------------------------------------------------------- */

static int64_t reply_due_of(struct db_ctx *ctx, const struct rcms_case *c)
{
	struct rcms_agreement agr;
	struct rcms_holiday hol[256];
	struct rcms_holidays hs = {hol, 0};
	struct rcms_deadline_in in;
	struct rcms_deadlines d;
	char cc[3] = {c->requested_agency[0], c->requested_agency[1], 0};

	if (!c->received_at || !c->agreement[0] ||
	    db_agreement_get(ctx->db, c->agreement, &agr, NULL) != RCMS_OK)
		return 0;
	db_holidays(ctx->db, cc, hol, 256, &hs.n, NULL);
	memset(&in, 0, sizeof(in));
	in.agreement = &agr;
	in.procedure = c->procedure;
	in.requested_country = cc;
	in.holidays = &hs;
	in.received_at = c->received_at;
	in.extension_days = c->extension_days;
	if (rcms_deadlines_compute(&in, ctx->now, &d, NULL) != RCMS_OK)
		return 0;
	return d.reply_due;
}

enum rcms_status db_case_transition(struct db_ctx *ctx, const char *ref,
				    const char *action,
				    const struct rcms_transition_args *args_in,
				    struct rcms_case *out,
				    struct rcms_err *err)
{
	struct rcms_case *c = NULL;
	struct rcms_transition_args args;
	const struct rcms_transition *t = NULL;
	struct rcms_agreement agr;
	struct rcms_actor actor;
	struct rcms_jsonw w;
	char date[16];
	unsigned side;
	int64_t base;
	enum rcms_status st;

	rcms_jsonw_init(&w);
	if (!ctx || !ref || !action)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no case or action given");
	memset(&args, 0, sizeof(args));
	if (args_in)
		args = *args_in;
	c = malloc(sizeof(*c));
	if (!c)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);

	st = db_begin(ctx->db, err);
	if (st)
		goto out;
	st = db_case_get(ctx, ref, c, err);
	if (st)
		goto rollback;
	side = db_case_side(ctx, c);
	actor.side = (side & RCMS_SIDE_REQUESTING) ? RCMS_SIDE_REQUESTING
						   : RCMS_SIDE_REQUESTED;
	/* a case between two workstations of one agency: the step decides */
	if (side == (RCMS_SIDE_REQUESTING | RCMS_SIDE_REQUESTED)) {
		const struct rcms_transition *r =
			rcms_transition_find(c->status, action);
		if (r && (r->sides & RCMS_SIDE_REQUESTED) &&
		    !(r->sides & RCMS_SIDE_REQUESTING))
			actor.side = RCMS_SIDE_REQUESTED;
	}
	actor.role = ctx->user.role;
	actor.user = ctx->user.username;
	args.max_days = 0;
	if (c->agreement[0] &&
	    db_agreement_get(ctx->db, c->agreement, &agr, NULL) == RCMS_OK)
		args.max_days = agr.extension_max_days;
	st = rcms_transition_check(c, action, &actor, &args, &t, err);
	if (st)
		goto rollback;
	if (strcmp(action, "submit") == 0 || strcmp(action, "approve") == 0) {
		st = rcms_case_check_complete(c, err);
		if (st)
			goto rollback;
	}

	base = c->rev;
	c->status = t->to;
	if (t->requires & RCMS_REQ_REASON)
		snprintf(c->reason, sizeof(c->reason), "%s",
			 args.reason ? args.reason : "");
	if (strcmp(action, "approve") == 0) {
		snprintf(c->approved_by, sizeof(c->approved_by), "%s",
			 ctx->user.username);
		c->submitted_at = ctx->now;
	}
	if (strcmp(action, "extend") == 0)
		c->extension_days = args.days;
	if (strcmp(action, "accept") == 0 || strcmp(action, "reject") == 0)
		c->decided_at = ctx->now;
	if (t->requires & RCMS_REQ_TRAVEL_DOC)
		snprintf(c->travel_doc_number, sizeof(c->travel_doc_number),
			 "%s", args.travel_doc);
	if (t->requires & RCMS_REQ_TRANSFER_DATE)
		c->transfer_date = args.transfer_date;
	c->updated_at = ctx->now;
	c->rev = base + 1;
	st = write_step(ctx, c, reply_due_of(ctx, c), err);
	if (st)
		goto rollback;

	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "action", action);
	rcms_jsonw_kstr(&w, "role",
			rcms_enum_name(rcms_role_names, (int)ctx->user.role));
	rcms_jsonw_kstr(&w, "from",
			rcms_enum_name(rcms_case_status_names, (int)t->from));
	rcms_jsonw_kstr(&w, "to",
			rcms_enum_name(rcms_case_status_names, (int)t->to));
	if (t->requires & RCMS_REQ_REASON)
		rcms_jsonw_kstr(&w, "reason", c->reason);
	if (t->requires & RCMS_REQ_DAYS)
		rcms_jsonw_kint(&w, "days", args.days);
	if (t->requires & RCMS_REQ_TRAVEL_DOC)
		rcms_jsonw_kstr(&w, "travel_doc_number", c->travel_doc_number);
	if (t->requires & RCMS_REQ_TRANSFER_DATE) {
		rcms_pdate_format(&c->transfer_date, date, sizeof(date));
		rcms_jsonw_kstr(&w, "transfer_date", date);
	}
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	st = db_outbox_add(ctx, "case.transition", c->id, base, w.buf, err);
	if (st)
		goto rollback;
	st = db_audit_append(ctx, "case.transition", c->id, action, err);
	if (st)
		goto rollback;
	st = db_commit(ctx->db, err);
	if (st == RCMS_OK && out)
		*out = *c;
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	rcms_jsonw_free(&w);
	free(c);
	return st;
}

/* ---- list -------------------------------------------------------------- */

#define LIST_COLS                                                             \
	"SELECT id, local_ref, final_ref, requesting_agency, requested_agency," \
	" status, procedure, surnames, given_names, nationality, birth_date,"  \
	" created_by, created_at, updated_at, reply_due FROM cases"            \
	" WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR requested_agency = ?2)" \
	" AND (?3 = 0 OR (reply_due > 0 AND reply_due < ?3))"                  \
	" AND (?4 = '' OR created_by = ?4)"                                   \
	" AND (requesting_agency = ?7 OR requested_agency = ?7)"

static const char list_updated[] =
	LIST_COLS " ORDER BY updated_at DESC, id DESC LIMIT ?5 OFFSET ?6";
static const char list_created[] =
	LIST_COLS " ORDER BY created_at DESC, id DESC LIMIT ?5 OFFSET ?6";
static const char list_due[] =
	LIST_COLS " ORDER BY reply_due = 0, reply_due, id LIMIT ?5 OFFSET ?6";
static const char list_ref[] =
	LIST_COLS " ORDER BY local_ref LIMIT ?5 OFFSET ?6";

enum rcms_status db_case_list(struct db_ctx *ctx,
			      const struct db_case_filter *f,
			      int (*fn)(const struct db_case_row *r, void *arg),
			      void *arg, struct rcms_err *err)
{
	struct db_case_filter def = {.status = -1};
	struct db_case_row r;
	const char *sql;
	sqlite3_stmt *s;
	char buf[32];
	int rc, v;

	if (!ctx || !fn)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no callback");
	if (rcms_perm_check(RCMS_PERM_CASE_READ, ctx->user.role, err))
		return RCMS_ERR_PERMISSION;
	if (!f)
		f = &def;
	switch (f->order) {
	case DB_ORDER_CREATED: sql = list_created; break;
	case DB_ORDER_DUE: sql = list_due; break;
	case DB_ORDER_REF: sql = list_ref; break;
	default: sql = list_updated;
	}
	s = db_stmt(ctx->db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, f->status >= 0
				   ? rcms_enum_name(rcms_case_status_names,
						    f->status)
				   : "");
	db_bind_text(s, 2, f->requested ? f->requested : "");
	db_bind_int(s, 3, f->due_before);
	db_bind_text(s, 4, f->created_by ? f->created_by : "");
	db_bind_int(s, 5, f->limit > 0 ? f->limit : 100);
	db_bind_int(s, 6, f->offset > 0 ? f->offset : 0);
	/* the cases the user's agency takes part in, as db_case_get */
	db_bind_text(s, 7, ctx->user.agency);
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

enum rcms_status db_case_counts(struct rcms_db *db,
				int64_t counts[RCMS_CS__COUNT],
				struct rcms_err *err)
{
	static const char sql[] =
		"SELECT status, count(*) FROM cases GROUP BY status";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	char buf[32];
	int rc, v;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	memset(counts, 0, sizeof(int64_t) * RCMS_CS__COUNT);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_col_text(s, 0, buf, sizeof(buf));
		if (rcms_enum_parse(rcms_case_status_names, buf, &v) == RCMS_OK)
			counts[v] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* ---- documents --------------------------------------------------------- */

enum rcms_status db_document_add(struct db_ctx *ctx, const char *ref,
				 struct rcms_document *d,
				 struct rcms_err *err)
{
	struct rcms_case *c = NULL;
	struct rcms_today today;
	struct rcms_jsonw w;
	enum rcms_status st;

	rcms_jsonw_init(&w);
	if (!ctx || !d)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no document");
	st = rcms_perm_check(RCMS_PERM_CASE_EDIT, ctx->user.role, err);
	if (st)
		return st;
	today_of(ctx->now, &today);
	st = rcms_document_validate(d, &today, err);
	if (st)
		return st;
	c = malloc(sizeof(*c));
	if (!c)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	st = db_begin(ctx->db, err);
	if (st)
		goto out;
	st = db_case_get(ctx, ref, c, err);
	if (st)
		goto rollback;
	if (!(db_case_side(ctx, c) & RCMS_SIDE_REQUESTING) ||
	    !rcms_status_is_local(c->status)) {
		st = rcms_err_set(err, RCMS_ERR_TRANSITION, NULL,
				  "documents are added by the requesting "
				  "agency before the application is sent");
		goto rollback;
	}
	d->id[0] = '\0';
	st = insert_document(ctx, c->id, d, err);
	if (st)
		goto rollback;
	st = db_search_index(ctx->db, c->id, err);
	if (st)
		goto rollback;
	document_json(&w, d);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	st = db_outbox_add(ctx, "document.add", c->id, c->rev, w.buf, err);
	if (st)
		goto rollback;
	st = db_audit_append(ctx, "document.add", c->id,
			     rcms_enum_name(rcms_doc_type_names, (int)d->type),
			     err);
	if (st)
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

enum rcms_status db_document_list(struct db_ctx *ctx, const char *case_id,
				  int (*fn)(const struct rcms_document *d,
					    void *arg),
				  void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT id, type, number, issuing_state, issuing_authority,"
		" issue_place, issue_date, expiry_date, is_copy, mrz"
		" FROM documents WHERE case_id = ?1 ORDER BY created_at, rowid";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	struct rcms_document d;
	char buf[32];
	int rc, v;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rcms_document_init(&d);
		db_col_text(s, 0, d.id, sizeof(d.id));
		db_col_text(s, 1, buf, sizeof(buf));
		v = RCMS_DOC_OTHER;
		rcms_enum_parse(rcms_doc_type_names, buf, &v);
		d.type = (enum rcms_doc_type)v;
		db_col_text(s, 2, d.number, sizeof(d.number));
		db_col_text(s, 3, d.issuing_state, sizeof(d.issuing_state));
		db_col_text(s, 4, d.issuing_authority,
			    sizeof(d.issuing_authority));
		db_col_text(s, 5, d.issue_place, sizeof(d.issue_place));
		db_col_text(s, 6, buf, sizeof(buf));
		if (buf[0])
			rcms_pdate_parse(buf, "date", &d.issue_date, NULL);
		db_col_text(s, 7, buf, sizeof(buf));
		if (buf[0])
			rcms_pdate_parse(buf, "date", &d.expiry_date, NULL);
		d.is_copy = sqlite3_column_int(s, 8) != 0;
		db_col_text(s, 9, d.mrz, sizeof(d.mrz));
		if (fn(&d, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}
