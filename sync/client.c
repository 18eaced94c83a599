/* client.c - what push and pull send and how their answers are applied:
 * a batch of the outbox as JSON, the exchange's results, a page of the
 * feed.  The requests themselves are engine.c's. */
#include "app/jsonw.h"
#include "sync/sync.h"
#include "sync/wire.h"
#include "sync/sync_priv.h"

#include <curl/curl.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#define PUSH_BATCH 500

/* No passphrase: a key that asks for one is refused, never prompted for
 * on the terminal. */
static int no_passphrase(char *buf, int size, int rw, void *arg)
{
	(void)buf, (void)size, (void)rw, (void)arg;
	return 0;
}

/*
 * The workstation's private key from its PEM file; of TYPE ("EC", as the
 * certificate says), or, TYPE NULL, of whatever type.  OpenSSL 3 (3.0 at
 * least) decodes a key of unknown type by trying every decoder of every
 * provider in turn; with the type given it goes straight to its own, and
 * a sync with nothing to do spent a tenth of its instructions on that
 * search.  What OpenSSL says about a key it refuses is not printed.
 */
static EVP_PKEY *load_key(const char *path, const char *type)
{
	OSSL_DECODER_CTX *d;
	EVP_PKEY *pk = NULL;
	BIO *b;

	if (!(b = BIO_new_file(path, "r")))
		return NULL;
	if (!type) {
		pk = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL);
	} else if ((d = OSSL_DECODER_CTX_new_for_pkey(&pk, "PEM", NULL, type,
						     EVP_PKEY_KEYPAIR, NULL,
						     NULL))) {
		if (!OSSL_DECODER_from_bio(d, b)) {
			EVP_PKEY_free(pk);
			pk = NULL;
		}
		OSSL_DECODER_CTX_free(d);
	}
	BIO_free(b);
	return pk;
}

/* KEY into CTX, and matching its certificate; KEY is freed. */
static bool use_key(SSL_CTX *ctx, EVP_PKEY *key)
{
	bool ok = key && SSL_CTX_use_PrivateKey(ctx, key) == 1 &&
		  SSL_CTX_check_private_key(ctx) == 1;

	EVP_PKEY_free(key);
	return ok;
}

/* libcurl's SSL_CTX, before its first connection: the workstation's
 * certificate chain and its key, what CURLOPT_SSLCERT and CURLOPT_SSLKEY
 * would load.  The key by its certificate's type first; any key that
 * way does not take (another PEM layout) the general way, as libcurl
 * would, so that every key that worked before still does. */
static CURLcode tls_ctx(CURL *e, void *ssl_ctx, void *arg)
{
	const struct sync_conf *conf = arg;
	SSL_CTX *ctx = ssl_ctx;
	const char *type;
	X509 *x;
	bool ok;

	(void)e;
	if (SSL_CTX_use_certificate_chain_file(ctx, conf->cert) != 1 ||
	    !(x = SSL_CTX_get0_certificate(ctx)))
		return CURLE_SSL_CERTPROBLEM;
	type = EVP_PKEY_get0_type_name(X509_get0_pubkey(x));
	ERR_set_mark();
	ok = type && use_key(ctx, load_key(conf->key, type));
	ERR_pop_to_mark();
	if (!ok)
		ok = use_key(ctx, load_key(conf->key, NULL));
	return ok ? CURLE_OK : CURLE_SSL_CERTPROBLEM;
}

/* libcurl's TLS is the OpenSSL rcms links with: its SSL_CTX can be
 * handed to tls_ctx (another backend's context is something else). */
static bool curl_has_openssl(void)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

	return v && v->ssl_version &&
	       strncmp(v->ssl_version, "OpenSSL/3.", 10) == 0 &&
	       OPENSSL_version_major() == 3;
}

void sync_tls(CURL *e, const struct sync_conf *conf)
{
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	/* conf outlives the handle's requests (the engine's own copy, or
	 * sync_get's caller's) */
	if (curl_has_openssl() &&
	    curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, tls_ctx) ==
		    CURLE_OK) {
		curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, (void *)conf);
	} else {
		curl_easy_setopt(e, CURLOPT_SSLCERT, conf->cert);
		curl_easy_setopt(e, CURLOPT_SSLKEY, conf->key);
	}
	curl_easy_setopt(e, CURLOPT_CAINFO, conf->ca);
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	if (conf->pin[0])
		curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, conf->pin);
	/* verification is never switched off */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, conf->connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, conf->timeout);
	/* idle: less than a byte a second for idle_timeout seconds ends a
	 * request, whatever its size (a server that accepts and never
	 * answers, a link that died without a reset) */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
			 conf->idle_timeout > 0 ? conf->idle_timeout : 30L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "rcms/" RCMS_VERSION);
}

/* A string member of a JSON object, or NULL. */
static const char *jstr(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

/* A 401 or 403: the exchange refused the certificate (or the workstation
 * was retired); its words in rep->problem. */
static enum rcms_status refused(const char *conf_cert, const char *text,
				struct sync_report *rep, struct rcms_err *err);

void sync_problem_text(const char *text, char *out, size_t size)
{
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	const char *t = jstr(j, "title");
	const char *d = jstr(j, "detail");

	snprintf(out, size, "%s%s%s", t ? t : "refused", d ? ": " : "",
		 d ? d : "");
	cJSON_Delete(j);
}

/* Is the problem of result r (or of a problem document r) urn:rcms:problem:NAME? */
static bool is_problem(const cJSON *r, const char *name)
{
	const cJSON *p = cJSON_GetObjectItem(r, "problem");
	const char *t = jstr(p ? p : r, "type");
	static const char urn[] = "urn:rcms:problem:";

	return t && strncmp(t, urn, sizeof(urn) - 1) == 0 &&
	       strcmp(t + sizeof(urn) - 1, name) == 0;
}

bool sync_refused_retired(struct db_ctx *ctx, long status, const char *text,
			  struct sync_report *rep)
{
	cJSON *j, *res;
	char *kept;
	char why[512];
	int64_t n = 0;
	bool retired;

	if (status != 403 || !text)
		return false;
	j = cJSON_Parse(text);
	retired = is_problem(j, "workstation-retired");
	if (!retired) {
		cJSON_Delete(j);
		return false;
	}
	sync_problem_text(text, why, sizeof(why));
	/* kept as a push result would be: {"status": "rejected", problem} */
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "status", "rejected");
	cJSON_AddItemToObject(res, "problem", j);
	kept = cJSON_PrintUnformatted(res);
	cJSON_Delete(res);
	if (kept && db_outbox_refuse_all(ctx, kept, why, &n, NULL) == RCMS_OK)
		rep->rejected += n;
	cJSON_free(kept);
	return true;
}

/* ---- the agency directory ------------------------------------------------ */

enum rcms_status sync_dir_answer(struct db_ctx *ctx, const char *conf_cert,
				 long status, const char *text,
				 int64_t *cursor, bool *more,
				 struct sync_report *rep, struct rcms_err *err)
{
	cJSON *page, *users;
	const cJSON *u;
	struct db_dir_user *list = NULL;
	enum rcms_status st = RCMS_OK;
	size_t n = 0, changed = 0;
	const cJSON *next_j;
	int64_t next;

	*more = false;
	if (status == 401 || status == 403)
		return refused(conf_cert, text, rep, err);
	page = status == 200 && text ? cJSON_Parse(text) : NULL;
	users = cJSON_GetObjectItem(page, "users");
	next_j = cJSON_GetObjectItem(page, "next");
	if (!cJSON_IsArray(users) || !wire_int(next_j, &next) || next < 0) {
		cJSON_Delete(page);
		return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				    "the agency directory could not be read "
				    "(HTTP %ld)", status);
	}
	list = calloc((size_t)cJSON_GetArraySize(users) + 1, sizeof(*list));
	if (!list) {
		cJSON_Delete(page);
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	cJSON_ArrayForEach(u, users) {
		struct db_dir_user *d = &list[n];
		const char *name = jstr(u, "username"), *hash = jstr(u, "pw_hash");
		const char *role = jstr(u, "role"), *full = jstr(u, "full_name");
		const cJSON *en = cJSON_GetObjectItem(u, "enabled");
		const cJSON *sq = cJSON_GetObjectItem(u, "seq");
		int rv;

		/* what the exchange sends is checked as anything from
		 * outside: an account that is not one is refused whole */
		if (rcms_username_check(name, NULL) ||
		    rcms_pw_hash_check(hash, NULL) || !role ||
		    rcms_enum_parse(rcms_role_names, role, &rv) ||
		    !cJSON_IsBool(en) || !wire_int(sq, &d->seq) ||
		    (full && rcms_text_check(full, RCMS_NAME_LEN - 1,
					     RCMS_TEXT_SINGLE_LINE, "full name",
					     NULL))) {
			st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
					  "the agency directory holds an "
					  "account this workstation cannot "
					  "read; nothing of it was taken");
			goto out;
		}
		snprintf(d->username, sizeof(d->username), "%s", name);
		snprintf(d->full_name, sizeof(d->full_name), "%s",
			 full ? full : "");
		d->role = (enum rcms_role)rv;
		snprintf(d->pw_hash, sizeof(d->pw_hash), "%s", hash);
		d->enabled = cJSON_IsTrue(en);
		snprintf(d->updated_by, sizeof(d->updated_by), "%.60s",
			 jstr(u, "updated_by") ? jstr(u, "updated_by") : "");
		snprintf(d->updated_on, sizeof(d->updated_on), "%.32s",
			 jstr(u, "updated_on") ? jstr(u, "updated_on") : "");
		n++;
	}
	ctx->now = (int64_t)time(NULL);
	st = db_directory_apply(ctx, list, n, next,
				&changed, err);
	if (!st) {
		*cursor = next;
		*more = cJSON_IsTrue(cJSON_GetObjectItem(page, "more"));
		rep->accounts += (int64_t)changed;
	}
out:
	free(list);
	cJSON_Delete(page);
	return st;
}

static enum rcms_status refused(const char *conf_cert, const char *text,
				struct sync_report *rep, struct rcms_err *err)
{
	sync_problem_text(text, rep->problem, sizeof(rep->problem));
	return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
			    "the exchange refused this workstation's "
			    "certificate %s: %s", conf_cert, rep->problem);
}

/* ---- push ------------------------------------------------------------------ */

/*
 * A batch is written as text as its rows are read: the fields of each op
 * are the JSON text the outbox holds (checked well-formed by SQLite,
 * db_outbox_batch), not parsed into cJSON values and printed again, which
 * was the client's largest share of a push.
 */
#define ROLES_KNOWN 16

struct collect {
	struct rcms_jsonw w;
	int n;
	int64_t lo, hi;
	struct rcms_db *db;          /* for the actors' roles */
	struct {
		char actor[RCMS_USER_LEN];
		const char *role;    /* its role's name; NULL unknown */
	} known[ROLES_KNOWN];        /* the actors of this batch so far */
	int n_known, next_slot;
};

/* The role of an op's actor, for the exchange's permission check (its
 * half of app/perm.h).  An actor this replica does not know (an account
 * removed since) sends no role: the exchange counts it as an officer. */
static const char *actor_role(struct collect *c, const char *actor)
{
	struct db_user u;
	int i;

	for (i = 0; i < c->n_known; i++)
		if (strcmp(c->known[i].actor, actor) == 0)
			return c->known[i].role;
	if (c->n_known < ROLES_KNOWN) {
		i = c->n_known++;
	} else {
		i = c->next_slot;
		c->next_slot = (c->next_slot + 1) % ROLES_KNOWN;
	}
	snprintf(c->known[i].actor, sizeof(c->known[i].actor), "%s", actor);
	c->known[i].role = NULL;
	if (c->db && db_user_get(c->db, actor, &u, NULL) == RCMS_OK)
		c->known[i].role = rcms_enum_name(rcms_role_names,
						  (int)u.role);
	return c->known[i].role;
}

static int collect_op(const struct db_op *op, void *arg)
{
	struct collect *c = arg;
	struct rcms_jsonw *w = &c->w;
	const char *role = actor_role(c, op->actor);
	char t[32];

	if (!c->lo)
		c->lo = op->seq;
	c->hi = op->seq;
	rcms_jsonw_obj_begin(w);
	rcms_jsonw_kstr(w, "op_id", op->op_id);
	rcms_jsonw_kstr(w, "type", op->type);
	rcms_jsonw_kstr(w, "entity_id", op->entity_id);
	rcms_jsonw_kint(w, "base_rev", op->base_rev);
	rcms_jsonw_key(w, "fields");
	rcms_jsonw_raw(w, op->fields && op->fields[0] ? op->fields : "{}");
	rcms_jsonw_kstr(w, "actor", op->actor);
	if (role)
		rcms_jsonw_kstr(w, "role", role);
	rcms_time_format(op->device_time, t, sizeof(t));
	rcms_jsonw_kstr(w, "device_time", t);
	rcms_jsonw_obj_end(w);
	c->n++;
	return 0;
}

enum rcms_status sync_push_build(struct db_ctx *ctx, int64_t after,
				 char **body, int *n, int64_t *lo, int64_t *hi,
				 struct rcms_err *err)
{
	struct collect *c = calloc(1, sizeof(*c));
	enum rcms_status st;

	*body = NULL;
	*n = 0;
	if (!c)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	c->db = ctx->db;
	rcms_jsonw_init(&c->w);
	rcms_jsonw_obj_begin(&c->w);
	rcms_jsonw_key(&c->w, "ops");
	rcms_jsonw_arr_begin(&c->w);
	st = db_outbox_batch(ctx->db, after, PUSH_BATCH, collect_op, c, err);
	rcms_jsonw_arr_end(&c->w);
	rcms_jsonw_obj_end(&c->w);
	if (!st && c->n > 0) {
		if (rcms_jsonw_status(&c->w)) {
			st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		} else {
			*body = c->w.buf;      /* taken over */
			c->w.buf = NULL;
			*n = c->n;
			*lo = c->lo;
			*hi = c->hi;
		}
	}
	rcms_jsonw_free(&c->w);
	free(c);
	return st;
}

enum rcms_status sync_push_answer(struct db_ctx *ctx, const char *conf_cert,
				  long status, const char *text, int n_sent,
				  struct sync_report *rep,
				  struct rcms_err *err)
{
	struct db_push_result *res = NULL;
	char **texts = NULL;
	cJSON *ans = NULL;
	const cJSON *it, *r;
	enum rcms_status st = RCMS_OK;
	size_t n = 0, i;

	if (status == 401 || status == 403)
		return refused(conf_cert, text, rep, err);
	if (status != 200) {
		sync_problem_text(text, rep->problem, sizeof(rep->problem));
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "the exchange refused the batch (%ld): %s",
				    status, rep->problem);
	}
	ans = text ? cJSON_Parse(text) : NULL;
	it = cJSON_GetObjectItem(ans, "results");
	if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != n_sent) {
		st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				  "the exchange's answer does not match the "
				  "batch");
		goto out;
	}
	res = calloc((size_t)n_sent, sizeof(*res));
	texts = calloc((size_t)n_sent, sizeof(char *));
	if (!res || !texts) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	cJSON_ArrayForEach(r, it) {
		const char *s = cJSON_GetStringValue(
			cJSON_GetObjectItem(r, "status"));
		const char *ra = cJSON_GetStringValue(
			cJSON_GetObjectItem(r, "received_at"));
		const char *rd = cJSON_GetStringValue(
			cJSON_GetObjectItem(r, "reply_due"));
		res[n].op_id = cJSON_GetStringValue(
			cJSON_GetObjectItem(r, "op_id"));
		res[n].state = s ? s : "rejected";
		res[n].final_ref = cJSON_GetStringValue(
			cJSON_GetObjectItem(r, "final_ref"));
		if (ra)
			rcms_time_parse(ra, &res[n].received_at);
		if (rd)
			rcms_time_parse(rd, &res[n].reply_due);
		texts[n] = cJSON_PrintUnformatted(r);
		res[n].result = texts[n] ? texts[n] : "";
		{
			const char *da = jstr(r, "actor_disabled_at");
			if (da)
				rcms_time_parse(da, &res[n].actor_disabled_at);
		}
		if (s && strcmp(s, "rejected") == 0 &&
		    is_problem(r, "user-exists")) {
			/* an account the agency's directory has already:
			 * settled, the directory's version comes with this
			 * sync's pull (db_push_results reads it again) */
			res[n].state = "resolved";
			rep->superseded++;
		} else if (!s || strcmp(s, "applied") == 0) {
			rep->applied++;
		} else if (strcmp(s, "duplicate") == 0) {
			rep->duplicate++;
		} else if (strcmp(s, "conflict") == 0) {
			rep->conflict++;
		} else {
			rep->rejected++;
			if (!rep->problem[0]) {
				const cJSON *p = cJSON_GetObjectItem(r,
								     "problem");
				const char *d = cJSON_GetStringValue(
					cJSON_GetObjectItem(p, "detail"));
				const char *t = cJSON_GetStringValue(
					cJSON_GetObjectItem(p, "title"));
				snprintf(rep->problem, sizeof(rep->problem),
					 "%s%s%s", t ? t : "", d ? ": " : "",
					 d ? d : "");
			}
		}
		n++;
	}
	rep->pushed += (int64_t)n;
	st = db_push_results(ctx, res, n, err);
out:
	if (texts)
		for (i = 0; i < (size_t)n_sent; i++)
			cJSON_free(texts[i]);
	free(texts);
	free(res);
	cJSON_Delete(ans);
	return st;
}

/* ---- pull ------------------------------------------------------------------ */

/* A page of the feed is parsed into an arena (sync/arena.c): let go at
 * once, never value by value. */
static cJSON *page_parse(const char *text, struct wire_arena *a)
{
	cJSON *j;

	wire_arena_prepare();
	wire_arena_enter(a);
	j = cJSON_Parse(text);
	wire_arena_leave();
	return j;
}

struct keep {
	char names[64][40];
	const char *ptrs[64];
	size_t n;
	bool status;
};

/* Room for n cases in pg (its slots kept for the next page: megabytes,
 * given back and taken again, they were page faults every page); false
 * if out of memory. */
static bool page_room(struct sync_pull_page *pg, size_t n)
{
	if (n <= pg->cap)
		return true;
	free(pg->rcs);
	free(pg->keeps);
	free(pg->woff);
	pg->rcs = malloc(n * sizeof(*pg->rcs));
	pg->keeps = malloc(n * sizeof(*pg->keeps));
	pg->woff = malloc(n * sizeof(*pg->woff));
	if (!pg->wscratch)
		pg->wscratch = malloc(sizeof(*pg->wscratch));
	if (!pg->rcs || !pg->keeps || !pg->woff || !pg->wscratch) {
		free(pg->rcs);
		free(pg->keeps);
		free(pg->woff);
		pg->rcs = NULL;
		pg->keeps = NULL;
		pg->woff = NULL;
		pg->cap = 0;
		return false;
	}
	pg->cap = n;
	return true;
}

/* The records of the cases read into pg, let go; its slots kept. */
static void page_clear(struct sync_pull_page *pg)
{
	size_t k;

	for (k = 0; k < pg->n; k++) {
		free(pg->rcs[k].docs);
		free(pg->rcs[k].notes);
		free(pg->rcs[k].atts);
		free(pg->rcs[k].idchecks);
	}
	pg->n = 0;
	pg->wlen = 0;
}

void sync_pull_page_free(struct sync_pull_page *pg)
{
	page_clear(pg);
	free(pg->rcs);
	free(pg->keeps);
	free(pg->woff);
	free(pg->wbuf);
	free(pg->wscratch);
	memset(pg, 0, sizeof(*pg));
}

static int keep_op(const struct db_op *op, void *arg)
{
	struct keep *k = arg;
	cJSON *j, *f;
	const cJSON *it;

	if (strcmp(op->type, "case.transition") == 0) {
		k->status = true;
		return 0;
	}
	if (strcmp(op->type, "case.update") != 0)
		return 0;
	j = cJSON_Parse(op->fields ? op->fields : "{}");
	f = cJSON_GetObjectItem(j, "fields");
	cJSON_ArrayForEach(it, f) {
		if (k->n < 64 && strlen(it->string) < 40) {
			snprintf(k->names[k->n], 40, "%s", it->string);
			k->ptrs[k->n] = k->names[k->n];
			k->n++;
		}
	}
	cJSON_Delete(j);
	return 0;
}

static int keep_conflict(const struct db_op *op, const char *result,
			 void *arg)
{
	(void)result;
	return keep_op(op, arg);
}

/* The members of a case the pull reads besides its fields: each the first
 * of its name in any case, as cJSON_GetObjectItem finds it, found in one
 * pass over the case's sixty members instead of one pass each. */
enum case_member {
	CM_REPLY_DUE, CM_REV, CM_PURGED_AT, CM_DOCUMENTS, CM_NOTES,
	CM_IDCHECKS, CM_ATTACHMENTS, CM_N
};

static void case_members(const cJSON *c, const cJSON *m[CM_N])
{
	static const char *const names[CM_N] = {
		"reply_due", "rev", "purged_at", "documents", "notes",
		"idchecks", "attachments",
	};
	const cJSON *it;
	size_t k;

	for (k = 0; k < CM_N; k++)
		m[k] = NULL;
	cJSON_ArrayForEach(it, c) {
		if (!it->string)
			continue;
		for (k = 0; k < CM_N; k++)
			/* names[k] is lower case: its first letter, then all */
			if (!m[k] &&
			    (it->string[0] | 0x20) == names[k][0] &&
			    strcasecmp(it->string, names[k]) == 0) {
				m[k] = it;
				break;
			}
	}
}

static void children(const cJSON *const m[CM_N], struct db_remote_case *rc)
{
	const cJSON *a, *it, *src;
	size_t n;

	a = m[CM_DOCUMENTS];
	n = (size_t)cJSON_GetArraySize(a);
	rc->docs = n ? calloc(n, sizeof(*rc->docs)) : NULL;
	src = rc->docs ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_document *d = &rc->docs[rc->ndocs];
		const char *id = jstr(it, "id");
		rcms_document_init(d);
		/* the fields but its id, read where they are (no copy) */
		if (id && strlen(id) < sizeof(d->id) &&
		    wire_record_from_json_but(rcms_document_fields, d, it,
					      "id", 0, NULL, NULL) == RCMS_OK) {
			snprintf(d->id, sizeof(d->id), "%s", id);
			rc->ndocs++;
		}
	}
	a = m[CM_NOTES];
	n = (size_t)cJSON_GetArraySize(a);
	rc->notes = n ? calloc(n, sizeof(*rc->notes)) : NULL;
	src = rc->notes ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_note *nt = &rc->notes[rc->nnotes];
		const char *id = jstr(it, "id");
		const char *au = jstr(it, "author");
		const char *ag = jstr(it, "agency");
		const char *at = jstr(it, "created_at");
		const char *tx = jstr(it, "text");
		if (!id || !tx || strlen(id) >= sizeof(nt->id) ||
		    rcms_copy(nt->text, sizeof(nt->text), tx, "note", NULL))
			continue;
		snprintf(nt->id, sizeof(nt->id), "%s", id);
		/* the other agency's notes come without their author's
		 * name: the agency stands for it */
		snprintf(nt->author, sizeof(nt->author), "%.20s%s%.40s",
			 ag ? ag : "", ag && au ? "/" : "", au ? au : "");
		if (at)
			rcms_time_parse(at, &nt->created_at);
		rc->nnotes++;
	}
	a = m[CM_IDCHECKS];
	n = (size_t)cJSON_GetArraySize(a);
	rc->idchecks = n ? calloc(n, sizeof(*rc->idchecks)) : NULL;
	src = rc->idchecks ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_idcheck *q = &rc->idchecks[rc->nidchecks];
		const char *id = jstr(it, "id");
		const char *k = jstr(it, "kind");
		const char *qu = jstr(it, "question");
		const char *ag = jstr(it, "agency");
		const char *by = jstr(it, "asked_by");
		const char *at = jstr(it, "asked_at");
		const char *an = jstr(it, "answer");
		const char *tx = jstr(it, "answer_text");
		const char *aby = jstr(it, "answered_by");
		const char *aag = jstr(it, "answered_agency");
		const char *aat = jstr(it, "answered_at");
		int kv = RCMS_IDC_IDENTITY, av = RCMS_IDA_PENDING;
		if (!id || strlen(id) >= sizeof(q->id) || !qu || !k ||
		    rcms_enum_parse(rcms_idcheck_kind_names, k, &kv) ||
		    (an && rcms_enum_parse(rcms_idcheck_answer_names, an, &av)) ||
		    rcms_copy(q->question, sizeof(q->question), qu, "q", NULL) ||
		    (tx && rcms_copy(q->answer_text, sizeof(q->answer_text), tx,
				     "a", NULL)))
			continue;
		snprintf(q->id, sizeof(q->id), "%s", id);
		q->kind = (enum rcms_idcheck_kind)kv;
		q->answer = (enum rcms_idcheck_answer)av;
		/* the other agency's staff come without names */
		snprintf(q->asked_by, sizeof(q->asked_by), "%s",
			 by ? by : ag ? ag : "");
		snprintf(q->answered_by, sizeof(q->answered_by), "%s",
			 aby ? aby : aag ? aag : "");
		if (at)
			rcms_time_parse(at, &q->asked_at);
		if (aat)
			rcms_time_parse(aat, &q->answered_at);
		rc->nidchecks++;
	}
	a = m[CM_ATTACHMENTS];
	n = (size_t)cJSON_GetArraySize(a);
	rc->atts = n ? calloc(n, sizeof(*rc->atts)) : NULL;
	src = rc->atts ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_attachment *t = &rc->atts[rc->natts];
		const char *id = jstr(it, "id");
		const char *sha = jstr(it, "sha256");
		const char *k = jstr(it, "kind");
		const char *fn = jstr(it, "filename");
		const char *mi = jstr(it, "mime");
		const char *by = jstr(it, "added_by");
		const char *at = jstr(it, "added_at");
		const cJSON *sz = cJSON_GetObjectItem(it, "size");
		int kv = RCMS_ATT_OTHER;
		if (!id || !sha || strlen(id) >= sizeof(t->id) ||
		    strlen(sha) != 64 || !cJSON_IsNumber(sz))
			continue;
		snprintf(t->id, sizeof(t->id), "%s", id);
		snprintf(t->sha256, sizeof(t->sha256), "%s", sha);
		if (k)
			rcms_enum_parse(rcms_attach_kind_names, k, &kv);
		t->kind = (enum rcms_attach_kind)kv;
		snprintf(t->filename, sizeof(t->filename), "%s", fn ? fn : "");
		snprintf(t->mime, sizeof(t->mime), "%s",
			 mi ? mi : "application/octet-stream");
		{
			/* the other agency's staff come without names */
			const char *ag = cJSON_GetStringValue(
				cJSON_GetObjectItem(it, "agency"));
			snprintf(t->added_by, sizeof(t->added_by), "%s",
				 by ? by : ag ? ag : "");
		}
		if (!wire_int(sz, &t->size) || t->size < 0)
			t->size = 0;
		if (at)
			rcms_time_parse(at, &t->added_at);
		rc->natts++;
	}
}

/* The words of a received case packed at the end of pg->wbuf: where they
 * start, SIZE_MAX when there is no memory for them (they are read back
 * then). */
static size_t words_put(struct sync_pull_page *pg,
			const struct db_remote_case *rc)
{
	size_t need, at = pg->wlen;

	db_search_words(&rc->c, rc->docs, rc->ndocs, pg->wscratch);
	need = db_search_words_pack(pg->wscratch, NULL, 0);
	if (pg->wcap - pg->wlen < need) {
		size_t cap = pg->wcap ? pg->wcap : 64 * 1024;
		char *b;
		while (cap - pg->wlen < need)
			cap *= 2;
		if (!(b = realloc(pg->wbuf, cap)))
			return SIZE_MAX;
		pg->wbuf = b;
		pg->wcap = cap;
	}
	db_search_words_pack(pg->wscratch, pg->wbuf + at, need);
	pg->wlen += need;
	return at;
}

enum rcms_status sync_pull_decode(struct sync_pull_page *pg,
				  const char *text)
{
	struct wire_arena arena = {0};
	cJSON *page, *changes, *it;
	const char *purged;
	struct db_remote_case *rcs;
	size_t n, i = 0;

	page_clear(pg);
	pg->more = false;
	page = text ? page_parse(text, &arena) : NULL;
	changes = cJSON_GetObjectItem(page, "changes");
	if (!cJSON_IsArray(changes) ||
	    !wire_int(cJSON_GetObjectItem(page, "next"), &pg->next) ||
	    pg->next < 0) {
		wire_arena_free(&arena);
		return RCMS_ERR_TEMP;
	}
	n = (size_t)cJSON_GetArraySize(changes);
	/* not zeroed (megabytes a page): each slot is set below */
	if (n && !page_room(pg, n)) {
		wire_arena_free(&arena);
		return RCMS_ERR_NOMEM;
	}
	rcs = pg->rcs;
	cJSON_ArrayForEach(it, changes) {
		const cJSON *c = cJSON_GetObjectItem(it, "case");
		const cJSON *m[CM_N];
		const char *due;
		const cJSON *rv;
		if (wire_case_from_json(c, &rcs[i].c, NULL) != RCMS_OK)
			continue; /* a record we cannot read is skipped */
		/* what follows the case in the slot, cleared */
		_Static_assert(offsetof(struct db_remote_case, c) == 0,
			       "the case comes first");
		memset((char *)&rcs[i] + sizeof(rcs[i].c), 0,
		       sizeof(rcs[i]) - sizeof(rcs[i].c));
		case_members(c, m);
		due = cJSON_GetStringValue(m[CM_REPLY_DUE]);
		rv = m[CM_REV];
		if (due)
			rcms_time_parse(due, &rcs[i].reply_due);
		purged = cJSON_GetStringValue(m[CM_PURGED_AT]);
		if (purged && (rcms_time_parse(purged, &rcs[i].purged_at) ||
			       rcs[i].purged_at <= 0))
			rcs[i].purged_at = 1;  /* purged, when unreadable */
		/* the exchange's revision: the base of the next local
		 * change */
		{
			int64_t rev;
			if (wire_int(rv, &rev) && rev >= 0)
				rcs[i].c.rev = rev;
		}
		children(m, &rcs[i]);
		/* the search index's words, here rather than on the
		 * engine's thread (used if the case is new there) */
		pg->woff[i] = words_put(pg, &rcs[i]);
		i++;
		pg->n = i;
	}
	pg->more = cJSON_IsTrue(cJSON_GetObjectItem(page, "more"));
	wire_arena_free(&arena);
	/* wbuf has stopped moving */
	for (i = 0; i < pg->n; i++)
		rcs[i].words = pg->woff[i] == SIZE_MAX ? NULL
						       : pg->wbuf + pg->woff[i];
	return RCMS_OK;
}

enum rcms_status sync_pull_apply(struct db_ctx *ctx, struct sync_pull_page *pg,
				 int64_t *cursor, struct sync_report *rep,
				 void (*tick)(void *arg), void *arg,
				 struct rcms_err *err)
{
	enum rcms_status st;
	bool busy = true;  /* ops pending or in conflict */
	size_t i;

	/* nothing pending and no conflict (a new replica, a quiet one):
	 * no case of the page has fields to keep, and its two look-ups a
	 * case are left out */
	if (pg->n && db_outbox_open(ctx->db, &busy, NULL) != RCMS_OK)
		busy = true;
	for (i = 0; i < pg->n; i++) {
		struct db_remote_case *rc = &pg->rcs[i];
		struct keep *k = &pg->keeps[i];
		k->n = 0;
		k->status = false;
		if (busy) {
			db_outbox_pending(ctx->db, 0, rc->c.id, keep_op, k,
					  NULL);
			/* a conflict waiting for an officer keeps its fields
			 * too: the officer decides, not the pull */
			db_conflicts(ctx->db, rc->c.id, keep_conflict, k,
				     NULL);
		}
		rc->keep = k->ptrs;
		rc->nkeep = k->n;
		rc->keep_status = k->status;
	}
	/* the end of the feed, where it was: nothing to write (a sync with
	 * nothing to do opens no write transaction for it) */
	st = pg->n == 0 && pg->next == *cursor
		     ? RCMS_OK
		     : db_pull_apply_ticked(ctx, pg->rcs, pg->n, pg->next,
					    tick, arg, err);
	if (!st) {
		rep->pulled += (int64_t)pg->n;
		*cursor = pg->next;
	}
	page_clear(pg);
	return st;
}

enum rcms_status sync_pull_refused(const char *conf_cert, long status,
				   const char *text, struct sync_report *rep,
				   struct rcms_err *err)
{
	if (status == 401 || status == 403)
		return refused(conf_cert, text, rep, err);
	return sync_pull_unreadable(status, err);
}

enum rcms_status sync_pull_unreadable(long status, struct rcms_err *err)
{
	return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
			    "the exchange's feed could not be read "
			    "(HTTP %ld)", status);
}


/* ---- audit entries ----------------------------------------------------------- */

struct audit_collect {
	cJSON *list;
	int64_t from;
	char from_hash[RCMS_SHA256_HEX];
	int n;
	int64_t last;
	bool more;
};

static int audit_row(const struct db_audit *a, void *arg)
{
	struct audit_collect *c = arg;
	cJSON *o;

	if (a->seq <= c->from) {
		if (a->seq == c->from)
			snprintf(c->from_hash, sizeof(c->from_hash), "%s",
				 a->hash);
		return 0;
	}
	if (c->n == SYNC_AUDIT_BATCH) {
		c->more = true;
		return 1;
	}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", (double)a->seq);
	cJSON_AddNumberToObject(o, "at", (double)a->at);
	cJSON_AddStringToObject(o, "actor", a->actor);
	cJSON_AddStringToObject(o, "action", a->action);
	cJSON_AddStringToObject(o, "case_id", a->case_id);
	cJSON_AddStringToObject(o, "detail", a->detail);
	cJSON_AddStringToObject(o, "prev_hash", a->prev_hash);
	cJSON_AddStringToObject(o, "hash", a->hash);
	cJSON_AddItemToArray(c->list, o);
	c->n++;
	c->last = a->seq;
	return 0;
}

enum rcms_status sync_audit_build(struct db_ctx *ctx, char **body,
				  int64_t *last, bool *more,
				  struct rcms_err *err)
{
	struct audit_collect c;
	enum rcms_status st;
	cJSON *root;

	*body = NULL;
	*last = 0;
	*more = false;
	memset(&c, 0, sizeof(c));
	/* a local entry that is gone sends zeros: the exchange's copy
	 * differs, and says so */
	memset(c.from_hash, '0', 64);
	if ((st = db_audit_pushed(ctx->db, &c.from, err)))
		return st;
	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "from", (double)c.from);
	c.list = cJSON_CreateArray();
	st = db_audit_since(ctx->db, c.from, SYNC_AUDIT_BATCH + 1, audit_row,
			    &c, err);
	cJSON_AddStringToObject(root, "from_hash", c.from_hash);
	cJSON_AddItemToObject(root, "entries", c.list);
	if (st == RCMS_OK) {
		*body = cJSON_PrintUnformatted(root);
		if (!*body)
			st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	*last = c.n ? c.last : c.from;
	*more = c.more;
	cJSON_Delete(root);
	return st;
}

enum rcms_status sync_audit_answer(struct db_ctx *ctx, const char *conf_cert,
				   long status, const char *text,
				   int64_t last, bool *resent,
				   struct sync_report *rep,
				   struct rcms_err *err)
{
	char problem[256];

	if (status == 401 || status == 403) {
		sync_problem_text(text, problem, sizeof(problem));
		return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				    "the exchange refused this workstation's "
				    "certificate %s: %s", conf_cert, problem);
	}
	if (status == 404)   /* an exchange from before audit copies */
		return RCMS_OK;
	if (status == 409 && !*resent) {
		/* the exchange's copy ends before what this workstation sent
		 * it (its database was restored from a backup, or lost):
		 * send again from where it ends, once a sync.  Entries it
		 * still holds are checked as always; a rewritten log is
		 * still caught wherever the copy reaches */
		cJSON *j = text ? cJSON_Parse(text) : NULL;
		int64_t pushed = 0, h = 0;
		bool gap = is_problem(j, "audit-gap") &&
			   wire_int(cJSON_GetObjectItem(j, "held"), &h) &&
			   h >= 0 &&
			   db_audit_pushed(ctx->db, &pushed, NULL) == RCMS_OK &&
			   h < pushed;

		cJSON_Delete(j);
		if (gap) {
			char detail[RCMS_LINE_LEN];
			enum rcms_status st;

			snprintf(detail, sizeof(detail),
				 "the exchange holds entries 1 to %lld of this "
				 "workstation's log, not 1 to %lld (its copy "
				 "was restored or lost): sent again from "
				 "entry %lld", (long long)h, (long long)pushed,
				 (long long)h + 1);
			if ((st = db_audit_set_pushed(ctx->db, h, err)) ||
			    (st = db_audit_add(ctx, "sync.audit_resent", NULL,
					       detail, err)))
				return st;
			*resent = true;
			return RCMS_OK;
		}
	}
	if (status == 409) {
		sync_problem_text(text, problem, sizeof(problem));
		snprintf(rep->problem, sizeof(rep->problem), "%s", problem);
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "the local audit log no longer matches "
				    "the copy the exchange holds (%s): it was "
				    "changed after it was sent; tell the "
				    "agency's supervisor", problem);
	}
	if (status != 200) {
		sync_problem_text(text, problem, sizeof(problem));
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "the exchange refused the audit entries "
				    "(%ld): %s", status, problem);
	}
	return db_audit_set_pushed(ctx->db, last, err);
}
