/* engine.c - the sync engine: one libcurl multi handle, one request in
 * flight, and a state machine that pushes the outbox, pulls the feed and
 * then moves the documents (blobs.c).  sync_run drives it to completion
 * for the command line; the screens step it from their event loop. */
#include "sync/engine.h"
#include "sync/sync_priv.h"
#include "sync/wire.h"

#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESPONSE (64 * 1024 * 1024)

double sync_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the request in flight ---------------------------------------------- */

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct sync_req *r = arg;
	struct sync_buf *b = &r->resp;
	size_t k = size * n;

	if (r->file && !r->file->decided) {
		/* the first bytes of the answer: where do they go? */
		struct sync_file *f = r->file;
		long code = 0;
		curl_easy_getinfo(r->e, CURLINFO_RESPONSE_CODE, &code);
		f->decided = true;
		if (code == 206) {
			/* the rest of a document: from where the file ends */
			if (r->range_first != f->written)
				return 0;
		} else if (code == 200) {
			/* the whole document (a server that ignored the
			 * range): what the file held goes */
			if (f->written > 0 &&
			    (ftruncate(f->fd, 0) != 0 ||
			     lseek(f->fd, 0, SEEK_SET) != 0 ||
			     !EVP_DigestInit_ex(f->md, EVP_sha256(), NULL)))
				return 0;
			f->written = f->start = 0;
		} else {
			f->not_body = true;
		}
	}
	if (r->file && !r->file->not_body) {
		struct sync_file *f = r->file;
		if (f->written + (int64_t)k > f->limit)
			return 0;
		if (write(f->fd, data, k) != (ssize_t)k)
			return 0;
		EVP_DigestUpdate(f->md, data, k);
		f->written += (int64_t)k;
		return k;
	}
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

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct sync_req *r = arg;
	size_t len = size * n;
	char buf[700];

	if (len >= sizeof(buf))
		return len;
	memcpy(buf, line, len);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strncasecmp(buf, "HTTP/", 5) == 0) {
		/* a new answer (after a 100 Continue, say): forget the last */
		r->location[0] = '\0';
		r->offset = -1;
		r->range_first = -1;
	} else if (strncasecmp(buf, "Content-Range:", 14) == 0) {
		/* bytes FIRST-LAST/SIZE */
		const char *v = buf + 14;
		char *end = NULL;
		long long o;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strncasecmp(v, "bytes ", 6) == 0) {
			o = strtoll(v + 6, &end, 10);
			if (end != v + 6 && end && *end == '-' && o >= 0)
				r->range_first = o;
		}
	} else if (strncasecmp(buf, "Location:", 9) == 0) {
		const char *v = buf + 9;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strlen(v) < sizeof(r->location))
			memcpy(r->location, v, strlen(v) + 1);
	} else if (strncasecmp(buf, "Upload-Offset:", 14) == 0) {
		const char *v = buf + 14;
		char *end = NULL;
		long long o;
		while (*v == ' ' || *v == '\t')
			v++;
		o = strtoll(v, &end, 10);
		if (end != v && end && *end == '\0' && o >= 0)
			r->offset = o;
	}
	return len;
}

static void req_reset(struct sync_engine *e)
{
	struct sync_req *r = &e->rq;

	if (r->active)
		curl_multi_remove_handle(e->m, r->e);
	r->active = false;
	r->done = false;
	curl_slist_free_all(r->hdr);
	r->hdr = NULL;
	free(r->body);
	r->body = NULL;
	r->data = NULL;
	r->data_len = 0;
	r->resp.len = 0;
	r->resp.too_big = false;
	if (r->resp.p)
		r->resp.p[0] = '\0';
	r->file = NULL;
	r->location[0] = '\0';
	r->offset = -1;
	r->range_first = -1;
	r->status = 0;
	r->cc = CURLE_OK;
}

/* Start a request on the engine's easy handle.  path is appended to the
 * exchange's URL; a tus server may answer with an absolute Location on
 * the same origin, which is taken as it is.  hdr is taken over. */
enum rcms_status sync_req_start(struct sync_engine *e, const char *method,
				const char *path, struct curl_slist *hdr,
				const void *data, size_t len,
				struct sync_file *file)
{
	struct sync_req *r = &e->rq;
	char url[1200];

	req_reset(e);
	r->hdr = hdr;
	r->file = file;
	r->data = data;
	r->data_len = len;
	if (strncmp(path, "https://", 8) == 0)
		snprintf(url, sizeof(url), "%s", path);
	else
		snprintf(url, sizeof(url), "%s%s", e->conf.url, path);
	curl_easy_reset(r->e);
	sync_tls(r->e, &e->conf);
	/* a document's part may take long on a bad link: only the idle
	 * timeout bounds it, not the total one */
	if (file || strcmp(method, "PATCH") == 0)
		curl_easy_setopt(r->e, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(r->e, CURLOPT_URL, url);
	curl_easy_setopt(r->e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->e, CURLOPT_HEADERDATA, r);
	if (!file)
		curl_easy_setopt(r->e, CURLOPT_ACCEPT_ENCODING, "");
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(r->e, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") != 0) {
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(r->e, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(r->e, CURLOPT_POSTFIELDS,
				 data ? (const char *)data : "");
		curl_easy_setopt(r->e, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)len);
		r->hdr = curl_slist_append(r->hdr, "Expect:");
	}
	curl_easy_setopt(r->e, CURLOPT_HTTPHEADER, r->hdr);
	if (curl_multi_add_handle(e->m, r->e) != CURLM_OK)
		return rcms_err_set(&e->err, RCMS_ERR_INTERNAL, NULL,
				    "cannot start a request to the exchange");
	r->active = true;
	return RCMS_OK;
}

/* Read what has arrived; true once the request in flight has ended. */
bool sync_req_poll(struct sync_engine *e)
{
	struct sync_req *r = &e->rq;
	CURLMsg *msg;
	int running = 0, left;

	if (!r->active)
		return r->done;
	curl_multi_perform(e->m, &running);
	while ((msg = curl_multi_info_read(e->m, &left))) {
		if (msg->msg != CURLMSG_DONE || msg->easy_handle != r->e)
			continue;
		r->cc = msg->data.result;
		r->done = true;
		curl_easy_getinfo(r->e, CURLINFO_RESPONSE_CODE, &r->status);
		curl_multi_remove_handle(e->m, r->e);
		r->active = false;
	}
	return r->done;
}

void sync_fail(struct sync_engine *e, enum rcms_status st)
{
	if (!e->st)
		e->st = st;
	e->state = SE_FINISH;
}

bool sync_retry(struct sync_engine *e, enum sync_state again)
{
	struct sync_req *r = &e->rq;
	unsigned rnd = 0;

	if (r->cc == CURLE_SSL_PINNEDPUBKEYNOTMATCH) {
		/* no retry: the same key answers next time */
		rcms_err_set(&e->err, RCMS_ERR_CONFIG, NULL,
			     "the exchange's key is not the one pinned in "
			     "rcms.conf (exchange_pin); nothing was sent.  Ask "
			     "the exchange's administrator before changing "
			     "the pin");
		sync_fail(e, RCMS_ERR_CONFIG);
		return false;
	}
	if (r->cc == CURLE_SSL_CERTPROBLEM || r->cc == CURLE_SSL_CACERT_BADFILE) {
		rcms_err_set(&e->err, RCMS_ERR_CONFIG, NULL,
			     "the workstation's certificate or the exchange's "
			     "CA cannot be used (%s)", curl_easy_strerror(r->cc));
		sync_fail(e, RCMS_ERR_CONFIG);
		return false;
	}
	if (e->attempt >= e->conf.retries || e->cancel) {
		if (r->cc != CURLE_OK)
			rcms_err_set(&e->err, RCMS_ERR_UNAVAILABLE, NULL,
				     "the exchange cannot be reached (%s); the "
				     "work stays here and goes with the next "
				     "sync", curl_easy_strerror(r->cc));
		else if (r->resp.too_big)
			rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
				     "the exchange's answer is too large");
		else
			rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
				     "the exchange answered %ld; try again "
				     "later", r->status);
		sync_fail(e, e->err.status);
		return false;
	}
	if (getrandom(&rnd, sizeof(rnd), 0) < 0)
		rnd = 0;
	e->attempt++;
	e->retry_at = sync_mono() +
		      (double)(e->delay_ms + (long)(rnd % (unsigned)e->delay_ms)) /
			      1000.0;
	e->delay_ms *= 2;
	e->retry_to = again;
	e->state = SE_BACKOFF;
	e->prog.phase = SYNC_PHASE_WAIT;
	return true;
}

/* A request ended: true when it reached the exchange and was answered
 * below 500; otherwise a retry (or the end) is arranged. */
bool sync_answered(struct sync_engine *e, enum sync_state again)
{
	struct sync_req *r = &e->rq;

	if (r->cc == CURLE_OK && r->status > 0 && r->status < 500 &&
	    !r->resp.too_big) {
		e->attempt = 0;
		e->delay_ms = 200;
		/* a retired workstation: what waits to be sent never will */
		if (r->status == 403)
			sync_refused_retired(e->ctx, r->status, r->resp.p,
					     &e->rep);
		return true;
	}
	sync_retry(e, again);
	return false;
}

/* ---- push and pull ------------------------------------------------------- */

/*
 * The push keeps the exchange busy.  While a batch is with the exchange
 * (its body sent), the next one is read from the outbox and leased; when
 * the answer comes the next batch goes at once, and the answer is held
 * until that batch's body has gone out, then applied (one transaction,
 * db_push_results) while the exchange works on it.  The exchange applies
 * the batches of one connection in order, and a batch goes only after
 * the one before it was answered, so an op still reaches it after the
 * ops before it.  A batch that fails (a cut connection, a 5xx) is sent
 * again after the backoff, from the outbox's first pending op: the
 * exchange answers what it has applied already as a duplicate.
 */

/* The prepared batch is dropped and its lease ended. */
static void push_drop_next(struct sync_engine *e, bool release)
{
	if (e->next_ready && e->next_n > 0 && release)
		db_outbox_release(e->ctx->db, e->next_lo, e->next_hi, NULL);
	free(e->next_body);
	e->next_body = NULL;
	e->next_ready = false;
	e->next_n = 0;
}

/* Read the batch after seq `after` and lease it for `timeout` + 5 s:
 * next_*, next_ready.  False when the sync fails. */
static bool push_prepare(struct sync_engine *e, int64_t after)
{
	enum rcms_status st;

	push_drop_next(e, true);
	st = sync_push_build(e->ctx, after, &e->next_body, &e->next_n,
			     &e->next_lo, &e->next_hi, &e->err);
	if (!st && e->next_n > 0)
		/* the cases of this batch wait for its answer: an edit now
		 * would race the exchange's new revision */
		st = db_outbox_lease(e->ctx->db, e->next_lo, e->next_hi,
				     (int64_t)time(NULL) + e->conf.timeout + 5,
				     &e->err);
	if (st) {
		push_drop_next(e, false);
		sync_fail(e, st);
		return false;
	}
	e->next_ready = true;
	return true;
}

/* The prepared batch (next_n > 0) goes on the wire. */
static bool push_send(struct sync_engine *e)
{
	struct curl_slist *h = NULL;
	enum rcms_status st;
	char *body = e->next_body;

	e->batch_n = e->next_n;
	e->batch_lo = e->next_lo;
	e->batch_hi = e->next_hi;
	e->next_body = NULL;
	e->next_ready = false;
	e->next_n = 0;
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json");
	if ((st = sync_req_start(e, "POST", "/v1/ops", h, body, strlen(body),
				 NULL))) {
		free(body);
		db_outbox_release(e->ctx->db, e->batch_lo, e->batch_hi, NULL);
		sync_fail(e, st);
		return false;
	}
	e->rq.body = body;
	e->state = SE_PUSH_WAIT;
	return true;
}

/* Has the whole body of the request in flight gone out? */
static bool body_sent(struct sync_engine *e)
{
	curl_off_t up = 0;

	return curl_easy_getinfo(e->rq.e, CURLINFO_SIZE_UPLOAD_T, &up) ==
		       CURLE_OK &&
	       up >= (curl_off_t)e->rq.data_len;
}

/* Apply an answer (text) to the batch of n ops seq lo..hi, and end what
 * it left leased (nothing once it was applied: the statement then finds
 * no pending row in the range). */
static enum rcms_status push_apply(struct sync_engine *e, long status,
				   const char *text, int n, int64_t lo,
				   int64_t hi)
{
	enum rcms_status st;

	e->ctx->now = (int64_t)time(NULL);
	st = sync_push_answer(e->ctx, e->conf.cert, status, text, n, &e->rep,
			      &e->err);
	db_outbox_release(e->ctx->db, lo, hi, NULL);
	e->prog.ops_done += n;
	return st;
}

/* The held answer is applied, and the batch on the wire leased for its
 * own time from now (its lease was taken while the one before it was on
 * the wire).  False when the sync fails; the batch on the wire then goes
 * with the next sync (finish() ends the request). */
static bool push_apply_held(struct sync_engine *e)
{
	enum rcms_status st;
	int n = e->held_n;

	e->held_n = 0;
	st = push_apply(e, 200, e->held.p, n, e->held_lo, e->held_hi);
	if (!st && e->rq.active)
		st = db_outbox_lease(e->ctx->db, e->batch_lo, e->batch_hi,
				     e->ctx->now + e->conf.timeout + 5,
				     &e->err);
	if (st) {
		db_outbox_release(e->ctx->db, e->batch_lo, e->batch_hi, NULL);
		push_drop_next(e, true);
		sync_fail(e, st);
		return false;
	}
	return true;
}

static void push_step(struct sync_engine *e)
{
	struct sync_req *r = &e->rq;
	struct sync_buf ans;
	enum rcms_status st;
	bool done;

	if (e->state == SE_PUSH) {
		if (e->cancel) {
			push_drop_next(e, true);
			sync_fail(e, RCMS_ERR_TEMP);
			rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
				     "the sync was stopped");
			return;
		}
		if (!push_prepare(e, 0))
			return;
		if (!e->next_n) {
			push_drop_next(e, false);
			e->state = SE_AUDIT;
			return;
		}
		push_send(e);
		return;
	}
	/* SE_PUSH_WAIT */
	done = sync_req_poll(e);
	if (e->held_n && (done || body_sent(e)) && !push_apply_held(e))
		return;
	if (!done) {
		/* the exchange has the batch: the next one meanwhile */
		if (!e->next_ready && !e->cancel && body_sent(e) &&
		    !push_prepare(e, e->batch_hi))
			/* failed: finish() ends the request */
			db_outbox_release(e->ctx->db, e->batch_lo,
					  e->batch_hi, NULL);
		return;
	}
	if (!sync_answered(e, SE_PUSH)) {
		db_outbox_release(e->ctx->db, e->batch_lo, e->batch_hi, NULL);
		push_drop_next(e, true);
		return;
	}
	if (r->status == 200 && e->next_ready && e->next_n > 0 && !e->cancel) {
		/* the answer is held, the next batch goes at once */
		ans = r->resp;
		r->resp = e->held;
		e->held = ans;
		e->held_n = e->batch_n;
		e->held_lo = e->batch_lo;
		e->held_hi = e->batch_hi;
		if (!push_send(e)) {
			/* the sync has failed: what was answered is kept */
			push_apply(e, 200, e->held.p, e->held_n, e->held_lo,
				   e->held_hi);
			e->held_n = 0;
		}
		return;
	}
	st = push_apply(e, r->status, r->resp.p, e->batch_n, e->batch_lo,
			e->batch_hi);
	if (!st && e->next_ready && !e->next_n) {
		/* the outbox is empty */
		push_drop_next(e, false);
		e->state = SE_AUDIT;
		return;
	}
	push_drop_next(e, true);
	if (st == RCMS_ERR_INVALID) {
		/* a refused batch stays in the outbox with its reason; the
		 * feed is still worth having */
		e->push_st = st;
		e->state = SE_AUDIT;
	} else if (st) {
		sync_fail(e, st);
	} else {
		e->state = SE_PUSH;
	}
}

/* The audit entries the exchange does not hold yet, after the operations
 * (whose entries go with them), in batches.  A refusal (the local log
 * differs from the exchange's copy) is the sync's outcome; the feed is
 * still pulled. */
static void audit_step(struct sync_engine *e)
{
	struct sync_req *r = &e->rq;
	struct curl_slist *h = NULL;
	enum rcms_status st;
	char *body = NULL;

	if (e->state == SE_AUDIT) {
		st = sync_audit_build(e->ctx, &body, &e->audit_last,
				      &e->audit_more, &e->err);
		if (st) {
			sync_fail(e, st);
			return;
		}
		h = curl_slist_append(h, "Content-Type: application/json");
		h = curl_slist_append(h, "Accept: application/json");
		if ((st = sync_req_start(e, "POST", "/v1/audit", h, body,
					 strlen(body), NULL))) {
			free(body);
			sync_fail(e, st);
			return;
		}
		r->body = body;
		e->state = SE_AUDIT_WAIT;
		return;
	}
	if (!sync_req_poll(e) || !sync_answered(e, SE_AUDIT))
		return;
	{
		bool before = e->audit_resent;
		st = sync_audit_answer(e->ctx, e->conf.cert, r->status,
				       r->resp.p, e->audit_last,
				       &e->audit_resent, &e->rep, &e->err);
		if (!st && e->audit_resent && !before) {
			e->state = SE_AUDIT;   /* again, from where it ends */
			return;
		}
	}
	if (st == RCMS_ERR_INVALID) {
		e->push_st = st;
		e->state = SE_DIR;
	} else if (st) {
		sync_fail(e, st);
	} else {
		e->state = e->audit_more && r->status == 200 ? SE_AUDIT
							     : SE_DIR;
	}
}

/* Ask for one page (GET path) and wait in state wait; a stopped sync
 * stops here. */
static void get_page(struct sync_engine *e, const char *path,
		     enum sync_state wait)
{
	struct curl_slist *h = NULL;
	enum rcms_status st;

	if (e->cancel) {
		rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
			     "the sync was stopped");
		sync_fail(e, RCMS_ERR_TEMP);
		return;
	}
	h = curl_slist_append(h, "Accept: application/json");
	if ((st = sync_req_start(e, "GET", path, h, NULL, 0, NULL))) {
		sync_fail(e, st);
		return;
	}
	e->state = wait;
}

/* The agency directory from where the last sync left it (from its start
 * when an account change of this workstation was answered), before the
 * feed: a case may name an officer of another workstation. */
static void dir_step(struct sync_engine *e)
{
	struct sync_req *r = &e->rq;
	enum rcms_status st;
	char path[128];
	bool more = false;

	e->prog.phase = SYNC_PHASE_PULL;
	if (e->state == SE_DIR) {
		e->dir_cursor = db_directory_cursor(e->ctx->db);
		snprintf(path, sizeof(path), "/v1/directory?since=%lld"
			 "&limit=500", (long long)e->dir_cursor);
		get_page(e, path, SE_DIR_WAIT);
		return;
	}
	if (!sync_req_poll(e) || !sync_answered(e, SE_DIR))
		return;
	st = sync_dir_answer(e->ctx, e->conf.cert, r->status, r->resp.p,
			     &e->dir_cursor, &more, &e->rep, &e->err);
	if (st)
		sync_fail(e, st);
	else
		e->state = more ? SE_DIR : SE_PULL;
}

/* ---- the end ------------------------------------------------------------ */

/* The time of the phase that ends goes to the report. */
static void clock_phase(struct sync_engine *e, enum sync_phase next)
{
	double now = sync_mono(), d = now - e->phase_t0;

	if (next == e->timed)
		return;
	switch (e->timed) {
	case SYNC_PHASE_PUSH:
		e->rep.push_s += d;
		break;
	case SYNC_PHASE_PULL:
		e->rep.pull_s += d;
		break;
	case SYNC_PHASE_UPLOAD:
		e->rep.up_s += d;
		break;
	case SYNC_PHASE_DOWNLOAD:
		e->rep.down_s += d;
		break;
	default:
		break;
	}
	e->timed = next;
	e->phase_t0 = now;
}

static void finish(struct sync_engine *e)
{
	struct db_sync_state ss;
	char outcome[256];
	enum rcms_status st = e->st ? e->st : e->push_st;

	if (e->push_st && !e->st)
		e->st = e->push_st;
	if (db_sync_state(e->ctx->db, &ss, NULL) == RCMS_OK)
		e->rep.pending = ss.pending;
	if (!e->fetch_only && !e->upload_only) {
		if (st == RCMS_OK && e->rep.rejected)
			st = rcms_err_set(&e->err, RCMS_ERR_INVALID, NULL,
					  "%lld operation(s) were refused by "
					  "the exchange and wait for an officer "
					  "(see 'rcms outbox'): %s",
					  (long long)e->rep.rejected,
					  e->rep.problem);
		else if (st == RCMS_OK && e->rep.conflict)
			st = rcms_err_set(&e->err, RCMS_ERR_INVALID, NULL,
					  "%lld change(s) conflict with changes "
					  "made elsewhere; settle them with "
					  "'rcms conflicts list' and 'rcms "
					  "conflicts resolve'",
					  (long long)e->rep.conflict);
		snprintf(outcome, sizeof(outcome),
			 "%s: pushed %lld (%lld applied, %lld duplicate, %lld "
			 "conflict, %lld rejected), pulled %lld",
			 st == RCMS_OK ? "ok" : rcms_status_name(st),
			 (long long)e->rep.pushed, (long long)e->rep.applied,
			 (long long)e->rep.duplicate,
			 (long long)e->rep.conflict,
			 (long long)e->rep.rejected, (long long)e->rep.pulled);
		db_sync_outcome(e->ctx->db, (int64_t)time(NULL), outcome, NULL);
	}
	clock_phase(e, SYNC_PHASE_DONE);
	e->st = st;
	if (e->held_n) {
		/* an answer held when the sync failed is kept all the same */
		push_apply(e, 200, e->held.p, e->held_n, e->held_lo,
			   e->held_hi);
		e->held_n = 0;
	}
	push_drop_next(e, true);
	req_reset(e);
	sync_blobs_reset(e);
	e->state = SE_DONE;
	e->prog.phase = SYNC_PHASE_DONE;
}

/* ---- the public face ------------------------------------------------------ */

static enum rcms_status engine_new(struct db_ctx *ctx,
				   const struct sync_conf *conf,
				   struct sync_engine **out,
				   struct rcms_err *err)
{
	struct sync_engine *e;
	struct db_sync_state ss;
	enum rcms_status st;

	*out = NULL;
	if (!conf->url[0])
		return rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
				    "this workstation is not enrolled; an "
				    "administrator runs 'rcms enroll'");
	if ((st = db_sync_state(ctx->db, &ss, err)))
		return st;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "cannot start the network library");
	e = calloc(1, sizeof(*e));
	if (!e) {
		curl_global_cleanup();
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	e->ctx = ctx;
	e->conf = *conf;
	e->pl.decoding = e->pl.ready = e->pl.applying = -1;
	/* cJSON's allocator, set before any second thread can parse */
	wire_arena_prepare();
	e->m = curl_multi_init();
	e->rq.e = curl_easy_init();
	e->rq.offset = -1;
	e->fd = -1;
	e->dl.fd = -1;
	e->next_at = -1;
	e->delay_ms = 200;
	e->cursor = ss.cursor;
	e->prog.ops_total = ss.pending;
	e->prog.seconds_left = -1;
	e->timed = SYNC_PHASE_START;
	e->phase_t0 = sync_mono();
	if (!e->m || !e->rq.e) {
		sync_engine_free(e);
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	}
	/* one connection to the exchange for the whole sync */
	curl_multi_setopt(e->m, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	/* the pull's checkpoints off its thread; without the checkpointer
	 * (no thread to be had) they are SQLite's, as before */
	db_checkpointer_start(ctx->db, NULL);
	*out = e;
	return RCMS_OK;
}

enum rcms_status sync_engine_new(struct db_ctx *ctx,
				 const struct sync_conf *conf,
				 struct sync_engine **out, struct rcms_err *err)
{
	return engine_new(ctx, conf, out, err);
}

enum rcms_status sync_engine_new_fetch(struct db_ctx *ctx,
				       const struct sync_conf *conf,
				       const char *case_id,
				       struct sync_engine **out,
				       struct rcms_err *err)
{
	enum rcms_status st = engine_new(ctx, conf, out, err);

	if (st)
		return st;
	(*out)->fetch_only = true;
	snprintf((*out)->case_id, sizeof((*out)->case_id), "%s",
		 case_id ? case_id : "");
	(*out)->state = SE_DOWN_LIST;
	return RCMS_OK;
}

enum rcms_status sync_engine_new_upload(struct db_ctx *ctx,
					const struct sync_conf *conf,
					struct sync_engine **out,
					struct rcms_err *err)
{
	enum rcms_status st = engine_new(ctx, conf, out, err);

	if (st)
		return st;
	(*out)->upload_only = true;
	(*out)->state = SE_UP_LIST;
	return RCMS_OK;
}

void sync_engine_step(struct sync_engine *e)
{
	int rounds;

	/* as many transitions as need no waiting, with a bound so that a
	 * step stays short */
	for (rounds = 0; rounds < 64; rounds++) {
		enum sync_state before = e->state;
		switch (e->state) {
		case SE_PUSH:
			clock_phase(e, SYNC_PHASE_PUSH);
			break;
		case SE_PULL:
			clock_phase(e, SYNC_PHASE_PULL);
			break;
		case SE_UP_LIST:
			clock_phase(e, SYNC_PHASE_UPLOAD);
			break;
		case SE_DOWN_LIST:
			clock_phase(e, SYNC_PHASE_DOWNLOAD);
			break;
		default:
			break;
		}
		switch (e->state) {
		case SE_START:
			e->prog.phase = SYNC_PHASE_PUSH;
			e->state = SE_PUSH;
			break;
		case SE_PUSH:
		case SE_PUSH_WAIT:
			e->prog.phase = SYNC_PHASE_PUSH;
			push_step(e);
			break;
		case SE_AUDIT:
		case SE_AUDIT_WAIT:
			e->prog.phase = SYNC_PHASE_PUSH;
			audit_step(e);
			break;
		case SE_DIR:
		case SE_DIR_WAIT:
			dir_step(e);
			break;
		case SE_PULL:
		case SE_PULL_WAIT:
			sync_pull_step(e);
			break;
		case SE_BACKOFF:
			if (sync_mono() < e->retry_at)
				return;
			e->state = e->retry_to;
			break;
		case SE_FINISH:
			finish(e);
			return;
		case SE_DONE:
			return;
		default:
			sync_blobs_step(e);
			break;
		}
		/* a state that waits on the network returns to the caller */
		if (e->state == before)
			return;
		if (e->state == SE_PULL && before == SE_PULL_WAIT)
			return;   /* one page a step: the screen stays live */
	}
}

bool sync_engine_wait(struct sync_engine *e, int fd, int timeout_ms)
{
	struct curl_waitfd w = {.fd = fd, .events = CURL_WAIT_POLLIN};

	if (e->state == SE_DONE || e->state == SE_FINISH)
		timeout_ms = 0;
	if (e->state == SE_BACKOFF) {
		long left = (long)((e->retry_at - sync_mono()) * 1000.0) + 1;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left < timeout_ms)
			timeout_ms = left < 0 ? 0 : (int)left;
		if (fd < 0) {
			if (timeout_ms > 0)
				poll(NULL, 0, timeout_ms);
			return false;
		}
		return poll(&p, 1, timeout_ms) > 0 && (p.revents & POLLIN);
	}
	if (sync_pull_busy(e))
		timeout_ms = 0;   /* a page read waits to be applied */
	if (!e->rq.active && fd < 0)
		return false;
	curl_multi_poll(e->m, fd >= 0 ? &w : NULL, fd >= 0 ? 1 : 0,
			timeout_ms, NULL);
	return fd >= 0 && (w.revents & CURL_WAIT_POLLIN);
}

bool sync_engine_done(const struct sync_engine *e)
{
	return e->state == SE_DONE;
}

void sync_engine_progress(const struct sync_engine *e,
			  struct sync_progress *out)
{
	*out = e->prog;
}

void sync_engine_cancel(struct sync_engine *e)
{
	e->cancel = true;
}

enum rcms_status sync_engine_result(const struct sync_engine *e,
				    struct sync_report *rep,
				    struct rcms_err *err)
{
	if (rep)
		*rep = e->rep;
	if (err && e->st)
		*err = e->err;
	return e->st;
}

void sync_engine_free(struct sync_engine *e)
{
	if (!e)
		return;
	sync_pull_end(e);
	db_checkpointer_stop(e->ctx->db);
	req_reset(e);
	sync_blobs_reset(e);
	free(e->q.b);
	free(e->rq.resp.p);
	free(e->held.p);
	free(e->next_body);
	curl_easy_cleanup(e->rq.e);
	curl_multi_cleanup(e->m);
	free(e);
	curl_global_cleanup();
}

/* ---- driven to completion (the command line) ----------------------------- */

/* A progress line on stderr when it is a terminal: bytes, rate, time
 * left; at most ten times a second. */
static void show(const struct sync_progress *p, double *last, bool end)
{
	double now = sync_mono();

	if (!isatty(2) || !p->bytes_total || (!end && now - *last < 0.1))
		return;
	*last = now;
	fprintf(stderr, "\rdocuments %.40s: %.1f/%.1f MB, %.1f MB/s, ",
		p->document, (double)p->bytes_done / 1e6,
		(double)p->bytes_total / 1e6, p->rate / 1e6);
	if (p->seconds_left >= 0)
		fprintf(stderr, "%.0f s left   ", p->seconds_left);
	else
		fputs("--   ", stderr);
	if (end)
		fputc('\n', stderr);
	fflush(stderr);
}

static enum rcms_status drive(struct sync_engine *e, struct sync_report *out,
			      struct rcms_err *err)
{
	struct sync_progress p;
	enum rcms_status st;
	double last = 0;

	while (!sync_engine_done(e)) {
		sync_engine_step(e);
		if (sync_engine_done(e))
			break;
		sync_engine_progress(e, &p);
		show(&p, &last, false);
		sync_engine_wait(e, -1, 1000);
	}
	sync_engine_progress(e, &p);
	show(&p, &last, true);
	st = sync_engine_result(e, out, err);
	sync_engine_free(e);
	return st;
}

enum rcms_status sync_run(struct db_ctx *ctx, const struct sync_conf *conf,
			  struct sync_report *out, struct rcms_err *err)
{
	struct sync_engine *e = NULL;
	enum rcms_status st;

	memset(out, 0, sizeof(*out));
	if ((st = sync_engine_new(ctx, conf, &e, err)))
		return st;
	return drive(e, out, err);
}

enum rcms_status sync_fetch(struct db_ctx *ctx, const struct sync_conf *conf,
			    const char *case_id, struct sync_report *out,
			    struct rcms_err *err)
{
	struct sync_engine *e = NULL;
	enum rcms_status st;

	memset(out, 0, sizeof(*out));
	if ((st = sync_engine_new_fetch(ctx, conf, case_id, &e, err)))
		return st;
	return drive(e, out, err);
}
