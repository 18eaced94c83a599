/*
 * testutil.h - helpers shared by the unit tests (linked into every unit
 * test program; every name starts with tu_).
 *
 * The helpers fail the running cmocka test on any unexpected error, so a
 * test reads as the steps it takes.  Raw SQL goes through db_raw(): the
 * tests inspect and tamper with the replica the way an attacker or a crash
 * would, which the db layer's API never allows.
 */
#ifndef RCMS_TESTS_UNIT_TESTUTIL_H
#define RCMS_TESTS_UNIT_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* 2026-03-02T10:00:00Z, a Monday: the tests' pinned clock. */
#define TU_NOW INT64_C(1772445600)
#define TU_DAY INT64_C(86400)

#define TU_AGENCY "RS-MUP"
#define TU_WORKSTATION "W01"
#define TU_ADMIN "admin"
#define TU_PASSWORD "correct horse battery"

/* Argon2id at its cheapest: t=1, 64 KiB. */
extern const struct db_password_cost tu_cost;

/*
 * The test agreements:
 *   EU-WB  AL BA ME MK RS: reply 10 calendar days, accelerated 2 working
 *          days, extension max 6, silence accepts, transfer 3 months,
 *          transit reply 5 days, transit 30 days;
 *   EU-PK  PK: as EU-WB but reply 30 calendar days, extension max 30;
 *   EU-AFBD AF BD: as EU-WB but silence does not accept.
 */
void tu_agreement_wb(struct rcms_agreement *a);
void tu_agreement_pk(struct rcms_agreement *a);
void tu_agreement_afbd(struct rcms_agreement *a);

/* db_init arguments for RS-MUP/W01 with the three agreements (the array
 * is static: valid until the next call). */
void tu_init_args(struct db_init_args *a);

/* Open path (":memory:" or a file, created) with data_dir (may be NULL)
 * and initialise it with tu_init_args().  Fails the test on error. */
struct rcms_db *tu_db_new(const char *path, const char *data_dir);

/* A context acting as user with role in agency, at TU_NOW. */
void tu_ctx(struct db_ctx *ctx, struct rcms_db *db, const char *user,
	    enum rcms_role role, const char *agency);

/* Add a user (as the admin) with password TU_PASSWORD. */
/* The fixture's account operations (user.create) removed from the
 * outbox, as if the exchange had them. */
void tu_directory_sent(struct rcms_db *db);
void tu_user_add(struct rcms_db *db, const char *name, enum rcms_role role);

/* A complete application to PK-MOI for a person named surname ALI. */
void tu_case_fill(struct rcms_case *c, const char *surname);

/* Run SQL through the raw handle: tu_exec fails the test unless it works,
 * tu_exec_rc returns SQLite's result code. */
void tu_exec(struct rcms_db *db, const char *sql);
int tu_exec_rc(struct rcms_db *db, const char *sql);
/* The first column of the first row of sql as an integer (-1: no row). */
int64_t tu_int(struct rcms_db *db, const char *sql);
/* The persons whose copies of their case's columns (migration 9) differ
 * from the case. */
#define TU_SEARCH_FACTS_DIFFER                                                \
	"SELECT count(*) FROM search_persons p JOIN cases c ON c.id ="        \
	" p.case_id WHERE p.updated_at IS NOT c.updated_at OR"                \
	" p.requesting_agency IS NOT c.requesting_agency OR"                  \
	" p.requested_agency IS NOT c.requested_agency OR p.status IS NOT"    \
	" c.status OR p.nationality IS NOT c.nationality OR p.birth_date IS"  \
	" NOT c.birth_date"
/* The rows in which the caseload's counts (with the moves not yet folded
 * into them) and the cases disagree: 0 when the triggers of migrations 8
 * and 13 kept them equal.  tests/tools/counts-differ.sql has the same. */
#define TU_COUNTED                                                            \
	"SELECT day, requesting_agency, requested_agency, status,"            \
	" created_by, sum(n) FROM (SELECT * FROM caseload_counts UNION ALL"   \
	" SELECT * FROM caseload_moves) GROUP BY 1, 2, 3, 4, 5"                \
	" HAVING sum(n) <> 0"
#define TU_COUNTS_DIFFER                                                      \
	"WITH counted AS (" TU_COUNTED "), cased AS ("                        \
	" SELECT created_at / 86400, requesting_agency, requested_agency,"    \
	"  status, created_by, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5)"   \
	" SELECT count(*) FROM (SELECT * FROM cased EXCEPT"                   \
	" SELECT * FROM counted UNION ALL SELECT * FROM (SELECT * FROM"       \
	" counted EXCEPT SELECT * FROM cased))"
/* The number of cases the counts and their moves hold. */
#define TU_COUNTS_SUM                                                         \
	"SELECT (SELECT coalesce(sum(n), 0) FROM caseload_counts) +"          \
	" (SELECT coalesce(sum(d), 0) FROM caseload_moves)"
/* The same as text into buf ("" when no row). */
void tu_text(struct rcms_db *db, const char *sql, char *buf, size_t size);

/* Row counts of the tables a use case writes. */
struct tu_counts {
	int64_t cases, documents, notes, attachments, blobs, outbox, audit,
		meta;
};
void tu_counts(struct rcms_db *db, struct tu_counts *out);
/* Fail the test unless a and b are equal, naming the table that differs. */
void tu_counts_equal(const struct tu_counts *a, const struct tu_counts *b);

/* A fresh folder under $TMPDIR (or /tmp) into buf; fails the test on
 * error.  tu_rmrf removes a folder and everything in it. */
void tu_mkdtemp(char *buf, size_t size);
void tu_rmrf(const char *path);
/* Write n bytes to a new file at path (mode 0644); fails the test on
 * error. */
void tu_write_file(const char *path, const void *data, size_t n);

/* Is s a lower-case UUIDv7 in its text form? */
int tu_is_uuid7(const char *s);

#endif
