/* agreement.c - agreements and public holidays: reference data. */
#include "db/db_priv.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define AGR_COLS "SELECT code, name, countries, reply_n, reply_unit," \
	" accel_n, accel_unit, extension_max_days, silence_accepts,"      \
	" transfer_n, transfer_unit, transit_reply_n, transit_reply_unit,"\
	" transit_n, transit_unit, source, note FROM agreements"

static void period_from(sqlite3_stmt *s, int i, struct rcms_period *p)
{
	char unit[32];
	int v = RCMS_PERIOD_NONE;

	p->n = sqlite3_column_int(s, i);
	db_col_text(s, i + 1, unit, sizeof(unit));
	rcms_enum_parse(rcms_period_unit_names, unit, &v);
	p->unit = (enum rcms_period_unit)v;
}

static void agreement_from_row(sqlite3_stmt *s, struct rcms_agreement *a)
{
	memset(a, 0, sizeof(*a));
	db_col_text(s, 0, a->code, sizeof(a->code));
	db_col_text(s, 1, a->name, sizeof(a->name));
	db_col_text(s, 2, a->countries, sizeof(a->countries));
	period_from(s, 3, &a->reply);
	period_from(s, 5, &a->reply_accelerated);
	a->extension_max_days = sqlite3_column_int(s, 7);
	a->silence_accepts = sqlite3_column_int(s, 8) != 0;
	period_from(s, 9, &a->transfer);
	period_from(s, 11, &a->transit_reply);
	period_from(s, 13, &a->transit);
	db_col_text(s, 15, a->source, sizeof(a->source));
	db_col_text(s, 16, a->note, sizeof(a->note));
}

enum rcms_status db_agreement_get(struct rcms_db *db, const char *code,
				  struct rcms_agreement *out,
				  struct rcms_err *err)
{
	static const char sql[] = AGR_COLS " WHERE code = ?1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		agreement_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return rcms_err_set(err, RCMS_ERR_NOT_FOUND, "agreement",
				    "no agreement '%.31s'", code);
	return rc == SQLITE_ROW ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_agreement_for_country(struct rcms_db *db,
					  const char *alpha2,
					  struct rcms_agreement *out,
					  struct rcms_err *err)
{
	/* countries is "AL BA ME": match a whole code */
	static const char sql[] = AGR_COLS
		" WHERE ' ' || countries || ' ' LIKE '% ' || ?1 || ' %'"
		" ORDER BY code LIMIT 1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	/* letters only: '_' and '%' would be LIKE wildcards */
	if (!alpha2 || strlen(alpha2) != 2 ||
	    !isalpha((unsigned char)alpha2[0]) ||
	    !isalpha((unsigned char)alpha2[1]))
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "not a country code");
	db_bind_text(s, 1, alpha2);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		agreement_from_row(s, out);
		db->agr = *out;
		memcpy(db->agr_country, alpha2, 3);
		db->have_agr = true;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return rcms_err_set(err, RCMS_ERR_NOT_FOUND, "agreement",
				    "no agreement covers %s", alpha2);
	return rc == SQLITE_ROW ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_agreement_list(struct rcms_db *db,
				   int (*fn)(const struct rcms_agreement *a,
					     void *arg),
				   void *arg, struct rcms_err *err)
{
	static const char sql[] = AGR_COLS " ORDER BY code";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	struct rcms_agreement a;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		agreement_from_row(s, &a);
		if (fn(&a, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}

static void bind_period(sqlite3_stmt *s, int i, const struct rcms_period *p)
{
	db_bind_int(s, i, p->n);
	db_bind_text(s, i + 1, rcms_enum_name(rcms_period_unit_names,
					      (int)p->unit));
}

enum rcms_status db_agreement_write(struct db_ctx *ctx,
				    const struct rcms_agreement *a,
				    struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO agreements(code, name, countries, reply_n,"
		" reply_unit, accel_n, accel_unit, extension_max_days,"
		" silence_accepts, transfer_n, transfer_unit, transit_reply_n,"
		" transit_reply_unit, transit_n, transit_unit, source, note)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
		"?16,?17) ON CONFLICT(code) DO UPDATE SET name=excluded.name,"
		" countries=excluded.countries, reply_n=excluded.reply_n,"
		" reply_unit=excluded.reply_unit, accel_n=excluded.accel_n,"
		" accel_unit=excluded.accel_unit,"
		" extension_max_days=excluded.extension_max_days,"
		" silence_accepts=excluded.silence_accepts,"
		" transfer_n=excluded.transfer_n,"
		" transfer_unit=excluded.transfer_unit,"
		" transit_reply_n=excluded.transit_reply_n,"
		" transit_reply_unit=excluded.transit_reply_unit,"
		" transit_n=excluded.transit_n, transit_unit=excluded.transit_unit,"
		" source=excluded.source, note=excluded.note";
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if ((st = rcms_agreement_validate(a, err)))
		return st;
	ctx->db->have_agr = false;  /* the cache may now be wrong */
	s = db_stmt(ctx->db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, a->code);
	db_bind_text(s, 2, a->name);
	db_bind_text(s, 3, a->countries);
	bind_period(s, 4, &a->reply);
	bind_period(s, 6, &a->reply_accelerated);
	db_bind_int(s, 8, a->extension_max_days);
	db_bind_int(s, 9, a->silence_accepts);
	bind_period(s, 10, &a->transfer);
	bind_period(s, 12, &a->transit_reply);
	bind_period(s, 14, &a->transit);
	db_bind_text(s, 16, a->source);
	db_bind_text(s, 17, a->note);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_sqlerr(ctx->db, rc, err);
	return db_audit_append(ctx, "agreement.put", NULL, a->code, err);
}

enum rcms_status db_agreement_put(struct db_ctx *ctx,
				  const struct rcms_agreement *a,
				  struct rcms_err *err)
{
	enum rcms_status st;

	if ((st = rcms_perm_check(RCMS_PERM_AGREEMENT_MANAGE, ctx->user.role,
				  err)))
		return st;
	if ((st = db_begin(ctx->db, err)))
		return st;
	st = db_agreement_write(ctx, a, err);
	if (st) {
		db_rollback(ctx->db);
		return st;
	}
	return db_commit(ctx->db, err);
}

enum rcms_status db_holiday_write(struct db_ctx *ctx,
				  const struct rcms_holiday *h,
				  const char *name, struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO holidays(country, date, name) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(country, date) DO UPDATE SET name = excluded.name";
	char date[16], a2[3];
	struct rcms_pdate d = {h->year, h->month, h->day};
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if ((st = rcms_country_check2(h->country, "holiday country", a2, err)))
		return st;
	if (!rcms_pdate_is_full(&d) ||
	    h->day > rcms_days_in_month(h->year, h->month))
		return rcms_err_set(err, RCMS_ERR_INVALID, "date",
				    "a holiday needs a full, existing date");
	rcms_pdate_format(&d, date, sizeof(date));
	s = db_stmt(ctx->db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, a2);
	db_bind_text(s, 2, date);
	db_bind_text(s, 3, name ? name : "");
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

enum rcms_status db_holiday_put(struct db_ctx *ctx, const struct rcms_holiday *h,
				const char *name, struct rcms_err *err)
{
	enum rcms_status st;
	char detail[32];

	if ((st = rcms_perm_check(RCMS_PERM_AGREEMENT_MANAGE, ctx->user.role,
				  err)))
		return st;
	if ((st = db_begin(ctx->db, err)))
		return st;
	st = db_holiday_write(ctx, h, name, err);
	snprintf(detail, sizeof(detail), "%.2s %04d-%02d-%02d", h->country,
		 h->year, h->month, h->day);
	if (st == RCMS_OK)
		st = db_audit_append(ctx, "holiday.put", NULL, detail, err);
	if (st) {
		db_rollback(ctx->db);
		return st;
	}
	return db_commit(ctx->db, err);
}

enum rcms_status db_holidays(struct rcms_db *db, const char *alpha2,
			     struct rcms_holiday *out, size_t max,
			     size_t *n, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT date FROM holidays WHERE country = ?1 ORDER BY date";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	char date[16];
	struct rcms_pdate d;
	int rc;

	*n = 0;
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, alpha2);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		db_col_text(s, 0, date, sizeof(date));
		if (rcms_pdate_parse(date, "holiday", &d, NULL) != RCMS_OK)
			continue;
		snprintf(out[*n].country, sizeof(out[*n].country), "%s",
			 alpha2);
		out[*n].year = d.year;
		out[*n].month = d.month;
		out[*n].day = d.day;
		(*n)++;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(db, rc, err);
}
