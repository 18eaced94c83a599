/*
 * test_fields.c - the field tables (app/fields.c): every row of
 * rcms_case_fields and rcms_document_fields set and read back, the error
 * of each type for bad input, and the record-level checks
 * (rcms_case_validate, rcms_case_check_complete, rcms_document_validate,
 * rcms_agency_code_check, rcms_agreement_validate).
 *
 * "Today" is pinned at 2026-03-02.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app.h"

static const struct rcms_today today = {2026, 3, 2};

#define assert_has(hay, needle)                                               \
	do {                                                                  \
		if (!strstr((hay), (needle)))                                 \
			fail_msg("'%s' not found in '%s'", (needle), (hay));  \
	} while (0)

/* A record big enough for either table. */
union record {
	struct rcms_case c;
	struct rcms_document d;
};

struct table {
	const char *name;
	const struct rcms_field *fields;
	size_t size;
};

static const struct table tables[] = {
	{"case", rcms_case_fields, sizeof(struct rcms_case)},
	{"document", rcms_document_fields, sizeof(struct rcms_document)},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static void record_init(const struct table *t, union record *r)
{
	memset(r, 0, sizeof(*r));
	if (t->fields == rcms_case_fields)
		rcms_case_init(&r->c);
	else
		rcms_document_init(&r->d);
}

/* The last name of an enum table: never the default value 0. */
static const char *last_enum_name(const struct rcms_enum_name *names)
{
	const char *last = NULL;

	for (; names->name; names++)
		last = names->name;
	return last;
}

/* A valid value of field f as typed, and as rcms_field_get writes it. */
static void valid_value(const struct rcms_field *f, char *in, size_t insize,
			char *out, size_t outsize)
{
	const char *v = NULL, *o = NULL;

	switch (f->type) {
	case RCMS_F_NAME:
		v = "  \xc3\x91\xc3\xba\xc3\xb1""ez O'Brien-Smith Jr.  ";
		o = "\xc3\x91\xc3\xba\xc3\xb1""ez O'Brien-Smith Jr.";
		break;
	case RCMS_F_LINE:
		v = o = "Knez Mihailova 1, Beograd (\xd0\x91\xd0\xb5\xd0\xbe"
			"\xd0\xb3\xd1\x80\xd0\xb0\xd0\xb4)";
		break;
	case RCMS_F_TEXT:
		v = o = "line one\n\tline two";
		break;
	case RCMS_F_CODE:
		v = o = "AB-123/45.6 X";
		break;
	case RCMS_F_PDATE:
		v = o = "2030-05";
		break;
	case RCMS_F_PDATE_PAST:
		v = " 1990-03-14 ";
		o = "1990-03-14";
		break;
	case RCMS_F_COUNTRY:
		v = "Pakistan";
		o = "PAK";
		break;
	case RCMS_F_AGENCY:
		v = o = "PK-MOI";
		break;
	case RCMS_F_ENUM: {
		const char *n = last_enum_name(f->names);
		size_t i;
		/* upper case in: names compare without regard to case */
		snprintf(in, insize, "%s", n);
		for (i = 0; in[i]; i++)
			if (in[i] >= 'a' && in[i] <= 'z')
				in[i] = (char)(in[i] - 32);
		snprintf(out, outsize, "%s", n);
		return;
	}
	case RCMS_F_BOOL:
		v = "YES";
		o = "yes";
		break;
	case RCMS_F_INT:
		v = " 7 ";
		o = "7";
		break;
	case RCMS_F_TIME:
		v = o = "2026-03-02T10:00:00Z";
		break;
	case RCMS_F_ID:
		/* fits the smallest (agency codes) */
		v = o = "RS-MUP-W01";
		break;
	}
	snprintf(in, insize, "%s", v);
	snprintf(out, outsize, "%s", o);
}

/* ---- the tables themselves ------------------------------------------- */

static void test_tables(void **state)
{
	size_t t;

	(void)state;
	for (t = 0; t < NTABLES; t++) {
		const struct rcms_field *f, *g;
		size_t n = 0;

		for (f = tables[t].fields; f->name; f++, n++) {
			assert_non_null(f->label);
			assert_true(f->label[0] != '\0');
			assert_true(f->offset < tables[t].size);
			/* names are SQL columns and JSON keys: [a-z_] */
			assert_true(strspn(f->name, "abcdefghijklmnopqrstuvwxyz_")
				    == strlen(f->name));
			/* unique, and found by name */
			for (g = f + 1; g->name; g++)
				assert_string_not_equal(f->name, g->name);
			assert_ptr_equal(rcms_field_find(tables[t].fields,
							 f->name),
					 f);
			switch (f->type) {
			case RCMS_F_ENUM:
				assert_non_null(f->names);
				break;
			case RCMS_F_INT:
				assert_true(f->max > 0);
				break;
			case RCMS_F_TIME:
			case RCMS_F_ID:
				assert_false(f->flags & RCMS_FF_EDIT);
				break;
			default:
				break;
			}
			assert_true(f->offset + f->size <= tables[t].size);
			/* what can be edited has an owner */
			if (f->flags & RCMS_FF_EDIT)
				assert_true(f->owner != 0);
			/* required fields can be edited */
			if (f->flags & RCMS_FF_SUBMIT)
				assert_true(f->flags & RCMS_FF_EDIT);
		}
		assert_true(n > 5);
	}
	assert_null(rcms_field_find(rcms_case_fields, "no_such_field"));
	assert_null(rcms_field_find(rcms_case_fields, ""));
	assert_null(rcms_field_find(rcms_case_fields, NULL));
	assert_null(rcms_field_find(NULL, "surnames"));
	/* names compare exactly */
	assert_null(rcms_field_find(rcms_case_fields, "Surnames"));
	/* the table has the fields the rest of rcms relies on */
	assert_non_null(rcms_field_find(rcms_case_fields, "requested_agency"));
	assert_non_null(rcms_field_find(rcms_case_fields, "birth_date"));
	assert_non_null(rcms_field_find(rcms_document_fields, "mrz"));
}

/* ---- every row: set and get ------------------------------------------ */

static void test_round_trip(void **state)
{
	union record r, copy, r2;
	char in[256], want[256], got[4200];
	struct rcms_err err;
	size_t t;

	(void)state;
	for (t = 0; t < NTABLES; t++) {
		const struct rcms_field *f;

		for (f = tables[t].fields; f->name; f++) {
			record_init(&tables[t], &r);
			valid_value(f, in, sizeof(in), want, sizeof(want));
			if (f->type == RCMS_F_TIME || f->type == RCMS_F_ID) {
				/* read-only: refused, record untouched */
				copy = r;
				rcms_err_clear(&err);
				assert_int_equal(rcms_field_set(f, &r, in,
								&today, &err),
						 RCMS_ERR_INVALID);
				assert_string_equal(err.field, f->name);
				assert_has(err.msg, "cannot be changed");
				assert_has(err.msg, f->label);
				assert_memory_equal(&r, &copy, sizeof(r));
				/* but it reads */
				if (f->type == RCMS_F_TIME) {
					int64_t v = INT64_C(1772445600);
					memcpy((char *)&r + f->offset, &v,
					       sizeof(v));
				} else {
					snprintf((char *)&r + f->offset,
						 f->size, "%s", want);
				}
				assert_int_equal(rcms_field_get(f, &r, got,
								sizeof(got)),
						 (int)strlen(want));
				assert_string_equal(got, want);
				assert_false(rcms_field_is_empty(f, &r));
				continue;
			}
			rcms_err_clear(&err);
			if (rcms_field_set(f, &r, in, &today, &err) != RCMS_OK)
				fail_msg("%s.%s = '%s': %s", tables[t].name,
					 f->name, in, err.msg);
			assert_int_equal(err.status, RCMS_OK);
			if (rcms_field_get(f, &r, got, sizeof(got)) !=
			    (int)strlen(want))
				fail_msg("%s.%s: got '%s', want '%s'",
					 tables[t].name, f->name, got, want);
			assert_string_equal(got, want);
			assert_false(rcms_field_is_empty(f, &r));
			/* what get writes, set reads back the same */
			record_init(&tables[t], &r2);
			assert_int_equal(rcms_field_set(f, &r2, got, &today,
							&err),
					 RCMS_OK);
			assert_true(rcms_field_equal(f, &r, &r2));
			/* and only that field changed */
			assert_memory_equal(&r, &r2, sizeof(r));
			/* "" clears every field that has an empty value */
			if (f->type != RCMS_F_ENUM) {
				assert_int_equal(rcms_field_set(f, &r, "",
								&today, &err),
						 RCMS_OK);
				assert_true(rcms_field_is_empty(f, &r));
				assert_false(rcms_field_equal(f, &r, &r2));
				assert_int_equal(rcms_field_get(f, &r, got,
								sizeof(got)),
						 f->type == RCMS_F_BOOL ? 2
						 : f->type == RCMS_F_INT ? 1
									 : 0);
				/* spaces only are empty too */
				assert_int_equal(rcms_field_set(f, &r2, "   ",
								&today, &err),
						 RCMS_OK);
				assert_true(rcms_field_is_empty(f, &r2));
			} else {
				/* "" resets an enum to its default, the
				 * table's first value */
				int v = -1;
				assert_int_equal(rcms_field_set(f, &r, "",
								&today, &err),
						 RCMS_OK);
				memcpy(&v, (char *)&r + f->offset, sizeof(v));
				assert_int_equal(v, f->names[0].value);
				assert_int_equal(rcms_field_get(f, &r, got,
								sizeof(got)),
						 (int)strlen(f->names[0].name));
				assert_int_equal(rcms_field_set(f, &r2, "  ",
								&today, &err),
						 RCMS_OK);
				memcpy(&v, (char *)&r2 + f->offset, sizeof(v));
				assert_int_equal(v, f->names[0].value);
			}
		}
	}
}

static void test_null_args(void **state)
{
	struct rcms_case c;
	const struct rcms_field *f = rcms_field_find(rcms_case_fields,
						     "surnames");
	struct rcms_err err;
	char buf[8];

	(void)state;
	rcms_case_init(&c);
	rcms_err_clear(&err);
	assert_int_equal(rcms_field_set(f, &c, NULL, &today, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(err.status, RCMS_ERR_INVALID);
	assert_int_equal(rcms_field_set(NULL, &c, "X", &today, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_field_set(f, NULL, "X", &today, &err),
			 RCMS_ERR_INVALID);
	/* err and today may be NULL */
	assert_int_equal(rcms_field_set(f, &c, "KHAN", NULL, NULL), RCMS_OK);
	assert_int_equal(rcms_field_set(f, &c, "K7", NULL, NULL),
			 RCMS_ERR_INVALID);
	assert_string_equal(c.person.surnames, "KHAN");
	/* without today, dates in the future are not checked */
	assert_int_equal(rcms_field_set(rcms_field_find(rcms_case_fields,
							"birth_date"),
					&c, "2100", NULL, NULL),
			 RCMS_OK);

	assert_int_equal(rcms_field_get(NULL, &c, buf, sizeof(buf)), -1);
	assert_int_equal(rcms_field_get(f, NULL, buf, sizeof(buf)), -1);
	assert_int_equal(rcms_field_get(f, &c, NULL, 8), -1);
	assert_int_equal(rcms_field_get(f, &c, buf, 0), -1);
	/* a small buffer: cut, and the length it would need */
	snprintf(c.person.surnames, sizeof(c.person.surnames),
		 "ABCDEFGHIJKLMNOP");
	assert_int_equal(rcms_field_get(f, &c, buf, sizeof(buf)), 16);
	assert_string_equal(buf, "ABCDEFG");

	assert_true(rcms_field_is_empty(NULL, &c));
	assert_true(rcms_field_is_empty(f, NULL));
	assert_false(rcms_field_equal(NULL, &c, &c));
	assert_false(rcms_field_equal(f, NULL, &c));
	assert_false(rcms_field_equal(f, &c, NULL));
	assert_true(rcms_field_equal(f, &c, &c));
	rcms_case_init(NULL);
	rcms_document_init(NULL);
}

/* rcms_field_find_next: in the table's order, out of it, unknown, NULL */
static void test_find_next(void **state)
{
	const struct rcms_field *t = rcms_case_fields;
	size_t hint = 0, n = 0, i;

	(void)state;
	while (t[n].name)
		n++;
	assert_true(n > 3);
	for (i = 0; i < n; i++)
		assert_ptr_equal(rcms_field_find_next(t, t[i].name, &hint),
				 &t[i]);
	assert_int_equal(hint, n);
	/* back to the start, then a skip forward, then unknown */
	assert_ptr_equal(rcms_field_find_next(t, t[0].name, &hint), &t[0]);
	assert_int_equal(hint, 1);
	assert_ptr_equal(rcms_field_find_next(t, t[n - 1].name, &hint),
			 &t[n - 1]);
	assert_null(rcms_field_find_next(t, "no_such_field", &hint));
	assert_int_equal(hint, n);
	assert_null(rcms_field_find_next(t, "", &hint));
	assert_null(rcms_field_find_next(t, NULL, &hint));
	assert_null(rcms_field_find_next(NULL, t[0].name, &hint));
}

static void test_init_defaults(void **state)
{
	struct rcms_case c;
	struct rcms_document d;

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	rcms_case_init(&c);
	assert_int_equal(c.status, RCMS_CS_DRAFT);
	assert_int_equal(c.procedure, RCMS_PROC_NORMAL);
	assert_int_equal(c.evidence_basis, RCMS_EVID_NONE);
	assert_int_equal(c.person.sex, RCMS_SEX_UNKNOWN);
	assert_string_equal(c.person.surnames, "");
	assert_int_equal(c.rev, 0);
	memset(&d, 0x5a, sizeof(d));
	rcms_document_init(&d);
	assert_int_equal(d.type, RCMS_DOC_PASSPORT);
	assert_string_equal(d.number, "");
	assert_false(d.is_copy);
}

/* ---- bad input, type by type ----------------------------------------- */

/*
 * Set value into every field of the given type in both tables; each must
 * fail with RCMS_ERR_INVALID, err->field naming the field, a message that
 * starts with the field's label and contains want, and the record
 * untouched.
 */
static void bad_for_type(enum rcms_ftype type, const char *value,
			 const char *want)
{
	union record r, copy;
	struct rcms_err err;
	size_t t;
	int seen = 0;

	for (t = 0; t < NTABLES; t++) {
		const struct rcms_field *f;

		for (f = tables[t].fields; f->name; f++) {
			char in[256], out[256];
			if (f->type != type)
				continue;
			seen++;
			record_init(&tables[t], &r);
			/* a value in place already, which must stay */
			valid_value(f, in, sizeof(in), out, sizeof(out));
			assert_int_equal(rcms_field_set(f, &r, in, &today,
							NULL),
					 RCMS_OK);
			copy = r;
			rcms_err_clear(&err);
			if (rcms_field_set(f, &r, value, &today, &err) !=
			    RCMS_ERR_INVALID)
				fail_msg("%s.%s accepted '%s'", tables[t].name,
					 f->name, value);
			assert_int_equal(err.status, RCMS_ERR_INVALID);
			assert_string_equal(err.field, f->name);
			if (strncmp(err.msg, f->label, strlen(f->label)) != 0)
				fail_msg("%s: '%s' does not start with '%s'",
					 f->name, err.msg, f->label);
			assert_has(err.msg, want);
			assert_memory_equal(&r, &copy, sizeof(r));
		}
	}
	assert_true(seen > 0);
}

static void test_bad_dates(void **state)
{
	(void)state;
	bad_for_type(RCMS_F_PDATE, "2026-02-30",
		     ": 2026-02-30 does not exist (February 2026 has 28 days)");
	bad_for_type(RCMS_F_PDATE_PAST, "2026-02-30",
		     "2026-02-30 does not exist (February 2026 has 28 days)");
	bad_for_type(RCMS_F_PDATE, "14.03.1990", "is not a date");
	bad_for_type(RCMS_F_PDATE, "2026-13", "month 13 does not exist");
	bad_for_type(RCMS_F_PDATE, "1849", "year 1849");
	bad_for_type(RCMS_F_PDATE_PAST, "1990-00-01", "month 00");
	bad_for_type(RCMS_F_PDATE_PAST, "2026-03-03", "is in the future");
	bad_for_type(RCMS_F_PDATE_PAST, "2026-04", "2026-04 is in the future");
	bad_for_type(RCMS_F_PDATE_PAST, "2027", "2027 is in the future");
	bad_for_type(RCMS_F_PDATE, "2026-02-3\n0", "one line");
}

static void test_dates_at_the_edge(void **state)
{
	struct rcms_case c;
	const struct rcms_field *bd = rcms_field_find(rcms_case_fields,
						      "birth_date");
	const struct rcms_field *td = rcms_field_find(rcms_case_fields,
						      "transfer_date");

	(void)state;
	rcms_case_init(&c);
	/* today and this month are not in the future */
	assert_int_equal(rcms_field_set(bd, &c, "2026-03-02", &today, NULL),
			 RCMS_OK);
	assert_int_equal(rcms_field_set(bd, &c, "2026-03", &today, NULL),
			 RCMS_OK);
	assert_int_equal(rcms_field_set(bd, &c, "2026", &today, NULL),
			 RCMS_OK);
	assert_int_equal(rcms_field_set(bd, &c, "2024-02-29", &today, NULL),
			 RCMS_OK);
	assert_int_equal(rcms_field_set(bd, &c, "1850", &today, NULL),
			 RCMS_OK);
	/* a proposed transfer may be in the future */
	assert_int_equal(rcms_field_set(td, &c, "2200-12-31", &today, NULL),
			 RCMS_OK);
	assert_int_equal(rcms_field_set(td, &c, "2201", &today, NULL),
			 RCMS_ERR_INVALID);
}

static void test_bad_country(void **state)
{
	char longv[300];

	(void)state;
	bad_for_type(RCMS_F_COUNTRY, "Narnia", "is not a country name");
	bad_for_type(RCMS_F_COUNTRY, "QQ", "is not a country code");
	bad_for_type(RCMS_F_COUNTRY, "PKX", "'PKX' is not a country code");
	memset(longv, 'A', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	bad_for_type(RCMS_F_COUNTRY, longv, "is not a country");
	bad_for_type(RCMS_F_COUNTRY, "P\xffK", "not valid UTF-8");
}

static void test_bad_agency(void **state)
{
	(void)state;
	bad_for_type(RCMS_F_AGENCY, "rs-mup", "'rs-mup' is not an agency code");
	bad_for_type(RCMS_F_AGENCY, "RSMUP", "is not an agency code");
	bad_for_type(RCMS_F_AGENCY, "RS-M", "is not an agency code");
	bad_for_type(RCMS_F_AGENCY, "RS-MUP!", "is not an agency code");
	bad_for_type(RCMS_F_AGENCY, "RS-ABCDEFGHIJK", "is not an agency code");
	bad_for_type(RCMS_F_AGENCY, "RS-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
		     "is not an agency code");
}

static void test_bad_enum(void **state)
{
	size_t t;

	(void)state;
	/* every enum field lists its own names */
	for (t = 0; t < NTABLES; t++) {
		const struct rcms_field *f;

		for (f = tables[t].fields; f->name; f++) {
			union record r;
			struct rcms_err err;
			char list[512], want[600];

			if (f->type != RCMS_F_ENUM)
				continue;
			record_init(&tables[t], &r);
			rcms_err_clear(&err);
			assert_int_equal(rcms_field_set(f, &r, "bogus", &today,
							&err),
					 RCMS_ERR_INVALID);
			assert_string_equal(err.field, f->name);
			rcms_enum_list(f->names, list, sizeof(list));
			snprintf(want, sizeof(want),
				 "%s: 'bogus' is not one of: %s", f->label,
				 list);
			assert_string_equal(err.msg, want);
		}
	}
	bad_for_type(RCMS_F_ENUM, "1", "is not one of: ");
	bad_for_type(RCMS_F_ENUM, "draft x", "is not one of");
	{
		/* the list in full for one of them */
		struct rcms_case c;
		struct rcms_err err;

		rcms_case_init(&c);
		assert_int_equal(rcms_field_set(rcms_field_find(rcms_case_fields,
								"sex"),
						&c, "male", &today, &err),
				 RCMS_ERR_INVALID);
		assert_string_equal(err.msg, "sex: 'male' is not one of: "
					     "unknown, M, F, X");
		assert_int_equal(rcms_field_set(rcms_field_find(rcms_case_fields,
								"procedure"),
						&c, "Accelerated", &today,
						&err),
				 RCMS_OK);
		assert_int_equal(c.procedure, RCMS_PROC_ACCELERATED);
	}
}

static void test_bad_bool(void **state)
{
	static const char *const yes[] = {"yes", "Y", "true", "1", "on", "ON"};
	static const char *const no[] = {"no", "N", "false", "0", "off", ""};
	const struct rcms_field *f = rcms_field_find(rcms_case_fields,
						     "pregnant");
	struct rcms_case c;
	size_t i;

	(void)state;
	bad_for_type(RCMS_F_BOOL, "maybe", "answer yes or no, not 'maybe'");
	bad_for_type(RCMS_F_BOOL, "2", "answer yes or no");
	bad_for_type(RCMS_F_BOOL, "yess", "answer yes or no");
	rcms_case_init(&c);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		c.person.pregnant = false;
		assert_int_equal(rcms_field_set(f, &c, yes[i], &today, NULL),
				 RCMS_OK);
		assert_true(c.person.pregnant);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		c.person.pregnant = true;
		assert_int_equal(rcms_field_set(f, &c, no[i], &today, NULL),
				 RCMS_OK);
		assert_false(c.person.pregnant);
	}
}

static void test_bad_int(void **state)
{
	const struct rcms_field *f = rcms_field_find(rcms_case_fields,
						     "extension_days");
	struct rcms_case c;

	(void)state;
	bad_for_type(RCMS_F_INT, "-1", "write a whole number from 0 to 366");
	bad_for_type(RCMS_F_INT, "367", "from 0 to 366");
	bad_for_type(RCMS_F_INT, "abc", "whole number");
	bad_for_type(RCMS_F_INT, "5x", "whole number");
	bad_for_type(RCMS_F_INT, "2.5", "whole number");
	bad_for_type(RCMS_F_INT, "99999999999999999999", "whole number");
	bad_for_type(RCMS_F_INT, "-99999999999999999999", "whole number");
	rcms_case_init(&c);
	assert_int_equal(rcms_field_set(f, &c, "366", &today, NULL), RCMS_OK);
	assert_int_equal(c.extension_days, 366);
	assert_int_equal(rcms_field_set(f, &c, "0", &today, NULL), RCMS_OK);
	assert_int_equal(c.extension_days, 0);
}

static void test_bad_text(void **state)
{
	(void)state;
	/* names */
	bad_for_type(RCMS_F_NAME, "KH\xff""AN",
		     "the text is not valid UTF-8 (byte 3)");
	bad_for_type(RCMS_F_NAME, "\xc3\x28", "not valid UTF-8 (byte 1)");
	bad_for_type(RCMS_F_NAME, "\xe0\x80\x80", "not valid UTF-8");
	bad_for_type(RCMS_F_NAME, "J0HN", "a name cannot contain digits "
					  "('0' at byte 2)");
	bad_for_type(RCMS_F_NAME, "ALI @ KHAN", "'@' (byte 5) cannot be part "
						"of a name");
	bad_for_type(RCMS_F_NAME, "- . '", "a name needs at least one letter");
	bad_for_type(RCMS_F_NAME, "ALI\nKHAN", "must be one line");
	bad_for_type(RCMS_F_NAME, "ALI\tKHAN", "replace the tab");
	bad_for_type(RCMS_F_NAME, "ALI\x1b[31m", "control character (U+001B)");
	/* one-line text */
	bad_for_type(RCMS_F_LINE, "a\nb", "remove the line break at byte 2");
	bad_for_type(RCMS_F_LINE, "a\tb", "replace the tab at byte 2");
	bad_for_type(RCMS_F_LINE, "a\x7f", "control character (U+007F)");
	bad_for_type(RCMS_F_LINE, "a\xc2\x9b", "control character (U+009B)");
	bad_for_type(RCMS_F_LINE, "ok \xed\xa0\x80", "not valid UTF-8 (byte 4)");
	/* multi-line text still refuses other controls and bad bytes */
	bad_for_type(RCMS_F_TEXT, "a\rb", "control character (U+000D)");
	bad_for_type(RCMS_F_TEXT, "a\x01", "control character");
	bad_for_type(RCMS_F_TEXT, "\xff", "not valid UTF-8");
	/* codes */
	bad_for_type(RCMS_F_CODE, "AB#12", "only letters A-Z, digits");
	bad_for_type(RCMS_F_CODE, "AB\xc5\xbd""12", "only letters A-Z");
	bad_for_type(RCMS_F_CODE, "AB\n12", "one line");
}

/* A value one byte longer than field f holds. */
static char *too_long_for(const struct rcms_field *f, size_t extra)
{
	size_t n = f->size + extra;
	char *v = malloc(n + 1);

	assert_non_null(v);
	memset(v, f->type == RCMS_F_CODE ? '7' : 'A', n);
	v[n] = '\0';
	return v;
}

static void test_too_long(void **state)
{
	size_t t;

	(void)state;
	for (t = 0; t < NTABLES; t++) {
		const struct rcms_field *f;

		for (f = tables[t].fields; f->name; f++) {
			union record r, copy;
			struct rcms_err err;
			char want[128], *v;
			size_t extra;

			if (f->type != RCMS_F_NAME && f->type != RCMS_F_LINE &&
			    f->type != RCMS_F_TEXT && f->type != RCMS_F_CODE)
				continue;
			/* exactly size bytes (one too many), and far more */
			for (extra = 0; extra <= 5000; extra += 5000) {
				record_init(&tables[t], &r);
				copy = r;
				v = too_long_for(f, extra);
				rcms_err_clear(&err);
				if (rcms_field_set(f, &r, v, &today, &err) !=
				    RCMS_ERR_INVALID)
					fail_msg("%s: %zu bytes accepted",
						 f->name, strlen(v));
				assert_string_equal(err.field, f->name);
				snprintf(want, sizeof(want),
					 "%s is too long: %zu bytes, at most "
					 "%zu",
					 f->label, strlen(v), f->size - 1);
				assert_string_equal(err.msg, want);
				assert_memory_equal(&r, &copy, sizeof(r));
				/* one byte less fits */
				v[f->size - 1] = '\0';
				assert_int_equal(rcms_field_set(f, &r, v,
								&today, &err),
						 RCMS_OK);
				assert_int_equal(strlen((char *)&r + f->offset),
						 f->size - 1);
				free(v);
			}
		}
	}
	/* a multi-byte character counts its bytes */
	{
		struct rcms_case c;
		struct rcms_err err;
		char v[RCMS_NAME_LEN + 2];
		size_t i;

		for (i = 0; i + 2 <= RCMS_NAME_LEN; i += 2)
			memcpy(v + i, "\xc3\x9c", 2); /* Ü */
		v[i] = '\0'; /* 256 bytes */
		rcms_case_init(&c);
		assert_int_equal(rcms_field_set(rcms_field_find(rcms_case_fields,
								"surnames"),
						&c, v, &today, &err),
				 RCMS_ERR_INVALID);
		assert_has(err.msg, "at most 255");
	}
}

/* ---- the case as a whole --------------------------------------------- */

static void complete_case(struct rcms_case *c)
{
	rcms_case_init(c);
	snprintf(c->requesting_agency, sizeof(c->requesting_agency), "RS-MUP");
	snprintf(c->requested_agency, sizeof(c->requested_agency), "PK-MOI");
	snprintf(c->person.surnames, sizeof(c->person.surnames), "KHAN");
	snprintf(c->person.given_names, sizeof(c->person.given_names), "ALI");
	c->person.birth_date = (struct rcms_pdate){1990, 3, 14};
	snprintf(c->person.nationality, sizeof(c->person.nationality), "PAK");
	c->evidence_basis = RCMS_EVID_PROOF;
	snprintf(c->id, sizeof(c->id), "0190a000-0000-7000-8000-000000000001");
	c->created_at = INT64_C(1772445600);
}

static void invalid(const struct rcms_case *c, const char *field,
		    const char *want)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	if (rcms_case_validate(c, &today, &err) != RCMS_ERR_INVALID)
		fail_msg("accepted; expected an error on %s", field);
	assert_string_equal(err.field, field);
	assert_has(err.msg, want);
}

static void test_case_validate(void **state)
{
	struct rcms_case c;
	struct rcms_err err;

	(void)state;
	complete_case(&c);
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);
	assert_int_equal(rcms_case_validate(&c, NULL, NULL), RCMS_OK);
	assert_int_equal(rcms_case_validate(NULL, &today, &err),
			 RCMS_ERR_INVALID);
	/* an empty draft is valid (complete is another question) */
	rcms_case_init(&c);
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);

	/* special needs only with consent */
#define NEED(stmt)                                                            \
	do {                                                                  \
		complete_case(&c);                                            \
		stmt;                                                         \
		invalid(&c, "needs_consent", "needs_consent=yes");            \
		c.person.needs_consent = true;                                \
		assert_int_equal(rcms_case_validate(&c, &today, &err),        \
				 RCMS_OK);                                    \
	} while (0)
	NEED(c.person.unaccompanied_minor = true);
	NEED(c.person.pregnant = true);
	NEED(c.person.trafficking_victim = true);
	NEED(c.person.needs_medical_care = true);
	NEED(c.person.needs_escort = true);
	NEED(snprintf(c.person.special_needs, sizeof(c.person.special_needs),
		      "wheelchair"));
#undef NEED
	/* consent alone is fine */
	complete_case(&c);
	c.person.needs_consent = true;
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);

	/* the requested agency is in another country */
	complete_case(&c);
	snprintf(c.requested_agency, sizeof(c.requested_agency), "RS-BIA");
	invalid(&c, "requested_agency", "own country");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "RS-MUP");
	invalid(&c, "requested_agency", "own country");
	snprintf(c.requested_agency, sizeof(c.requested_agency), "ME-UP");
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);
	/* either may be missing in a draft */
	c.requesting_agency[0] = '\0';
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);

	/* apprehension before birth */
	complete_case(&c);
	c.apprehension_date = (struct rcms_pdate){1989, 12, 31};
	invalid(&c, "apprehension_date", "before the date of birth");
	c.apprehension_date = (struct rcms_pdate){1990, 3, 13};
	invalid(&c, "apprehension_date", "before the date of birth");
	c.apprehension_date = (struct rcms_pdate){1990, 2, 0};
	invalid(&c, "apprehension_date", "before the date of birth");
	c.apprehension_date = (struct rcms_pdate){1990, 3, 14};
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);
	/* partial dates that may be the same day are not "before" */
	c.apprehension_date = (struct rcms_pdate){1990, 3, 0};
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);
	c.apprehension_date = (struct rcms_pdate){1990, 0, 0};
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);
	c.person.birth_date = (struct rcms_pdate){1990, 0, 0};
	c.apprehension_date = (struct rcms_pdate){1990, 1, 1};
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);
	c.apprehension_date = (struct rcms_pdate){1989, 12, 31};
	invalid(&c, "apprehension_date", "before the date of birth");
	/* no birth date: nothing to compare */
	c.person.birth_date = (struct rcms_pdate){0, 0, 0};
	assert_int_equal(rcms_case_validate(&c, &today, &err), RCMS_OK);
}

static void test_case_validate_stored(void **state)
{
	struct rcms_case c;

	(void)state;
	/* values that did not come through rcms_field_set: a file, the
	 * wire, an old database */
	complete_case(&c);
	c.person.birth_date = (struct rcms_pdate){2026, 2, 30};
	invalid(&c, "birth_date", "does not exist");
	complete_case(&c);
	c.person.birth_date = (struct rcms_pdate){2030, 1, 1};
	invalid(&c, "birth_date", "is in the future");
	complete_case(&c);
	c.person.birth_date = (struct rcms_pdate){1990, 0, 5};
	invalid(&c, "birth_date", "date of birth: ");
	complete_case(&c);
	c.apprehension_date = (struct rcms_pdate){0, 5, 1};
	invalid(&c, "apprehension_date", "without a year");
	complete_case(&c);
	c.person.sex = (enum rcms_sex)9;
	invalid(&c, "sex", "unknown value (9)");
	complete_case(&c);
	c.status = (enum rcms_case_status)-1;
	invalid(&c, "status", "unknown value");
	complete_case(&c);
	memset(c.person.surnames, 'A', sizeof(c.person.surnames));
	invalid(&c, "surnames", "not terminated");
	complete_case(&c);
	snprintf(c.person.surnames, sizeof(c.person.surnames), "KHAN 2");
	invalid(&c, "surnames", "digits");
	complete_case(&c);
	snprintf(c.person.given_names, sizeof(c.person.given_names),
		 "AL\xffI");
	invalid(&c, "given_names", "UTF-8");
	complete_case(&c);
	snprintf(c.person.nationality, sizeof(c.person.nationality), "XXX");
	invalid(&c, "nationality", "country");
	complete_case(&c);
	snprintf(c.requested_agency, sizeof(c.requested_agency), "pk-moi");
	invalid(&c, "requested_agency", "agency code");
	complete_case(&c);
	c.extension_days = -1;
	invalid(&c, "extension_days", "whole number");
	complete_case(&c);
	c.extension_days = 400;
	invalid(&c, "extension_days", "whole number");
	complete_case(&c);
	snprintf(c.itinerary, sizeof(c.itinerary), "Karachi\nIstanbul");
	invalid(&c, "itinerary", "one line");
	complete_case(&c);
	snprintf(c.travel_doc_number, sizeof(c.travel_doc_number), "TD;1");
	invalid(&c, "travel_doc_number", "only letters");
}

static void test_check_complete(void **state)
{
	struct rcms_case c;
	struct rcms_err err;

	(void)state;
	assert_int_equal(rcms_case_check_complete(NULL, &err),
			 RCMS_ERR_INVALID);
	rcms_case_init(&c);
	rcms_err_clear(&err);
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "requested_agency");
	assert_string_equal(err.msg,
			    "the application is not complete; still needed: "
			    "requested agency (requested_agency), evidence of "
			    "nationality (evidence_basis), surname(s) "
			    "(surnames), given name(s) (given_names), date of "
			    "birth (birth_date), nationality (nationality)");
	assert_int_equal(rcms_case_check_complete(&c, NULL), RCMS_ERR_INVALID);

	complete_case(&c);
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_OK);
	c.person.given_names[0] = '\0';
	c.evidence_basis = RCMS_EVID_NONE;
	rcms_err_clear(&err);
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "evidence_basis");
	assert_has(err.msg, "still needed: evidence of nationality "
			    "(evidence_basis), given name(s) (given_names)");
	/* a year of birth is enough */
	complete_case(&c);
	c.person.birth_date = (struct rcms_pdate){1990, 0, 0};
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_OK);

	/* the accelerated procedure needs the apprehension */
	c.procedure = RCMS_PROC_ACCELERATED;
	rcms_err_clear(&err);
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "apprehension_date");
	snprintf(c.apprehension_place, sizeof(c.apprehension_place),
		 "Horgos border crossing");
	c.apprehension_date = (struct rcms_pdate){2026, 2, 0};
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_ERR_INVALID);
	c.apprehension_date = (struct rcms_pdate){2026, 2, 27};
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_OK);
	c.apprehension_place[0] = '\0';
	assert_int_equal(rcms_case_check_complete(&c, &err), RCMS_ERR_INVALID);
}

/* ---- documents ---------------------------------------------------------- */

static void test_document_validate(void **state)
{
	struct rcms_document d;
	struct rcms_err err;

	(void)state;
	assert_int_equal(rcms_document_validate(NULL, &today, &err),
			 RCMS_ERR_INVALID);
	rcms_document_init(&d);
	rcms_err_clear(&err);
	assert_int_equal(rcms_document_validate(&d, &today, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "number");
	assert_has(err.msg, "number");
	snprintf(d.number, sizeof(d.number), "AB1234567");
	assert_int_equal(rcms_document_validate(&d, &today, &err), RCMS_OK);
	assert_int_equal(rcms_document_validate(&d, NULL, NULL), RCMS_OK);
	/* the zone alone will do */
	d.number[0] = '\0';
	snprintf(d.mrz, sizeof(d.mrz), "P<PAKKHAN<<ALI<<<<<<<<<<<<<<<<<<<<<<"
				       "<<<<<<<<\nAB12345670PAK9003141M3001"
				       "14<<<<<<<<<<<<<<02");
	assert_int_equal(rcms_document_validate(&d, &today, &err), RCMS_OK);
	snprintf(d.number, sizeof(d.number), "AB1234567");

	/* dates */
	d.issue_date = (struct rcms_pdate){2020, 1, 15};
	d.expiry_date = (struct rcms_pdate){2030, 1, 14};
	assert_int_equal(rcms_document_validate(&d, &today, &err), RCMS_OK);
	d.expiry_date = (struct rcms_pdate){2020, 1, 14};
	rcms_err_clear(&err);
	assert_int_equal(rcms_document_validate(&d, &today, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "expiry_date");
	assert_has(err.msg, "before the date of issue");
	d.expiry_date = (struct rcms_pdate){2019, 0, 0};
	assert_int_equal(rcms_document_validate(&d, &today, &err),
			 RCMS_ERR_INVALID);
	/* the same day, or partial dates that may be, are fine */
	d.expiry_date = (struct rcms_pdate){2020, 1, 15};
	assert_int_equal(rcms_document_validate(&d, &today, &err), RCMS_OK);
	d.expiry_date = (struct rcms_pdate){2020, 1, 0};
	assert_int_equal(rcms_document_validate(&d, &today, &err), RCMS_OK);
	d.expiry_date = (struct rcms_pdate){2020, 0, 0};
	assert_int_equal(rcms_document_validate(&d, &today, &err), RCMS_OK);
	d.expiry_date = (struct rcms_pdate){0, 0, 0};
	/* issued in the future */
	d.issue_date = (struct rcms_pdate){2026, 3, 3};
	rcms_err_clear(&err);
	assert_int_equal(rcms_document_validate(&d, &today, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "issue_date");
	assert_has(err.msg, "in the future");
	/* expiring in the future is what documents do */
	d.issue_date = (struct rcms_pdate){2020, 1, 15};
	d.expiry_date = (struct rcms_pdate){2035, 1, 1};
	assert_int_equal(rcms_document_validate(&d, &today, &err), RCMS_OK);

	/* stored values */
	d.type = (enum rcms_doc_type)99;
	rcms_err_clear(&err);
	assert_int_equal(rcms_document_validate(&d, &today, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "type");
	d.type = RCMS_DOC_OTHER;
	snprintf(d.issuing_state, sizeof(d.issuing_state), "ZZZ");
	rcms_err_clear(&err);
	assert_int_equal(rcms_document_validate(&d, &today, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "issuing_state");
	snprintf(d.issuing_state, sizeof(d.issuing_state), "PAK");
	snprintf(d.number, sizeof(d.number), "AB 123; DROP");
	rcms_err_clear(&err);
	assert_int_equal(rcms_document_validate(&d, &today, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "number");
}

/* ---- agency codes and agreements -------------------------------------- */

static void test_agency_code(void **state)
{
	static const char *const good[] = {
		"RS-MUP", "PK-MOI", "XK-MPB", "AL-12", "RS-ABCDEFGHIJ",
		"DE-BPOL", "BA-MS1",
	};
	static const char *const bad[] = {
		"",  "RS", "RS-", "RS-M", "rs-mup", "RSMUP", "RS_MUP",
		"RS-MUP!", "RS-mup", "1S-MUP", "R1-MUP", "RS-MU P",
		"RS-ABCDEFGHIJK", "RS-ABCDEFGHIJKL", "RS--MUP", "\xc3\x9cS-MUP",
	};
	struct rcms_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (rcms_agency_code_check(good[i], "agency", &err) != RCMS_OK)
			fail_msg("'%s' refused: %s", good[i], err.msg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rcms_err_clear(&err);
		if (rcms_agency_code_check(bad[i], "requested agency", &err) !=
		    RCMS_ERR_INVALID)
			fail_msg("'%s' accepted", bad[i]);
		assert_string_equal(err.field, "requested agency");
		assert_true(strncmp(err.msg, "requested agency", 16) == 0);
	}
	rcms_err_clear(&err);
	assert_int_equal(rcms_agency_code_check(NULL, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "agency");
	assert_has(err.msg, "is empty");
	assert_int_equal(rcms_agency_code_check("rs", NULL, &err),
			 RCMS_ERR_INVALID);
	assert_has(err.msg, "'rs' is not an agency code");
	assert_has(err.msg, "2 to 10");
	assert_int_equal(rcms_agency_code_check("RS-MUP", NULL, NULL),
			 RCMS_OK);
	assert_int_equal(rcms_agency_code_check("bad", NULL, NULL),
			 RCMS_ERR_INVALID);
}

static void agreement(struct rcms_agreement *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->code, sizeof(a->code), "EU-WB");
	snprintf(a->name, sizeof(a->name), "EU - Western Balkans");
	snprintf(a->countries, sizeof(a->countries), "AL BA ME MK RS");
	a->reply = (struct rcms_period){10, RCMS_PERIOD_CALENDAR_DAYS};
	a->reply_accelerated = (struct rcms_period){2, RCMS_PERIOD_WORKING_DAYS};
	a->extension_max_days = 6;
	a->silence_accepts = true;
	a->transfer = (struct rcms_period){3, RCMS_PERIOD_MONTHS};
	a->transit_reply = (struct rcms_period){5, RCMS_PERIOD_CALENDAR_DAYS};
	a->transit = (struct rcms_period){30, RCMS_PERIOD_CALENDAR_DAYS};
}

static void test_agreement_validate(void **state)
{
	struct rcms_agreement a;
	struct rcms_err err;

	(void)state;
	agreement(&a);
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	assert_int_equal(rcms_agreement_validate(&a, NULL), RCMS_OK);
	assert_int_equal(rcms_agreement_validate(NULL, &err),
			 RCMS_ERR_INVALID);
	/* good variants */
	snprintf(a.countries, sizeof(a.countries), "PK");
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	snprintf(a.countries, sizeof(a.countries), "  AF   BD ");
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	a.silence_accepts = false;
	a.reply.unit = RCMS_PERIOD_NONE;
	a.reply.n = 0;
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	agreement(&a);
	memset(a.code, 'A', sizeof(a.code) - 1);
	a.code[sizeof(a.code) - 1] = '\0';
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	a.extension_max_days = 0;
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	a.extension_max_days = 365;
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);

#define BAD(stmt, fld)                                                        \
	do {                                                                  \
		agreement(&a);                                                \
		stmt;                                                         \
		rcms_err_clear(&err);                                         \
		if (rcms_agreement_validate(&a, &err) != RCMS_ERR_INVALID)    \
			fail_msg("accepted: %s", #stmt);                      \
		assert_string_equal(err.field, (fld));                        \
		assert_true(err.msg[0] != '\0');                              \
	} while (0)
	BAD(a.code[0] = '\0', "code");
	BAD(memset(a.code, 'A', sizeof(a.code)), "code"); /* no NUL */
	BAD(snprintf(a.code, sizeof(a.code), "eu-wb"), "code");
	BAD(snprintf(a.code, sizeof(a.code), "EU WB"), "code");
	BAD(snprintf(a.code, sizeof(a.code), "EU.WB"), "code");
	BAD(a.name[0] = '\0', "agreement name");
	BAD(snprintf(a.name, sizeof(a.name), "   "), "agreement name");
	BAD(snprintf(a.name, sizeof(a.name), "two\nlines"), "agreement name");
	BAD(snprintf(a.name, sizeof(a.name), "bad \xff"), "agreement name");
	BAD(snprintf(a.source, sizeof(a.source), "a\tb"), "source");
	BAD(snprintf(a.note, sizeof(a.note), "a\x1b"), "note");
	BAD(a.countries[0] = '\0', "countries");
	BAD(snprintf(a.countries, sizeof(a.countries), "   "), "countries");
	BAD(snprintf(a.countries, sizeof(a.countries), "AL QQ"), "countries");
	BAD(snprintf(a.countries, sizeof(a.countries), "AL,BA"), "countries");
	BAD(snprintf(a.countries, sizeof(a.countries), "al ba"), "countries");
	BAD(snprintf(a.countries, sizeof(a.countries), "ALB"), "countries");
	BAD(snprintf(a.countries, sizeof(a.countries), "A"), "countries");
	BAD(snprintf(a.countries, sizeof(a.countries), "AL B"), "countries");
	BAD(a.reply.n = 0, "reply");
	BAD(a.reply.n = -5, "reply");
	BAD(a.reply.n = 3651, "reply");
	BAD(a.reply.unit = (enum rcms_period_unit)7, "reply");
	BAD(a.reply_accelerated.n = 0, "reply_accelerated");
	BAD(a.transfer.n = 121, "transfer");
	BAD(a.transit_reply.n = 0, "transit_reply");
	BAD(a.transit.unit = (enum rcms_period_unit)-1, "transit");
	BAD(a.extension_max_days = -1, "extension_max_days");
	BAD(a.extension_max_days = 366, "extension_max_days");
	BAD((a.reply.unit = RCMS_PERIOD_NONE, a.reply.n = 0),
	    "silence_accepts");
#undef BAD
	agreement(&a);
	snprintf(a.countries, sizeof(a.countries), "AL QQ");
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_ERR_INVALID);
	assert_has(err.msg, "'QQ' is not a country code");
	/* a period with no limit needs no number */
	agreement(&a);
	a.transit = (struct rcms_period){0, RCMS_PERIOD_NONE};
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	a.transit = (struct rcms_period){120, RCMS_PERIOD_MONTHS};
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
	a.transit = (struct rcms_period){3650, RCMS_PERIOD_WORKING_DAYS};
	assert_int_equal(rcms_agreement_validate(&a, &err), RCMS_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_null_args),
		cmocka_unit_test(test_find_next),
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_dates_at_the_edge),
		cmocka_unit_test(test_bad_country),
		cmocka_unit_test(test_bad_agency),
		cmocka_unit_test(test_bad_enum),
		cmocka_unit_test(test_bad_bool),
		cmocka_unit_test(test_bad_int),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_case_validate),
		cmocka_unit_test(test_case_validate_stored),
		cmocka_unit_test(test_check_complete),
		cmocka_unit_test(test_document_validate),
		cmocka_unit_test(test_agency_code),
		cmocka_unit_test(test_agreement_validate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
