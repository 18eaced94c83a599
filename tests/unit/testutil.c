/* testutil.c - helpers shared by the unit tests (see testutil.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tests/unit/testutil.h"

const struct db_password_cost tu_cost = {.t_cost = 1, .m_cost_kib = 64};

static void agreement_base(struct rcms_agreement *a, const char *code,
			   const char *name, const char *countries)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->code, sizeof(a->code), "%s", code);
	snprintf(a->name, sizeof(a->name), "%s", name);
	snprintf(a->countries, sizeof(a->countries), "%s", countries);
	a->reply = (struct rcms_period){10, RCMS_PERIOD_CALENDAR_DAYS};
	a->reply_accelerated = (struct rcms_period){2, RCMS_PERIOD_WORKING_DAYS};
	a->extension_max_days = 6;
	a->silence_accepts = true;
	a->transfer = (struct rcms_period){3, RCMS_PERIOD_MONTHS};
	a->transit_reply = (struct rcms_period){5, RCMS_PERIOD_CALENDAR_DAYS};
	a->transit = (struct rcms_period){30, RCMS_PERIOD_CALENDAR_DAYS};
	snprintf(a->source, sizeof(a->source), "%s", "test");
}

void tu_agreement_wb(struct rcms_agreement *a)
{
	agreement_base(a, "EU-WB", "EU - Western Balkans (test)",
		       "AL BA ME MK RS");
}

void tu_agreement_pk(struct rcms_agreement *a)
{
	agreement_base(a, "EU-PK", "EU - Pakistan (test)", "PK");
	a->reply.n = 30;
	a->extension_max_days = 30;
}

void tu_agreement_afbd(struct rcms_agreement *a)
{
	agreement_base(a, "EU-AFBD", "EU - Afghanistan, Bangladesh (test)",
		       "AF BD");
	a->silence_accepts = false;
}

void tu_init_args(struct db_init_args *a)
{
	static struct rcms_agreement agr[3];

	tu_agreement_wb(&agr[0]);
	tu_agreement_pk(&agr[1]);
	tu_agreement_afbd(&agr[2]);
	memset(a, 0, sizeof(*a));
	a->agency = TU_AGENCY;
	a->agency_name = "Ministry of the Interior";
	a->workstation = TU_WORKSTATION;
	a->admin_user = TU_ADMIN;
	a->admin_full_name = "Ada Admin";
	a->admin_password = TU_PASSWORD;
	a->agreements = agr;
	a->n_agreements = 3;
	a->argon2_t_cost = tu_cost.t_cost;
	a->argon2_m_cost_kib = tu_cost.m_cost_kib;
	a->now = TU_NOW;
}

struct rcms_db *tu_db_new(const char *path, const char *data_dir)
{
	struct rcms_db *db = NULL;
	struct db_init_args a;
	struct rcms_err err = {0};

	if (db_open(path, data_dir, DB_OPEN_CREATE, &db, &err) != RCMS_OK)
		fail_msg("db_open %s: %s", path, rcms_err_msg(&err));
	tu_init_args(&a);
	if (db_init(db, &a, &err) != RCMS_OK)
		fail_msg("db_init: %s", rcms_err_msg(&err));
	tu_directory_sent(db);
	return db;
}

/* The fixture's accounts are the agency directory's already: their
 * operations (user.create) are gone, so that the tests count the
 * outbox of what they do themselves.  test_directory tests those. */
void tu_directory_sent(struct rcms_db *db)
{
	tu_exec(db, "DELETE FROM outbox WHERE type LIKE 'user.%'");
}

void tu_ctx(struct db_ctx *ctx, struct rcms_db *db, const char *user,
	    enum rcms_role role, const char *agency)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->db = db;
	ctx->now = TU_NOW;
	snprintf(ctx->user.username, sizeof(ctx->user.username), "%s", user);
	ctx->user.role = role;
	snprintf(ctx->user.agency, sizeof(ctx->user.agency), "%s", agency);
	ctx->user.enabled = true;
}

void tu_user_add(struct rcms_db *db, const char *name, enum rcms_role role)
{
	struct db_ctx admin;
	struct db_user u;
	struct rcms_err err = {0};

	tu_ctx(&admin, db, TU_ADMIN, RCMS_ROLE_ADMIN, TU_AGENCY);
	memset(&u, 0, sizeof(u));
	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.full_name, sizeof(u.full_name), "Test %s", name);
	u.role = role;
	if (db_user_add(&admin, &u, TU_PASSWORD, &tu_cost, &err) != RCMS_OK)
		fail_msg("db_user_add %s: %s", name, rcms_err_msg(&err));
	tu_directory_sent(db);
}

void tu_case_fill(struct rcms_case *c, const char *surname)
{
	rcms_case_init(c);
	snprintf(c->requested_agency, sizeof(c->requested_agency), "PK-MOI");
	snprintf(c->person.surnames, sizeof(c->person.surnames), "%s",
		 surname ? surname : "KHAN");
	snprintf(c->person.given_names, sizeof(c->person.given_names), "ALI");
	c->person.birth_date = (struct rcms_pdate){1990, 3, 14};
	snprintf(c->person.nationality, sizeof(c->person.nationality), "PAK");
	c->evidence_basis = RCMS_EVID_PROOF;
}

int tu_exec_rc(struct rcms_db *db, const char *sql)
{
	return sqlite3_exec(db_raw(db), sql, NULL, NULL, NULL);
}

void tu_exec(struct rcms_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db_raw(db), sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		char copy[256];
		snprintf(copy, sizeof(copy), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		fail_msg("SQL failed (%s): %s", copy, sql);
	}
}

int64_t tu_int(struct rcms_db *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;
	int rc = sqlite3_prepare_v2(db_raw(db), sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		fail_msg("cannot prepare %s: %s", sql,
			 sqlite3_errmsg(db_raw(db)));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

void tu_text(struct rcms_db *db, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db_raw(db), sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		fail_msg("cannot prepare %s: %s", sql,
			 sqlite3_errmsg(db_raw(db)));
	buf[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(buf, size, "%s",
			 (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

void tu_counts(struct rcms_db *db, struct tu_counts *out)
{
	out->cases = tu_int(db, "SELECT count(*) FROM cases");
	out->documents = tu_int(db, "SELECT count(*) FROM documents");
	out->notes = tu_int(db, "SELECT count(*) FROM notes");
	out->attachments = tu_int(db, "SELECT count(*) FROM attachments");
	out->blobs = tu_int(db, "SELECT count(*) FROM blobs");
	out->outbox = tu_int(db, "SELECT count(*) FROM outbox");
	out->audit = tu_int(db, "SELECT count(*) FROM audit");
	/* the reference counters live in meta: a failed create must not
	 * consume a number */
	out->meta = tu_int(db, "SELECT total(CAST(value AS INTEGER)) FROM meta"
			       " WHERE key LIKE 'ref_counter.%'");
}

void tu_counts_equal(const struct tu_counts *a, const struct tu_counts *b)
{
#define TU_SAME(f)                                                            \
	do {                                                                  \
		if (a->f != b->f)                                             \
			fail_msg("%s: %lld before, %lld after", #f,           \
				 (long long)a->f, (long long)b->f);           \
	} while (0)
	TU_SAME(cases);
	TU_SAME(documents);
	TU_SAME(notes);
	TU_SAME(attachments);
	TU_SAME(blobs);
	TU_SAME(outbox);
	TU_SAME(audit);
	TU_SAME(meta);
#undef TU_SAME
}

void tu_mkdtemp(char *buf, size_t size)
{
	const char *t = getenv("TMPDIR");
	int n = snprintf(buf, size, "%s/rcms-test.XXXXXX",
			 t && *t ? t : "/tmp");

	if (n < 0 || (size_t)n >= size)
		fail_msg("temporary folder name too long");
	if (!mkdtemp(buf))
		fail_msg("mkdtemp %s: %s", buf, strerror(errno));
}

void tu_rmrf(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	char sub[4096];

	if (!path || !*path || lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			tu_rmrf(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

void tu_write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	const char *p = data;

	if (fd < 0)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			fail_msg("cannot write %s: %s", path, strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
	close(fd);
}

int tu_is_uuid7(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
			     (s[i] >= 'a' && s[i] <= 'f'))) {
			return 0;
		}
	}
	return s[14] == '7' && strchr("89ab", s[19]) != NULL;
}
