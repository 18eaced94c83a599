/* client.c - HTTPS to the exchange through libcurl's multi interface,
 * and the push/pull engine over it. */
#include "sync/sync.h"
#include "sync/wire.h"
#include "sync/sync_priv.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define MAX_RESPONSE (64 * 1024 * 1024)
#define PUSH_BATCH 500
#define PULL_PAGE 200

struct buf {
	char *p;
	size_t len, cap;
	bool too_big;
};

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t k = size * n;

	if (b->len + k + 1 > MAX_RESPONSE) {
		b->too_big = true;
		return 0;
	}
	if (b->len + k + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *np;
		while (cap < b->len + k + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return 0;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, k);
	b->len += k;
	b->p[b->len] = '\0';
	return k;
}

void sync_tls(CURL *e, const struct sync_conf *conf)
{
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_SSLCERT, conf->cert);
	curl_easy_setopt(e, CURLOPT_SSLKEY, conf->key);
	curl_easy_setopt(e, CURLOPT_CAINFO, conf->ca);
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	/* verification is never switched off */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, conf->connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, conf->timeout);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "rcms/" RCMS_VERSION);
}

/* One request, driven to completion through a multi handle (the screens
 * will drive the same handle from their event loop). */
static enum rcms_status request(const struct sync_conf *conf,
				const char *method, const char *path,
				const char *body, long *status,
				struct buf *resp, struct rcms_err *err)
{
	CURL *e = NULL;
	CURLM *m = NULL;
	struct curl_slist *hdr = NULL;
	char url[1024];
	CURLMsg *msg;
	CURLcode cc = CURLE_OK;
	int running = 1, left;
	enum rcms_status st = RCMS_OK;

	*status = 0;
	resp->len = 0;
	resp->too_big = false;
	snprintf(url, sizeof(url), "%s%s", conf->url, path);
	e = curl_easy_init();
	m = curl_multi_init();
	if (!e || !m) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	sync_tls(e, conf);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, resp);
	if (strcmp(method, "POST") == 0) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	hdr = curl_slist_append(hdr, "Accept: application/json");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
	curl_multi_add_handle(m, e);
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	while ((msg = curl_multi_info_read(m, &left)))
		if (msg->msg == CURLMSG_DONE)
			cc = msg->data.result;
	if (resp->too_big) {
		st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				  "the exchange's answer is too large");
		goto out;
	}
	if (cc != CURLE_OK) {
		enum rcms_status k = RCMS_ERR_UNAVAILABLE;
		if (cc == CURLE_SSL_CERTPROBLEM || cc == CURLE_SSL_CACERT_BADFILE)
			k = RCMS_ERR_CONFIG;
		st = rcms_err_set(err, k, NULL,
				  "the exchange cannot be reached (%s); the "
				  "work stays here and goes with the next "
				  "sync", curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
out:
	if (m && e)
		curl_multi_remove_handle(m, e);
	curl_easy_cleanup(e);
	curl_multi_cleanup(m);
	curl_slist_free_all(hdr);
	return st;
}

/* With retries and backoff on network errors and 5xx; never on 4xx. */
static enum rcms_status call(const struct sync_conf *conf, const char *method,
			     const char *path, const char *body, long *status,
			     struct buf *resp, struct rcms_err *err)
{
	enum rcms_status st = RCMS_OK;
	int attempt;
	long delay_ms = 200;

	for (attempt = 0; attempt <= conf->retries; attempt++) {
		st = request(conf, method, path, body, status, resp, err);
		if (st == RCMS_OK && *status < 500)
			return RCMS_OK;
		if (st == RCMS_ERR_CONFIG)
			return st;
		if (attempt < conf->retries) {
			unsigned r = 0;
			if (getrandom(&r, sizeof(r), 0) < 0)
				r = 0;
			usleep((useconds_t)(delay_ms * 1000 +
					    (long)(r % (unsigned)delay_ms) * 1000));
			delay_ms *= 2;
		}
	}
	if (st == RCMS_OK)
		st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				  "the exchange answered %ld; try again later",
				  *status);
	return st;
}

static void problem_text(const struct buf *b, char *out, size_t size)
{
	cJSON *j = b->p ? cJSON_Parse(b->p) : NULL;
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(j, "title"));
	const char *d = cJSON_GetStringValue(cJSON_GetObjectItem(j, "detail"));

	snprintf(out, size, "%s%s%s", t ? t : "refused", d ? ": " : "",
		 d ? d : "");
	cJSON_Delete(j);
}

/* ---- push ------------------------------------------------------------------ */

struct collect {
	cJSON *ops;
	int n;
};

static int collect_op(const struct db_op *op, void *arg)
{
	struct collect *c = arg;
	cJSON *o = cJSON_CreateObject(), *f;
	char t[32];

	cJSON_AddStringToObject(o, "op_id", op->op_id);
	cJSON_AddStringToObject(o, "type", op->type);
	cJSON_AddStringToObject(o, "entity_id", op->entity_id);
	cJSON_AddNumberToObject(o, "base_rev", (double)op->base_rev);
	f = cJSON_Parse(op->fields ? op->fields : "{}");
	cJSON_AddItemToObject(o, "fields", f ? f : cJSON_CreateObject());
	cJSON_AddStringToObject(o, "actor", op->actor);
	rcms_time_format(op->device_time, t, sizeof(t));
	cJSON_AddStringToObject(o, "device_time", t);
	cJSON_AddItemToArray(c->ops, o);
	c->n++;
	return 0;
}

static enum rcms_status push(struct db_ctx *ctx, const struct sync_conf *conf,
			     struct sync_report *rep, struct rcms_err *err)
{
	for (;;) {
		struct collect col;
		struct db_push_result *res = NULL;
		struct buf resp = {NULL, 0, 0, false};
		cJSON *body = cJSON_CreateObject(), *ans = NULL;
		const cJSON *it;
		char *text = NULL;
		long status = 0;
		enum rcms_status st;
		size_t n = 0;

		col.ops = cJSON_AddArrayToObject(body, "ops");
		col.n = 0;
		st = db_outbox_pending(ctx->db, PUSH_BATCH, NULL, collect_op,
				       &col, err);
		if (st || col.n == 0) {
			cJSON_Delete(body);
			return st;
		}
		text = cJSON_PrintUnformatted(body);
		cJSON_Delete(body);
		if (!text)
			return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		st = call(conf, "POST", "/v1/ops", text, &status, &resp, err);
		cJSON_free(text);
		if (st) {
			free(resp.p);
			return st;
		}
		if (status == 401 || status == 403) {
			problem_text(&resp, rep->problem, sizeof(rep->problem));
			free(resp.p);
			return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
					    "the exchange refused this "
					    "workstation's certificate %s: %s",
					    conf->cert, rep->problem);
		}
		if (status != 200) {
			problem_text(&resp, rep->problem, sizeof(rep->problem));
			free(resp.p);
			return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					    "the exchange refused the batch "
					    "(%ld): %s", status, rep->problem);
		}
		ans = resp.p ? cJSON_Parse(resp.p) : NULL;
		it = cJSON_GetObjectItem(ans, "results");
		if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != col.n) {
			cJSON_Delete(ans);
			free(resp.p);
			return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
					    "the exchange's answer does not "
					    "match the batch");
		}
		res = calloc((size_t)col.n, sizeof(*res));
		if (!res) {
			cJSON_Delete(ans);
			free(resp.p);
			return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		}
		{
			char **texts = calloc((size_t)col.n, sizeof(char *));
			const cJSON *r;
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
				if (texts)
					texts[n] = cJSON_PrintUnformatted(r);
				res[n].result = texts && texts[n] ? texts[n] : "";
				if (!s || strcmp(s, "applied") == 0)
					rep->applied++;
				else if (strcmp(s, "duplicate") == 0)
					rep->duplicate++;
				else if (strcmp(s, "conflict") == 0)
					rep->conflict++;
				else {
					rep->rejected++;
					if (!rep->problem[0]) {
						const cJSON *p = cJSON_GetObjectItem(
							r, "problem");
						const char *d = cJSON_GetStringValue(
							cJSON_GetObjectItem(p, "detail"));
						const char *t = cJSON_GetStringValue(
							cJSON_GetObjectItem(p, "title"));
						snprintf(rep->problem,
							 sizeof(rep->problem),
							 "%s%s%s", t ? t : "",
							 d ? ": " : "",
							 d ? d : "");
					}
				}
				n++;
			}
			rep->pushed += (int64_t)n;
			st = db_push_results(ctx, res, n, err);
			if (texts) {
				size_t i;
				for (i = 0; i < n; i++)
					cJSON_free(texts[i]);
				free(texts);
			}
		}
		free(res);
		cJSON_Delete(ans);
		free(resp.p);
		if (st)
			return st;
	}
}

/* ---- pull ------------------------------------------------------------------ */

struct keep {
	char names[64][40];
	const char *ptrs[64];
	size_t n;
	bool status;
};

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

static void children(const cJSON *c, struct db_remote_case *rc)
{
	const cJSON *a, *it, *src;
	size_t n;

	a = cJSON_GetObjectItem(c, "documents");
	n = (size_t)cJSON_GetArraySize(a);
	rc->docs = n ? calloc(n, sizeof(*rc->docs)) : NULL;
	src = rc->docs ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_document *d = &rc->docs[rc->ndocs];
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(it,
									  "id"));
		cJSON *copy = cJSON_Duplicate(it, 1);
		rcms_document_init(d);
		cJSON_DeleteItemFromObject(copy, "id");
		if (id && strlen(id) < sizeof(d->id) &&
		    wire_record_from_json(rcms_document_fields, d, copy, 0,
					  NULL, NULL) == RCMS_OK) {
			snprintf(d->id, sizeof(d->id), "%s", id);
			rc->ndocs++;
		}
		cJSON_Delete(copy);
	}
	a = cJSON_GetObjectItem(c, "notes");
	n = (size_t)cJSON_GetArraySize(a);
	rc->notes = n ? calloc(n, sizeof(*rc->notes)) : NULL;
	src = rc->notes ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_note *nt = &rc->notes[rc->nnotes];
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
		const char *au = cJSON_GetStringValue(cJSON_GetObjectItem(it, "author"));
		const char *ag = cJSON_GetStringValue(cJSON_GetObjectItem(it, "agency"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(it, "created_at"));
		const char *tx = cJSON_GetStringValue(cJSON_GetObjectItem(it, "text"));
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
	a = cJSON_GetObjectItem(c, "idchecks");
	n = (size_t)cJSON_GetArraySize(a);
	rc->idchecks = n ? calloc(n, sizeof(*rc->idchecks)) : NULL;
	src = rc->idchecks ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_idcheck *q = &rc->idchecks[rc->nidchecks];
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(it, "kind"));
		const char *qu = cJSON_GetStringValue(cJSON_GetObjectItem(it, "question"));
		const char *ag = cJSON_GetStringValue(cJSON_GetObjectItem(it, "agency"));
		const char *by = cJSON_GetStringValue(cJSON_GetObjectItem(it, "asked_by"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(it, "asked_at"));
		const char *an = cJSON_GetStringValue(cJSON_GetObjectItem(it, "answer"));
		const char *tx = cJSON_GetStringValue(cJSON_GetObjectItem(it, "answer_text"));
		const char *aby = cJSON_GetStringValue(cJSON_GetObjectItem(it, "answered_by"));
		const char *aag = cJSON_GetStringValue(cJSON_GetObjectItem(it, "answered_agency"));
		const char *aat = cJSON_GetStringValue(cJSON_GetObjectItem(it, "answered_at"));
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
	a = cJSON_GetObjectItem(c, "attachments");
	n = (size_t)cJSON_GetArraySize(a);
	rc->atts = n ? calloc(n, sizeof(*rc->atts)) : NULL;
	src = rc->atts ? a : NULL;
	cJSON_ArrayForEach(it, src) {
		struct rcms_attachment *t = &rc->atts[rc->natts];
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
		const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(it, "sha256"));
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(it, "kind"));
		const char *fn = cJSON_GetStringValue(cJSON_GetObjectItem(it, "filename"));
		const char *mi = cJSON_GetStringValue(cJSON_GetObjectItem(it, "mime"));
		const char *by = cJSON_GetStringValue(cJSON_GetObjectItem(it, "added_by"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(it, "added_at"));
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
		t->size = (int64_t)sz->valuedouble;
		if (at)
			rcms_time_parse(at, &t->added_at);
		rc->natts++;
	}
}

static enum rcms_status pull(struct db_ctx *ctx, const struct sync_conf *conf,
			     struct sync_report *rep, struct rcms_err *err)
{
	struct db_sync_state ss;
	enum rcms_status st;

	if ((st = db_sync_state(ctx->db, &ss, err)))
		return st;
	for (;;) {
		struct buf resp = {NULL, 0, 0, false};
		char path[128];
		long status = 0;
		cJSON *page, *changes, *it;
		struct db_remote_case *rcs = NULL;
		struct keep *keeps = NULL;
		size_t n = 0, i;
		int64_t next;
		bool more;

		snprintf(path, sizeof(path), "/v1/changes?since=%lld&limit=%d",
			 (long long)ss.cursor, PULL_PAGE);
		if ((st = call(conf, "GET", path, NULL, &status, &resp, err)))
			return st;
		if (status == 401 || status == 403) {
			problem_text(&resp, rep->problem, sizeof(rep->problem));
			free(resp.p);
			return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
					    "the exchange refused this "
					    "workstation's certificate %s: %s",
					    conf->cert, rep->problem);
		}
		page = status == 200 && resp.p ? cJSON_Parse(resp.p) : NULL;
		free(resp.p);
		changes = cJSON_GetObjectItem(page, "changes");
		if (!cJSON_IsArray(changes) ||
		    !cJSON_IsNumber(cJSON_GetObjectItem(page, "next"))) {
			cJSON_Delete(page);
			return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
					    "the exchange's feed could not be "
					    "read (HTTP %ld)", status);
		}
		next = (int64_t)cJSON_GetObjectItem(page, "next")->valuedouble;
		more = cJSON_IsTrue(cJSON_GetObjectItem(page, "more"));
		n = (size_t)cJSON_GetArraySize(changes);
		if (n) {
			rcs = calloc(n, sizeof(*rcs));
			keeps = calloc(n, sizeof(*keeps));
			if (!rcs || !keeps) {
				free(rcs);
				free(keeps);
				cJSON_Delete(page);
				return rcms_err_set(err, RCMS_ERR_NOMEM, NULL,
						    NULL);
			}
		}
		i = 0;
		cJSON_ArrayForEach(it, changes) {
			const cJSON *c = cJSON_GetObjectItem(it, "case");
			const char *due = cJSON_GetStringValue(
				cJSON_GetObjectItem(c, "reply_due"));
			if (wire_case_from_json(c, &rcs[i].c, NULL) != RCMS_OK)
				continue; /* a record we cannot read is skipped */
			if (due)
				rcms_time_parse(due, &rcs[i].reply_due);
			{
				/* the exchange's revision: the base of the
				 * next local change */
				const cJSON *rv = cJSON_GetObjectItem(c, "rev");
				if (cJSON_IsNumber(rv) && rv->valuedouble >= 0)
					rcs[i].c.rev = (int64_t)rv->valuedouble;
			}
			children(c, &rcs[i]);
			db_outbox_pending(ctx->db, 0, rcs[i].c.id, keep_op,
					  &keeps[i], NULL);
			/* a conflict waiting for an officer keeps its fields
			 * too: the officer decides, not the pull */
			db_conflicts(ctx->db, rcs[i].c.id, keep_conflict,
				     &keeps[i], NULL);
			rcs[i].keep = keeps[i].ptrs;
			rcs[i].nkeep = keeps[i].n;
			rcs[i].keep_status = keeps[i].status;
			i++;
		}
		cJSON_Delete(page);
		st = db_pull_apply(ctx, rcs, i, next, err);
		rep->pulled += (int64_t)i;
		for (n = 0; n < i; n++) {
			free(rcs[n].docs);
			free(rcs[n].notes);
			free(rcs[n].atts);
			free(rcs[n].idchecks);
		}
		free(rcs);
		free(keeps);
		if (st)
			return st;
		ss.cursor = next;
		if (!more)
			return RCMS_OK;
	}
}

enum rcms_status sync_run(struct db_ctx *ctx, const struct sync_conf *conf,
			  struct sync_report *out, struct rcms_err *err)
{
	struct db_sync_state ss;
	enum rcms_status st;
	char outcome[256];

	memset(out, 0, sizeof(*out));
	if (!conf->url[0])
		return rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
				    "this workstation is not enrolled; an "
				    "administrator runs 'rcms enroll'");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	st = push(ctx, conf, out, err);
	if (st == RCMS_OK || st == RCMS_ERR_INVALID) {
		/* refusals stay in the outbox; the feed is still worth having */
		enum rcms_status ps = pull(ctx, conf, out, err);
		if (ps)
			st = ps;
	}
	/* documents after the records: a scan never holds back a case */
	if (st == RCMS_OK || st == RCMS_ERR_INVALID) {
		enum rcms_status bs = sync_upload_blobs(ctx, conf, out, err);
		if (!bs)
			bs = sync_download_blobs(ctx, conf, "", out, err);
		if (bs)
			st = bs;
	}
	if (db_sync_state(ctx->db, &ss, NULL) == RCMS_OK)
		out->pending = ss.pending;
	if (st == RCMS_OK && out->rejected)
		st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				  "%lld operation(s) were refused by the "
				  "exchange and wait for an officer (see "
				  "'rcms outbox'): %s",
				  (long long)out->rejected, out->problem);
	else if (st == RCMS_OK && out->conflict)
		st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				  "%lld change(s) conflict with changes made "
				  "elsewhere; settle them with 'rcms conflicts "
				  "list' and 'rcms conflicts resolve'",
				  (long long)out->conflict);
	snprintf(outcome, sizeof(outcome),
		 "%s: pushed %lld (%lld applied, %lld duplicate, %lld "
		 "conflict, %lld rejected), pulled %lld",
		 st == RCMS_OK ? "ok" : rcms_status_name(st),
		 (long long)out->pushed, (long long)out->applied,
		 (long long)out->duplicate, (long long)out->conflict,
		 (long long)out->rejected, (long long)out->pulled);
	db_sync_outcome(ctx->db, ctx->now, outcome, NULL);
	curl_global_cleanup();
	return st;
}

enum rcms_status sync_fetch(struct db_ctx *ctx, const struct sync_conf *conf,
			    const char *case_id, struct sync_report *out,
			    struct rcms_err *err)
{
	enum rcms_status st;

	memset(out, 0, sizeof(*out));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	st = sync_download_blobs(ctx, conf, case_id, out, err);
	curl_global_cleanup();
	return st;
}
