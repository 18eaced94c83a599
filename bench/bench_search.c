/*
 * bench_search.c - finding people: the labelled evaluation set of
 * duplicate persons, and search and duplicate-check times on a replica.
 *
 *   bench_search --eval [--persons N] [--hard N] [--seed S]
 *       A replica in memory with a labelled set made here: N persons
 *       (names from bench/names.h, the generator's pools) each written
 *       twice, the second time with one realistic variation, in turn:
 *       script (the name in its original script), transliteration (the
 *       MRZ's form), a typo (two letters swapped or one dropped), swapped
 *       order (surname and given name), a missing day or month, a
 *       romanisation variant (Mohammed for Muhammad, ch for ć ...); and N
 *       hard false pairs: two persons of the same common name and
 *       nationality, born in different years, with different passports.
 *       Every case is checked with db_duplicates as at its creation;
 *       prints the pairs found and missed, precision and recall, and the
 *       recall per variation.
 *
 *   bench_search --db PATH [--queries N] [--seed S]
 *       On an existing replica (a schema 4 one is migrated first: the
 *       time it takes is migration 5 indexing every case): N searches of
 *       a name of a random case as an officer types it, timed through
 *       db_search and as the bare FTS5 query of the same expression; N
 *       duplicate checks of a new case (db_case_create then
 *       db_duplicates in a batch that is rolled back); the index's size.
 *
 * Prints "key value" lines on stdout for bench/run.sh.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "app/app.h"
#include "db/db.h"

#include "bench/names.h"

/* ---- random numbers (xorshift64*) ------------------------------------- */

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t rnd64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t rnd(size_t n)
{
	return n ? (size_t)(rnd64() % n) : 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int die(const char *what, const struct rcms_err *err)
{
	fprintf(stderr, "bench_search: %s: %s\n", what,
		err ? rcms_err_msg(err) : "failed");
	return 1;
}

/* The nationality of each pool of names.h, in its order. */
static const char *const pool_nat[] = {"SRB", "ALB", "BIH", "MKD", "MNE",
				       "AFG", "PAK", "BGD", "MAR"};

/* ---- the labelled evaluation set ------------------------------------- */

enum variation {
	V_SCRIPT, V_TRANSLIT, V_TYPO, V_SWAP, V_PARTIAL_DATE, V_ROMAN,
	V__COUNT
};
static const char *const variation_names[V__COUNT] = {
	"script", "transliteration", "typo", "swapped order",
	"missing day or month", "romanisation variant",
};

struct person {
	char sur[RCMS_NAME_LEN], given[RCMS_NAME_LEN];
	const char *sur_native, *given_native;
	struct rcms_pdate birth;
	char nat[4];
	char doc[16];
};

/* The MRZ's form of a name, with spaces for fillers. */
static void mrz_form(const char *s, char *out, size_t size)
{
	char *p;

	if (rcms_translit_mrz(s, out, size) != RCMS_OK) {
		snprintf(out, size, "%s", s);
		return;
	}
	for (p = out; *p; p++)
		if (*p == '<')
			*p = ' ';
}

/* A typo in an ASCII name: two letters swapped, or one dropped. */
static void typo(const char *s, char *out, size_t size)
{
	char a[RCMS_NAME_LEN];
	size_t n, i;

	mrz_form(s, a, sizeof(a));
	n = strlen(a);
	if (n < 5) {
		snprintf(out, size, "%s", a);
		return;
	}
	i = 1 + rnd(n - 3);
	if (a[i] == ' ' || a[i + 1] == ' ') {
		snprintf(out, size, "%s", a);
		return;
	}
	if (rnd(2)) {
		char t = a[i];
		a[i] = a[i + 1];
		a[i + 1] = t;
	} else {
		memmove(a + i, a + i + 1, n - i);
	}
	snprintf(out, size, "%s", a);
}

/* Romanisation variants: the first rule that applies. */
static void roman(const char *s, char *out, size_t size)
{
	static const char *const rules[][2] = {
		{"Muhammad", "Mohammed"}, {"Mohammad", "Muhammad"},
		{"Mohammed", "Mohamed"}, {"Ahmad", "Ahmed"}, {"Ahmed", "Ahmad"},
		{"Hussain", "Hussein"}, {"Hussein", "Husain"},
		{"Husain", "Hussain"}, {"Hassan", "Hasan"},
		{"Abdul", "Abdel"}, {"Abdel", "Abd al-"}, {"Yusuf", "Yousef"},
		{"Yousef", "Yusuf"}, {"Mahmood", "Mahmud"},
		{"Mahmud", "Mehmood"}, {"Rahman", "Rehman"},
		{"Osman", "Usman"}, {"Usman", "Uthman"}, {"Ali", "Aly"},
		{"ou", "u"}, {"ee", "i"}, {"ć", "ch"}, {"č", "ch"},
		{"š", "sh"}, {"ž", "zh"}, {"đ", "dj"}, {"Đ", "Dj"},
		{"Š", "Sh"}, {"Ž", "Zh"}, {"Č", "Ch"}, {"ë", "e"}, {"ç", "c"},
		{"Ç", "C"}, {"sh", "š"}, {"ch", "č"}, {"j", "y"}, {NULL, NULL},
	};
	size_t i;

	for (i = 0; rules[i][0]; i++) {
		const char *p = strstr(s, rules[i][0]);
		if (p) {
			snprintf(out, size, "%.*s%s%s", (int)(p - s), s,
				 rules[i][1], p + strlen(rules[i][0]));
			return;
		}
	}
	mrz_form(s, out, size);
}

static void random_person(struct person *p, size_t pool, bool common)
{
	const struct gen_pool *g = &gen_pools[pool];
	const struct gen_name *sur, *giv;
	bool male = rnd(3) != 0;
	const struct gen_name *gl = male ? g->male : g->female;
	size_t gn = male ? g->nmale : g->nfemale;

	sur = &g->surnames[common ? rnd(2) : rnd(g->nsurnames)];
	giv = &gl[common ? 0 : rnd(gn)];
	snprintf(p->sur, sizeof(p->sur), "%s", sur->latin);
	snprintf(p->given, sizeof(p->given), "%s", giv->latin);
	p->sur_native = sur->native;
	p->given_native = giv->native;
	p->birth.year = 1960 + (int)rnd(46);
	p->birth.month = 1 + (int)rnd(12);
	p->birth.day = 1 + (int)rnd(28);
	snprintf(p->nat, sizeof(p->nat), "%s", pool_nat[pool]);
	snprintf(p->doc, sizeof(p->doc), "%c%c%07u", 'A' + (int)rnd(26),
		 'A' + (int)rnd(26), (unsigned)rnd(10000000));
}

/* Create a case of person p as varied by v (-1: as it is). */
static enum rcms_status add_case(struct db_ctx *ctx, const struct person *p,
				 int v, bool with_doc, char ref[RCMS_REF_LEN],
				 struct rcms_err *err)
{
	struct rcms_case *c = malloc(sizeof(*c));
	struct rcms_document d;
	char sur[RCMS_NAME_LEN], giv[RCMS_NAME_LEN];
	enum rcms_status st;

	if (!c)
		return RCMS_ERR_NOMEM;
	rcms_case_init(c);
	snprintf(sur, sizeof(sur), "%s", p->sur);
	snprintf(giv, sizeof(giv), "%s", p->given);
	c->person.birth_date = p->birth;
	switch (v) {
	case V_SCRIPT:
		snprintf(sur, sizeof(sur), "%s", p->sur_native);
		snprintf(giv, sizeof(giv), "%s", p->given_native);
		break;
	case V_TRANSLIT:
		mrz_form(p->sur, sur, sizeof(sur));
		mrz_form(p->given, giv, sizeof(giv));
		break;
	case V_TYPO:
		typo(p->sur, sur, sizeof(sur));
		break;
	case V_SWAP:
		snprintf(sur, sizeof(sur), "%s", p->given);
		snprintf(giv, sizeof(giv), "%s", p->sur);
		break;
	case V_PARTIAL_DATE:
		c->person.birth_date.day = 0;
		if (rnd(2))
			c->person.birth_date.month = 0;
		break;
	case V_ROMAN:
		roman(p->sur, sur, sizeof(sur));
		if (strcmp(sur, p->sur) == 0)
			mrz_form(p->sur, sur, sizeof(sur));
		roman(p->given, giv, sizeof(giv));
		break;
	default:
		break;
	}
	snprintf(c->person.surnames, sizeof(c->person.surnames), "%s", sur);
	snprintf(c->person.given_names, sizeof(c->person.given_names), "%s",
		 giv);
	snprintf(c->person.nationality, sizeof(c->person.nationality), "%s",
		 p->nat);
	rcms_document_init(&d);
	d.type = RCMS_DOC_PASSPORT;
	snprintf(d.number, sizeof(d.number), "%s", p->doc);
	snprintf(d.issuing_state, sizeof(d.issuing_state), "%s", p->nat);
	st = db_case_create(ctx, c, &d, with_doc ? 1 : 0, err);
	if (!st)
		snprintf(ref, RCMS_REF_LEN, "%s", c->local_ref);
	free(c);
	return st;
}

struct label {
	char ref[RCMS_REF_LEN];
	int person;     /* the same number: the same person */
	int variation;  /* of the second case of a true pair; -1 */
};

struct eval_state {
	const struct label *labels;
	size_t n;
	int me;
	int found_true;
	int found_false;
	/* pairs are counted once, from the later case of the two */
	size_t my_index;
};

static int ref_index(const struct label *l, size_t n, const char *ref)
{
	size_t i;

	/* references are "...-000123": the number is the index + 1 */
	const char *p = strrchr(ref, '-');
	if (p) {
		long k = strtol(p + 1, NULL, 10) - 1;
		if (k >= 0 && (size_t)k < n && strcmp(l[k].ref, ref) == 0)
			return (int)k;
	}
	for (i = 0; i < n; i++)
		if (strcmp(l[i].ref, ref) == 0)
			return (int)i;
	return -1;
}

static int eval_hit(const struct db_dup_hit *h, void *arg)
{
	struct eval_state *es = arg;
	int k = ref_index(es->labels, es->n, h->local_ref);

	if (k < 0 || (size_t)k > es->my_index)
		return 0;  /* counted from the other side */
	if (es->labels[k].person == es->me)
		es->found_true++;
	else
		es->found_false++;
	return 0;
}

static int run_eval(int persons, int hard)
{
	struct rcms_db *db = NULL;
	struct rcms_err err;
	struct db_init_args ia;
	struct db_ctx ctx;
	struct label *labels;
	size_t n = 0, i, total = (size_t)(2 * persons + 2 * hard);
	int tp = 0, fp = 0, pairs = persons, v;
	int per_v[V__COUNT] = {0}, per_v_found[V__COUNT] = {0};
	int hard_fp = 0;
	double t0, dup_ms = 0.0;

	labels = calloc(total, sizeof(*labels));
	if (!labels)
		return die("memory", NULL);
	if (db_open(":memory:", NULL, DB_OPEN_CREATE, &db, &err))
		return die("open", &err);
	memset(&ia, 0, sizeof(ia));
	ia.agency = "RS-MUP";
	ia.workstation = "W01";
	ia.admin_user = "admin";
	ia.admin_password = "bench-password-2026";
	ia.argon2_t_cost = 1;
	ia.argon2_m_cost_kib = 64;
	ia.now = INT64_C(1772445600);
	if (db_init(db, &ia, &err))
		return die("init", &err);
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.now = ia.now + 3600;
	snprintf(ctx.user.username, sizeof(ctx.user.username), "officer");
	snprintf(ctx.user.agency, sizeof(ctx.user.agency), "RS-MUP");
	ctx.user.role = RCMS_ROLE_OFFICER;
	ctx.user.enabled = true;

	if (db_batch_begin(db, &err))
		return die("batch", &err);
	/* true pairs */
	for (i = 0; i < (size_t)persons; i++) {
		struct person p;
		random_person(&p, rnd(GEN_N(gen_pools)), false);
		v = (int)(i % V__COUNT);
		if (add_case(&ctx, &p, -1, true, labels[n].ref, &err))
			return die("case", &err);
		labels[n].person = (int)i;
		labels[n++].variation = -1;
		if (add_case(&ctx, &p, v, rnd(2) != 0, labels[n].ref, &err))
			return die("case", &err);
		labels[n].person = (int)i;
		labels[n++].variation = v;
	}
	/* hard false pairs: the same common name, other years and passports */
	for (i = 0; i < (size_t)hard; i++) {
		struct person p, q;
		size_t pool = rnd(GEN_N(gen_pools));
		random_person(&p, pool, true);
		q = p;
		q.birth.year = p.birth.year + 2 + (int)rnd(20);
		if (q.birth.year > 2008)
			q.birth.year = p.birth.year - 2 - (int)rnd(20);
		snprintf(q.doc, sizeof(q.doc), "%c%c%07u", 'A' + (int)rnd(26),
			 'A' + (int)rnd(26), (unsigned)rnd(10000000));
		if (add_case(&ctx, &p, -1, true, labels[n].ref, &err))
			return die("case", &err);
		labels[n].person = persons + 2 * (int)i;
		labels[n++].variation = -1;
		if (add_case(&ctx, &q, -1, true, labels[n].ref, &err))
			return die("case", &err);
		labels[n].person = persons + 2 * (int)i + 1;
		labels[n++].variation = -2;  /* a hard false partner */
	}
	if (db_batch_commit(db, &err))
		return die("commit", &err);

	/* every case checked as at its creation: the pairs it finds among
	 * the cases before it */
	for (i = 0; i < n; i++) {
		struct eval_state es = {labels, n, labels[i].person, 0, 0, i};
		struct db_dup_opts o = {.limit = 50};
		t0 = now_ms();
		if (db_duplicates(&ctx, labels[i].ref, &o, eval_hit, &es, &err))
			return die("duplicates", &err);
		dup_ms += now_ms() - t0;
		tp += es.found_true;
		fp += es.found_false;
		if (labels[i].variation >= 0) {
			per_v[labels[i].variation]++;
			per_v_found[labels[i].variation] += es.found_true > 0;
		}
		if (labels[i].variation == -2)
			hard_fp += es.found_false > 0;
	}
	printf("eval_persons %d\n", persons);
	printf("eval_true_pairs %d\n", pairs);
	printf("eval_hard_false_pairs %d\n", hard);
	printf("eval_cases %zu\n", n);
	printf("eval_found_true %d\n", tp);
	printf("eval_found_false %d\n", fp);
	printf("eval_hard_false_found %d\n", hard_fp);
	printf("eval_precision %.3f\n", tp + fp ? (double)tp / (tp + fp) : 0.0);
	printf("eval_recall %.3f\n", pairs ? (double)tp / pairs : 0.0);
	for (v = 0; v < V__COUNT; v++) {
		char key[64], *p;
		snprintf(key, sizeof(key), "%s", variation_names[v]);
		for (p = key; *p; p++)
			if (*p == ' ')
				*p = '_';
		printf("eval_recall_%s %.3f\n", key,
		       per_v[v] ? (double)per_v_found[v] / per_v[v] : 0.0);
	}
	printf("eval_dup_check_ms_mean %.2f\n", n ? dup_ms / (double)n : 0.0);
	db_close(&db);
	free(labels);
	return 0;
}

/* ---- times on a replica ----------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	int r;

	if (n == 0)
		return 0.0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	r = (int)(p * n + 0.999999);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return v[r - 1];
}

static int count_hit(const struct db_search_hit *h, void *arg)
{
	(void)h;
	(*(int *)arg)++;
	return 0;
}

static int count_dup(const struct db_dup_hit *h, void *arg)
{
	(void)h;
	(*(int *)arg)++;
	return 0;
}

static int run_replica(const char *path, int queries)
{
	static const char bare_sql[] =
		"SELECT rowid FROM search_fts WHERE search_fts MATCH ?1"
		" ORDER BY bm25(search_fts, 10.0, 4.0, 1.0, 8.0, 8.0, 0.0)"
		" LIMIT 20";
	struct rcms_db *db = NULL;
	struct rcms_err err;
	struct db_ctx ctx;
	sqlite3 *sql;
	sqlite3_stmt *pick = NULL, *bare = NULL;
	double *ts = NULL, *tb = NULL, *td = NULL, *tc = NULL, t0;
	double migrate_ms;
	int64_t maxrow = 0;
	int i, hits_total = 0, dups_total = 0;
	struct db_search_query *q = malloc(sizeof(*q));

	ts = calloc((size_t)queries, sizeof(double));
	tb = calloc((size_t)queries, sizeof(double));
	td = calloc((size_t)queries, sizeof(double));
	tc = calloc((size_t)queries, sizeof(double));
	if (!ts || !tb || !td || !tc || !q)
		return die("memory", NULL);
	t0 = now_ms();
	if (db_open(path, NULL, 0, &db, &err))
		return die("open", &err);
	migrate_ms = now_ms() - t0;
	sql = db_raw(db);
	sqlite3_exec(sql, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.now = INT64_C(1795000000);
	snprintf(ctx.user.username, sizeof(ctx.user.username), "bench");
	snprintf(ctx.user.agency, sizeof(ctx.user.agency), "RS-MUP");
	ctx.user.role = RCMS_ROLE_OFFICER;
	ctx.user.enabled = true;
	if (sqlite3_prepare_v2(sql, "SELECT max(rowid) FROM cases", -1, &pick,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(pick) != SQLITE_ROW)
		return die("cases", NULL);
	maxrow = sqlite3_column_int64(pick, 0);
	sqlite3_finalize(pick);
	if (sqlite3_prepare_v2(sql,
			       "SELECT surnames, given_names, nationality,"
			       " birth_date FROM cases WHERE rowid >= ?1"
			       " ORDER BY rowid LIMIT 1", -1, &pick,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sql, bare_sql, -1, &bare, NULL) != SQLITE_OK)
		return die(sqlite3_errmsg(sql), NULL);

	for (i = 0; i < queries; i++) {
		char query[2 * RCMS_NAME_LEN + 2];
		struct db_search_opts o = {.limit = 20};
		int hits = 0;

		sqlite3_bind_int64(pick, 1, 1 + (int64_t)rnd((size_t)maxrow));
		if (sqlite3_step(pick) != SQLITE_ROW) {
			sqlite3_reset(pick);
			i--;
			continue;
		}
		/* the surname and the first given name, as typed; one in
		 * four in lower case without diacritics */
		{
			const char *sur = (const char *)sqlite3_column_text(pick, 0);
			const char *giv = (const char *)sqlite3_column_text(pick, 1);
			char g1[RCMS_NAME_LEN];
			size_t l = strcspn(giv ? giv : "", " ");
			snprintf(g1, sizeof(g1), "%.*s", (int)l, giv ? giv : "");
			snprintf(query, sizeof(query), "%s %s", sur ? sur : "",
				 g1);
		}
		sqlite3_reset(pick);
		o.query = query;
		t0 = now_ms();
		if (db_search(&ctx, &o, count_hit, &hits, &err))
			return die("search", &err);
		ts[i] = now_ms() - t0;
		hits_total += hits;

		t0 = now_ms();
		if (db_search_parse(query, q, &err))
			return die("parse", &err);
		sqlite3_bind_text(bare, 1, q->match, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(bare) == SQLITE_ROW)
			;
		sqlite3_reset(bare);
		tb[i] = now_ms() - t0;
	}

	/* duplicate checks of new cases, in a batch that is rolled back */
	for (i = 0; i < queries; i++) {
		struct rcms_case *c = malloc(sizeof(*c));
		struct db_dup_opts o = {.limit = 10};
		struct person p;
		int n = 0;

		if (!c)
			return die("memory", NULL);
		random_person(&p, rnd(GEN_N(gen_pools)), false);
		rcms_case_init(c);
		snprintf(c->person.surnames, sizeof(c->person.surnames), "%s",
			 p.sur);
		snprintf(c->person.given_names, sizeof(c->person.given_names),
			 "%s", p.given);
		snprintf(c->person.nationality, sizeof(c->person.nationality),
			 "%s", p.nat);
		c->person.birth_date = p.birth;
		if (db_batch_begin(db, &err))
			return die("batch", &err);
		t0 = now_ms();
		if (db_case_create(&ctx, c, NULL, 0, &err))
			return die("create", &err);
		tc[i] = now_ms() - t0;
		t0 = now_ms();
		if (db_duplicates(&ctx, c->local_ref, &o, count_dup, &n, &err))
			return die("duplicates", &err);
		td[i] = now_ms() - t0;
		dups_total += n;
		db_batch_rollback(db);
		free(c);
	}

	printf("search_queries %d\n", queries);
	printf("search_open_ms %.0f\n", migrate_ms);
	printf("search_hits_mean %.1f\n", (double)hits_total / queries);
	{
		double s50 = pct(ts, queries, 0.50), s95 = pct(ts, queries, 0.95);
		double b50 = pct(tb, queries, 0.50), b95 = pct(tb, queries, 0.95);
		printf("search_p50_ms %.2f\n", s50);
		printf("search_p95_ms %.2f\n", s95);
		printf("search_bare_p50_ms %.2f\n", b50);
		printf("search_bare_p95_ms %.2f\n", b95);
		printf("search_ratio_p50 %.2f\n", b50 > 0 ? s50 / b50 : 0.0);
	}
	printf("dup_create_p50_ms %.2f\n", pct(tc, queries, 0.50));
	printf("dup_check_p50_ms %.2f\n", pct(td, queries, 0.50));
	printf("dup_check_p95_ms %.2f\n", pct(td, queries, 0.95));
	printf("dup_found_mean %.2f\n", (double)dups_total / queries);
	{
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(sql,
				       "SELECT sum(pgsize) FROM dbstat WHERE"
				       " name LIKE 'search%'", -1, &s,
				       NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			printf("search_index_bytes %lld\n",
			       (long long)sqlite3_column_int64(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_finalize(pick);
	sqlite3_finalize(bare);
	db_close(&db);
	free(ts);
	free(tb);
	free(td);
	free(tc);
	free(q);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"eval", no_argument, NULL, 'e'},
		{"persons", required_argument, NULL, 'p'},
		{"hard", required_argument, NULL, 'h'},
		{"seed", required_argument, NULL, 's'},
		{"db", required_argument, NULL, 'd'},
		{"queries", required_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	bool eval = false;
	long persons = 3000, hard = 1000, queries = 200, seed = 1;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		long v = 0;
		if (optarg && o != 'd') {
			v = strtol(optarg, &end, 10);
			if (!end || *end || v < 0 || v > 10000000) {
				fprintf(stderr, "bench_search: bad number "
						"'%s'\n", optarg);
				return 64;
			}
		}
		switch (o) {
		case 'e': eval = true; break;
		case 'p': persons = v; break;
		case 'h': hard = v; break;
		case 's': seed = v; break;
		case 'd': db = optarg; break;
		case 'q': queries = v > 0 ? v : 1; break;
		default:
			fprintf(stderr, "usage: bench_search --eval [--persons N]"
					" [--hard N] [--seed S] | --db PATH "
					"[--queries N]\n");
			return 64;
		}
	}
	rng_state ^= (uint64_t)seed * 0x9e3779b97f4a7c15ULL;
	if (eval)
		return run_eval((int)persons, (int)hard);
	if (db)
		return run_replica(db, (int)queries);
	fprintf(stderr, "bench_search: --eval or --db PATH\n");
	return 64;
}
