/* server.c - libmicrohttpd over GnuTLS with mutual TLS: identity from the
 * client certificate, routing, body limits, rate limits, problem+json,
 * request log without personal data, graceful shutdown. */
#include "exchange/server_priv.h"
#include "exchange/xjson.h"
#include "exchange/tus_hash.h"
#include "sync/wire.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

struct xsrv xsrv;

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;
static _Atomic int64_t test_now;

/* metrics */
static _Atomic uint64_t m_requests[6];  /* by status class 1xx..5xx */
static _Atomic uint64_t m_ops_applied, m_ops_duplicate, m_ops_conflict,
	m_ops_rejected;
static _Atomic uint64_t m_bytes_in;
static _Atomic uint64_t m_latency_us_sum, m_latency_count;

/* CRL: reloaded when the file changes */
static pthread_mutex_t crl_lock = PTHREAD_MUTEX_INITIALIZER;
static gnutls_x509_crl_t crl;
static struct timespec crl_mtime;
static off_t crl_size;
static unsigned long crl_gen;   /* bumped on every reload */

/* rate limit: a fixed window per workstation */
#define RATE_SLOTS 1024
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char key[96];
	int64_t window;
	int count;
} rate[RATE_SLOTS];

static void store_free(void *p)
{
	struct xstore *s = p;

	xsrv.ops->close(&s);
}

static void store_key_make(void)
{
	pthread_key_create(&store_key, store_free);
}

struct xstore *xsrv_store(void)
{
	struct xstore *s;
	struct rcms_err err;

	pthread_once(&store_once, store_key_make);
	s = pthread_getspecific(store_key);
	if (s)
		return s;
	if (xsrv.ops->open(xsrv.conf->data_dir, &s, &err) != RCMS_OK) {
		fprintf(stderr, "rcms-exchange: storage: %s\n",
			rcms_err_msg(&err));
		return NULL;
	}
	pthread_setspecific(store_key, s);
	return s;
}

int64_t xsrv_now(void)
{
	int64_t t = atomic_load(&test_now);

	return t ? t : (int64_t)time(NULL);
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void xmetrics_op(const char *status)
{
	if (strcmp(status, "applied") == 0)
		atomic_fetch_add(&m_ops_applied, 1);
	else if (strcmp(status, "duplicate") == 0)
		atomic_fetch_add(&m_ops_duplicate, 1);
	else if (strcmp(status, "conflict") == 0)
		atomic_fetch_add(&m_ops_conflict, 1);
	else
		atomic_fetch_add(&m_ops_rejected, 1);
}

enum MHD_Result xsrv_send(struct MHD_Connection *c, struct xreq *r,
			  int status, struct MHD_Response *resp)
{
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (status == 429)
		MHD_add_response_header(resp, "Retry-After", "60");
	if (r && r->tus) {
		MHD_add_response_header(resp, "Tus-Resumable", "1.0.0");
		if (status == 412)
			MHD_add_response_header(resp, "Tus-Version", "1.0.0");
	}
	if (r) {
		r->status = status;
		r->queued = true;
	}
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result queue(struct MHD_Connection *c, struct xreq *r,
			     int status, const char *type, char *body,
			     size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, body,
					       MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	return xsrv_send(c, r, status, resp);
}

enum MHD_Result xsrv_json(struct MHD_Connection *c, struct xreq *r,
			  int status, cJSON *j)
{
	struct xjson w = {0};

	/* the bytes cJSON_PrintUnformatted would give, in a buffer of
	 * malloc's that MHD frees with free() */
	if (j)
		xjson_print(&w, j);
	cJSON_Delete(j);
	if (!j || w.failed || !w.buf) {
		xjson_free(&w);
		return xsrv_problem(c, r, 500, "internal", "out of memory",
				    NULL);
	}
	return queue(c, r, status, "application/json", w.buf, w.len);
}

/* A problem response; key (when not NULL) an extension member with a
 * whole number (RFC 9457, 3.2). */
static struct MHD_Response *problem_response(int status, const char *name,
					     const char *title,
					     const char *detail,
					     const char *key, int64_t value)
{
	cJSON *p = xproblem(name, title, detail);
	struct MHD_Response *resp;
	char *text, *copy;
	size_t n;

	cJSON_AddNumberToObject(p, "status", status);
	if (key)
		cJSON_AddNumberToObject(p, key, (double)value);
	text = cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	if (!text)
		return NULL;
	n = strlen(text);
	copy = malloc(n + 1);
	if (!copy) {
		cJSON_free(text);
		return NULL;
	}
	memcpy(copy, text, n + 1);
	cJSON_free(text);
	resp = MHD_create_response_from_buffer(n, copy, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(copy);
		return NULL;
	}
	MHD_add_response_header(resp, "Content-Type",
				"application/problem+json");
	return resp;
}

struct MHD_Response *xsrv_problem_response(int status, const char *name,
					   const char *title,
					   const char *detail)
{
	return problem_response(status, name, title, detail, NULL, 0);
}

enum MHD_Result xsrv_raw_json(struct MHD_Connection *c, struct xreq *r,
			      int status, char *buf, size_t len)
{
	return queue(c, r, status, "application/json", buf, len);
}

enum MHD_Result xsrv_problem_num(struct MHD_Connection *c, struct xreq *r,
				 int status, const char *name,
				 const char *title, const char *detail,
				 const char *key, int64_t value)
{
	return xsrv_send(c, r, status,
			 problem_response(status, name, title, detail, key,
					  value));
}

enum MHD_Result xsrv_problem(struct MHD_Connection *c, struct xreq *r,
			     int status, const char *name, const char *title,
			     const char *detail)
{
	return xsrv_send(c, r, status,
			 xsrv_problem_response(status, name, title, detail));
}

void xsrv_refuse_later(struct xreq *r, int status, const char *name,
		       const char *title, const char *detail)
{
	if (r->defer_status)
		return; /* the first reason stands */
	r->drain = true;
	r->defer_status = status;
	r->defer_name = name;
	r->defer_title = title;
	snprintf(r->defer_detail, sizeof(r->defer_detail), "%s",
		 detail ? detail : "");
}

enum MHD_Result xsrv_refuse(struct MHD_Connection *c, struct xreq *r,
			    int status, const char *name, const char *title,
			    const char *detail)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Content-Length");
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Transfer-Encoding");
	const char *ex = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Expect");
	bool body = te != NULL || (cl && strcmp(cl, "0") != 0);
	bool small = false;

	if (cl && !te) {
		char *end = NULL;
		unsigned long long v;
		errno = 0;
		v = strtoull(cl, &end, 10);
		small = !errno && end && !*end && end != cl && cl[0] != '-' &&
			v <= XSRV_DRAIN_MAX;
	}
	/* a client that waits for 100 Continue sends no body after a
	 * refusal; a small body is read so that the answer is not lost to a
	 * connection reset */
	if (body && small && !(ex && strcasecmp(ex, "100-continue") == 0)) {
		xsrv_refuse_later(r, status, name, title, detail);
		return MHD_YES;
	}
	return xsrv_problem(c, r, status, name, title, detail);
}

/* ---- identity from the client certificate ------------------------------- */

/* Returns false when a configured CRL cannot be read: then nobody gets
 * in (fail closed), rather than revoked workstations getting in. */
static bool crl_reload(void)
{
	struct stat sb;
	gnutls_datum_t d = {NULL, 0};
	gnutls_x509_crl_t n = NULL;
	bool ok = false;

	if (!xsrv.conf->crl[0])
		return true;
	if (stat(xsrv.conf->crl, &sb) != 0)
		return false;
	if (crl && sb.st_mtim.tv_sec == crl_mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == crl_mtime.tv_nsec && sb.st_size == crl_size)
		return true;
	if (gnutls_load_file(xsrv.conf->crl, &d) < 0)
		return false;
	if (gnutls_x509_crl_init(&n) == 0 &&
	    gnutls_x509_crl_import(n, &d, GNUTLS_X509_FMT_PEM) == 0) {
		if (crl)
			gnutls_x509_crl_deinit(crl);
		crl = n;
		crl_mtime = sb.st_mtim;
		crl_size = sb.st_size;
		crl_gen++;
		ok = true;
	} else if (n) {
		gnutls_x509_crl_deinit(n);
	}
	gnutls_free(d.data);
	if (!ok)
		fprintf(stderr, "rcms-exchange: the revocation list %s cannot "
			"be read; refusing every client until it can\n",
			xsrv.conf->crl);
	return ok;
}

/* 0: identified; -1: no certificate; -2: invalid or revoked */
/*
 * What a TLS connection proved, kept for the requests that follow on it:
 * checking a certificate chain per request would cost more than the
 * request.  The check is repeated when the CRL changes or after a minute.
 */
struct xconn {
	bool checked;
	int result;
	unsigned long crl_gen;
	int64_t at;
	char agency[RCMS_AGENCY_LEN];
	char workstation[64];
};

static void notify_connection(void *cls, struct MHD_Connection *c,
			      void **socket_context,
			      enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	(void)c;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = calloc(1, sizeof(struct xconn));
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		free(*socket_context);
		*socket_context = NULL;
	}
}

/* 0: identified; -1: no certificate; -2: invalid or revoked */
static int identify_cert(struct MHD_Connection *c, char agency[RCMS_AGENCY_LEN],
			 char ws[64])
{
	const union MHD_ConnectionInfo *ci;
	gnutls_session_t s;
	const gnutls_datum_t *certs;
	unsigned int n = 0, status = 0;
	gnutls_x509_crt_t crt = NULL;
	char a[256], w[256];
	size_t sz;
	int rc = -2;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return -1;
	s = (gnutls_session_t)ci->tls_session;
	certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || n == 0)
		return -1;
	if (gnutls_certificate_verify_peers2(s, &status) < 0 || status != 0)
		return -2;
	if (gnutls_x509_crt_init(&crt) < 0)
		return -2;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0)
		goto out;
	pthread_mutex_lock(&crl_lock);
	if (!crl_reload() ||
	    (crl && gnutls_x509_crt_check_revocation(crt, &crl, 1) != 0)) {
		pthread_mutex_unlock(&crl_lock);
		goto out;
	}
	pthread_mutex_unlock(&crl_lock);
	/* checked before anything of the certificate reaches a log */
	sz = sizeof(a);
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME,
					  0, 0, a, &sz) < 0 ||
	    rcms_agency_code_check(a, "agency", NULL))
		goto out;
	sz = sizeof(w);
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
					  0, w, &sz) < 0 ||
	    sz == 0 || sz > 32 || strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789") != sz)
		goto out;
	/* both checked above: a < RCMS_AGENCY_LEN, w at most 32 */
	memcpy(agency, a, strlen(a) + 1);
	memcpy(ws, w, strlen(w) + 1);
	rc = 0;
out:
	gnutls_x509_crt_deinit(crt);
	return rc;
}

static int identify(struct MHD_Connection *c, struct xreq *r)
{
	const union MHD_ConnectionInfo *ci;
	struct xconn *xc = NULL;
	unsigned long gen;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (xsrv.conf->dev_plain_http) {
		/* development only: identity from headers, never in prod */
		const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							    "X-Dev-Agency");
		const char *w = MHD_lookup_connection_value(
			c, MHD_HEADER_KIND, "X-Dev-Workstation");
		if (!a || rcms_agency_code_check(a, "agency", NULL))
			return -1;
		snprintf(r->agency, sizeof(r->agency), "%s", a);
		snprintf(r->workstation, sizeof(r->workstation), "%s",
			 w && strlen(w) <= 32 &&
					 strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						   "0123456789") == strlen(w)
				 ? w : "DEV");
		r->has_identity = true;
		return 0;
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci)
		xc = ci->socket_context;
	pthread_mutex_lock(&crl_lock);
	if (!crl_reload()) {
		pthread_mutex_unlock(&crl_lock);
		return -2;
	}
	gen = crl_gen;
	pthread_mutex_unlock(&crl_lock);
	if (xc && xc->checked && xc->crl_gen == gen && now - xc->at < 60 &&
	    now >= xc->at) {
		rc = xc->result;
	} else {
		char a[RCMS_AGENCY_LEN] = "", w[64] = "";
		rc = identify_cert(c, a, w);
		if (xc) {
			xc->checked = true;
			xc->result = rc;
			xc->crl_gen = gen;
			xc->at = now;
			memcpy(xc->agency, a, sizeof(a));
			memcpy(xc->workstation, w, sizeof(w));
		} else if (rc == 0) {
			snprintf(r->agency, sizeof(r->agency), "%s", a);
			snprintf(r->workstation, sizeof(r->workstation), "%s",
				 w);
		}
	}
	if (rc == 0) {
		if (xc) {
			snprintf(r->agency, sizeof(r->agency), "%s",
				 xc->agency);
			snprintf(r->workstation, sizeof(r->workstation), "%s",
				 xc->workstation);
		}
		r->has_identity = true;
	}
	return rc;
}

static bool rate_ok(const struct xreq *r)
{
	char key[96];
	unsigned h = 5381;
	int64_t window = (int64_t)time(NULL) / 60;
	size_t i;
	bool ok;

	if (xsrv.conf->rate_per_min <= 0)
		return true;
	snprintf(key, sizeof(key), "%s/%s", r->agency, r->workstation);
	for (i = 0; key[i]; i++)
		h = h * 33 + (unsigned char)key[i];
	h %= RATE_SLOTS;
	pthread_mutex_lock(&rate_lock);
	if (strcmp(rate[h].key, key) != 0 || rate[h].window != window) {
		snprintf(rate[h].key, sizeof(rate[h].key), "%s", key);
		rate[h].window = window;
		rate[h].count = 0;
	}
	ok = ++rate[h].count <= xsrv.conf->rate_per_min;
	pthread_mutex_unlock(&rate_lock);
	return ok;
}

/* ---- routing ---------------------------------------------------------------- */

enum {
	R_AUTH = 1 << 0,    /* a client certificate is needed */
	R_PREFIX = 1 << 1,  /* path is a prefix: "/v1/uploads/" + id */
	R_TUS = 1 << 2,     /* a tus resource */
	R_STREAM = 1 << 3,  /* the body streams (tus PATCH): begin early */
};

struct xroute {
	const char *method;
	const char *path;
	unsigned flags;
	enum MHD_Result (*fn)(struct MHD_Connection *c, struct xreq *r);
};

static enum MHD_Result api_health(struct MHD_Connection *c, struct xreq *r)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "status", "ok");
	cJSON_AddStringToObject(j, "version", RCMS_VERSION);
	return xsrv_json(c, r, 200, j);
}

/* HEAD finds the GET route of a path that has no HEAD route of its own. */
static const struct xroute routes[] = {
	{"GET", "/v1/health", 0, api_health},
	{"GET", "/v1/whoami", R_AUTH, api_whoami},
	{"GET", "/v1/reference", R_AUTH, api_reference},
	{"POST", "/v1/ops", R_AUTH, api_ops},
	{"GET", "/v1/changes", R_AUTH, api_changes},
	{"GET", "/v1/directory", R_AUTH, api_directory},
	{"GET", "/v1/workstations", R_AUTH, api_workstations},
	{"POST", "/v1/audit", R_AUTH, api_audit_post},
	{"GET", "/v1/audit", R_AUTH, api_audit_get},
	{"GET", "/metrics", R_AUTH, api_metrics},
	{"OPTIONS", "/v1/uploads", R_AUTH | R_TUS, tus_options},
	{"POST", "/v1/uploads", R_AUTH | R_TUS, tus_create},
	{"OPTIONS", "/v1/uploads/", R_AUTH | R_TUS | R_PREFIX, tus_options},
	{"HEAD", "/v1/uploads/", R_AUTH | R_TUS | R_PREFIX, tus_head},
	{"PATCH", "/v1/uploads/", R_AUTH | R_TUS | R_PREFIX | R_STREAM, NULL},
	{"DELETE", "/v1/uploads/", R_AUTH | R_TUS | R_PREFIX, tus_delete},
	{"GET", "/v1/blobs/", R_AUTH | R_PREFIX, blob_get},
	{NULL, NULL, 0, NULL},
};

static bool path_match(const struct xroute *rt, const char *url)
{
	size_t n;

	if (!(rt->flags & R_PREFIX))
		return strcmp(rt->path, url) == 0;
	n = strlen(rt->path);
	return strncmp(rt->path, url, n) == 0 && url[n] != '\0';
}

static const struct xroute *find_route(const char *method, const char *url,
				       bool *path_known)
{
	const struct xroute *rt, *get = NULL;

	*path_known = false;
	for (rt = routes; rt->path; rt++) {
		if (!path_match(rt, url))
			continue;
		*path_known = true;
		if (strcmp(rt->method, method) == 0)
			return rt;
		if (!get && strcmp(method, "HEAD") == 0 &&
		    strcmp(rt->method, "GET") == 0)
			get = rt;
	}
	return get;
}

/*
 * A workstation the agency's admin retired is refused from then on,
 * whatever it sends (its certificate is revoked here: the CA does not
 * need to know).  One it never heard from is recorded (first_seen).  A
 * storage failure is a 503: never let a retired one in because the
 * store could not say.
 */
static int retired(struct xreq *r, const char **name, const char **title)
{
	struct xstore *s = xsrv_store();
	struct rcms_err err;
	struct xws w;
	char t[32];

	if (!s || xsrv.ops->ws_get(s, r->agency, r->workstation, &w, &err)) {
		*name = "unavailable";
		*title = "storage unavailable";
		return 503;
	}
	if (!w.exists) {
		xsrv.ops->ws_seen(s, r->agency, r->workstation, xsrv_now(),
				  false, &err);
		return 0;
	}
	r->ws_last_sync = w.last_sync;
	if (!w.retired_at)
		return 0;
	rcms_time_format(w.retired_at, t, sizeof(t));
	snprintf(r->gate_detail, sizeof(r->gate_detail),
		 "%s/%.32s was retired on %.10s by %.64s (on %.32s)%s%.200s; its "
		 "certificate is refused and nothing it sends is applied",
		 r->agency, r->workstation, t, w.retired_by, w.retired_from,
		 w.reason[0] ? ": " : "", w.reason);
	*name = "workstation-retired";
	*title = "this workstation was retired by its agency";
	return 403;
}

/* 0: identified and within the rate; else the status to answer with. */
static int gate(struct MHD_Connection *c, struct xreq *r, const char **name,
		const char **title)
{
	int id = identify(c, r);

	if (id == -1) {
		*name = "unauthorized";
		*title = "a client certificate is required";
		return 401;
	}
	if (id < 0) {
		*name = "forbidden";
		*title = "the client certificate is not valid or was revoked";
		return 403;
	}
	if (!rate_ok(r)) {
		*name = "rate-limited";
		*title = "too many requests";
		return 429;
	}
	return retired(r, name, title);
}

static void test_clock(struct MHD_Connection *c)
{
	const char *t;
	int64_t v = 0;

	if (!xsrv.conf->test_clock)
		return;
	t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Test-Now");
	if (t && rcms_time_parse(t, &v) == RCMS_OK)
		atomic_store(&test_now, v);
}

/* The first call of a request: headers only.  A streaming route (tus
 * PATCH) is checked now, before any of its body is read. */
static enum MHD_Result first_call(struct MHD_Connection *c, struct xreq *r,
				  const char *method, const char *url)
{
	const struct xroute *rt;
	const char *cl, *name = NULL, *title = NULL;
	int st;

	rt = r->rt = find_route(method, url, &r->path_known);
	if (rt && (rt->flags & R_PREFIX)) {
		const char *t = url + strlen(rt->path);
		if (strlen(t) >= sizeof(r->tail))
			r->tail_bad = true;
		else
			snprintf(r->tail, sizeof(r->tail), "%s", t);
	}
	if (rt && (rt->flags & R_STREAM)) {
		r->route = rt->path;
		r->tus = (rt->flags & R_TUS) != 0;
		if ((st = gate(c, r, &name, &title)))
			return xsrv_refuse(c, r, st, name, title,
					   r->gate_detail[0] ? r->gate_detail
							     : NULL);
		test_clock(c);
		return tus_patch_begin(c, r);
	}
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl) {
		char *end = NULL;
		long long v = strtoll(cl, &end, 10);
		if (!end || *end || v < 0 || v > xsrv.conf->max_body)
			r->too_large = true;
	}
	return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	struct xreq *r = *con_cls;
	const struct xroute *rt;
	const char *name = NULL, *title = NULL;
	int st;

	(void)cls;
	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->started_us = now_us();
		r->route = url;
		*con_cls = r;
		return first_call(c, r, method, url);
	}
	if (r->queued) {
		/* answered early; MHD reads nothing more */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		atomic_fetch_add(&m_bytes_in, n);
		*upload_data_size = 0;
		if (r->drain) {
			r->drained += n;
			/* a refused body past the limit: close */
			return r->drained > XSRV_DRAIN_MAX ? MHD_NO : MHD_YES;
		}
		if (r->upload) {
			tus_patch_data(r, upload_data, n);
			return MHD_YES;
		}
		if (!r->too_large && r->len + n > (size_t)xsrv.conf->max_body)
			r->too_large = true;
		if (!r->too_large) {
			if (r->len + n + 1 > r->cap) {
				size_t cap = r->cap ? r->cap : 16384;
				char *nb;
				while (cap < r->len + n + 1)
					cap *= 2;
				nb = realloc(r->body, cap);
				if (!nb)
					return MHD_NO;
				r->body = nb;
				r->cap = cap;
			}
			memcpy(r->body + r->len, upload_data, n);
			r->len += n;
			r->body[r->len] = '\0';
		}
		return MHD_YES;
	}
	if (r->defer_status)
		return xsrv_problem(c, r, r->defer_status, r->defer_name,
				    r->defer_title,
				    r->defer_detail[0] ? r->defer_detail
						       : NULL);
	rt = r->rt;
	if (!rt) {
		if (r->path_known)
			return xsrv_problem(c, r, 405, "method-not-allowed",
					    "method not allowed", NULL);
		return xsrv_problem(c, r, 404, "not-found", "no such resource",
				    NULL);
	}
	r->route = rt->path;
	r->tus = (rt->flags & R_TUS) != 0;
	if (rt->flags & R_STREAM)
		return tus_patch_end(c, r);
	if ((rt->flags & R_AUTH) && (st = gate(c, r, &name, &title)))
		return xsrv_problem(c, r, st, name, title,
				    r->gate_detail[0] ? r->gate_detail : NULL);
	if (r->too_large)
		return xsrv_problem(c, r, 413, "body-too-large",
				    "the request body is too large", NULL);
	test_clock(c);
	return rt->fn(c, r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct xreq *r = *con_cls;
	int64_t us;
	char t[32];

	(void)cls;
	(void)c;
	if (!r)
		return;
	us = now_us() - r->started_us;
	atomic_fetch_add(&m_latency_us_sum, (uint64_t)us);
	atomic_fetch_add(&m_latency_count, 1);
	if (r->status >= 100 && r->status < 600)
		atomic_fetch_add(&m_requests[r->status / 100], 1);
	rcms_time_format((int64_t)time(NULL), t, sizeof(t));
	/* one line, no personal data: the route, never query or body */
	fprintf(stderr, "%s route=%s status=%d agency=%s ws=%s us=%lld%s\n",
		t, r->route ? r->route : "-", r->status,
		r->agency[0] ? r->agency : "-",
		r->workstation[0] ? r->workstation : "-", (long long)us,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	if (r->upload)
		tus_request_done(r);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

enum MHD_Result api_metrics(struct MHD_Connection *c, struct xreq *r)
{
	char buf[2048];
	char *copy;
	int n;

	n = snprintf(buf, sizeof(buf),
		     "# HELP rcms_http_requests_total Requests by status class.\n"
		     "# TYPE rcms_http_requests_total counter\n"
		     "rcms_http_requests_total{class=\"2xx\"} %llu\n"
		     "rcms_http_requests_total{class=\"3xx\"} %llu\n"
		     "rcms_http_requests_total{class=\"4xx\"} %llu\n"
		     "rcms_http_requests_total{class=\"5xx\"} %llu\n"
		     "# HELP rcms_ops_total Pushed operations by result.\n"
		     "# TYPE rcms_ops_total counter\n"
		     "rcms_ops_total{result=\"applied\"} %llu\n"
		     "rcms_ops_total{result=\"duplicate\"} %llu\n"
		     "rcms_ops_total{result=\"conflict\"} %llu\n"
		     "rcms_ops_total{result=\"rejected\"} %llu\n"
		     "# HELP rcms_http_request_bytes_total Body bytes received.\n"
		     "# TYPE rcms_http_request_bytes_total counter\n"
		     "rcms_http_request_bytes_total %llu\n"
		     "# HELP rcms_http_request_seconds Time spent in requests.\n"
		     "# TYPE rcms_http_request_seconds summary\n"
		     "rcms_http_request_seconds_sum %.6f\n"
		     "rcms_http_request_seconds_count %llu\n",
		     (unsigned long long)atomic_load(&m_requests[2]),
		     (unsigned long long)atomic_load(&m_requests[3]),
		     (unsigned long long)atomic_load(&m_requests[4]),
		     (unsigned long long)atomic_load(&m_requests[5]),
		     (unsigned long long)atomic_load(&m_ops_applied),
		     (unsigned long long)atomic_load(&m_ops_duplicate),
		     (unsigned long long)atomic_load(&m_ops_conflict),
		     (unsigned long long)atomic_load(&m_ops_rejected),
		     (unsigned long long)atomic_load(&m_bytes_in),
		     (double)atomic_load(&m_latency_us_sum) / 1e6,
		     (unsigned long long)atomic_load(&m_latency_count));
	if (n < 0 || (size_t)n >= sizeof(buf))
		return MHD_NO;
	copy = malloc((size_t)n + 1);
	if (!copy)
		return MHD_NO;
	memcpy(copy, buf, (size_t)n + 1);
	return queue(c, r, 200, "text/plain; version=0.0.4", copy, (size_t)n);
}

/* ---- the daemon -------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n < 1 << 20 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void *deemer(void *arg)
{
	(void)arg;
	while (!stop_flag) {
		struct xstore *s = xsrv_store();
		if (s)
			xapply_deem_due(xsrv.ops, s, xsrv_now());
		for (int i = 0; i < 50 && !stop_flag; i++)
			usleep(100 * 1000);
	}
	return NULL;
}

int xserver_run(const struct xconfig *conf)
{
	struct MHD_Daemon *d;
	char *cert = NULL, *key = NULL, *ca = NULL;
	size_t n = 0;
	/* poll(2), not epoll: libmicrohttpd 0.9.75's epoll loop spins on
	 * recv() for as long as a TLS handshake is unfinished, a whole core
	 * for each client that is slow to answer (or never does) until the
	 * connection's timeout (tests/exchange/hostile.sh) */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
			 MHD_USE_ERROR_LOG | MHD_USE_ITC;
	const union MHD_DaemonInfo *di;
	struct sigaction sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *addr = NULL;
	pthread_t deem_thread;
	int port;

	xsrv.conf = conf;
	xsrv.ops = &xstore_sqlite;
	xapply_set_retention_min(conf->retention_min_days);
	{
		struct rcms_err err;
		if (xstore_checkpointer_start(conf->data_dir, &err)) {
			fprintf(stderr, "rcms-exchange: storage: %s\n",
				rcms_err_msg(&err));
			return 74;
		}
	}
	if (!xsrv_store()) {
		xstore_checkpointer_stop();
		return 74;
	}
	if (!conf->dev_plain_http) {
		cert = slurp(conf->cert, &n);
		key = slurp(conf->key, &n);
		ca = slurp(conf->ca, &n);
		if (!cert || !key || !ca) {
			fprintf(stderr, "rcms-exchange: cannot read the "
				"certificate, key or CA (cert, key, ca in the "
				"configuration)\n");
			free(cert);
			free(key);
			free(ca);
			xstore_checkpointer_stop();
			return 78;
		}
		flags |= MHD_USE_TLS;
	} else {
		fprintf(stderr, "rcms-exchange: WARNING: plain HTTP without "
			"client certificates (dev_plain_http); never in "
			"production\n");
	}
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, conf->listen, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)conf->port);
		addr = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, conf->listen, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)conf->port);
		addr = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "rcms-exchange: listen: '%s' is not an IPv4 or "
			"IPv6 address\n", conf->listen);
		free(cert);
		free(key);
		free(ca);
		xstore_checkpointer_stop();
		return 78;
	}
	if (gnutls_global_init() < 0) {
		xstore_checkpointer_stop();
		return 70;
	}
	/* a push batch is parsed into an arena (api_ops): cJSON's hooks
	 * before the threads; each keeps 4 MB of chunks for its next batch */
	wire_arena_keep(4);
	wire_arena_prepare();
	d = MHD_start_daemon(
		flags, (uint16_t)conf->port, NULL, NULL, handler, NULL,
		MHD_OPTION_SOCK_ADDR, addr,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, notify_connection, NULL,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)conf->threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)conf->timeout,
		MHD_OPTION_CONNECTION_LIMIT, 1000u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)256 * 1024,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
		conf->dev_plain_http ? MHD_OPTION_END : MHD_OPTION_HTTPS_MEM_CERT,
		cert, MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_HTTPS_MEM_TRUST,
		ca, MHD_OPTION_HTTPS_PRIORITIES,
		"SECURE256:+SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"
		"-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305",
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "rcms-exchange: cannot listen on port %d: %s\n",
			conf->port, strerror(errno));
		free(cert);
		free(key);
		free(ca);
		xstore_checkpointer_stop();
		return 69;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = di ? di->port : conf->port;
	fprintf(stderr, "rcms-exchange: listening on %s port %d (%s)\n",
		conf->listen, port,
		conf->dev_plain_http ? "http" : "https, client certificates");
	if (conf->port_file[0]) {
		char tmp[4200];
		FILE *f;
		snprintf(tmp, sizeof(tmp), "%s.tmp", conf->port_file);
		f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "%d\n", port);
			fclose(f);
			rename(tmp, conf->port_file);
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);  /* a closed terminal does not stop it */
	pthread_create(&deem_thread, NULL, deemer, NULL);
	if (tus_hash_start() != 0)
		fprintf(stderr, "rcms-exchange: no thread to hash uploads as "
			"they arrive; each is read again at its end\n");
	while (!stop_flag)
		pause();
	/* stop accepting; let requests in flight finish (10 s at most) */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 100; i++) {
		di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!di || di->num_connections == 0)
			break;
		usleep(100 * 1000);
	}
	MHD_stop_daemon(d);
	tus_hash_stop();
	pthread_join(deem_thread, NULL);
	{
		struct xstore *s = pthread_getspecific(store_key);
		if (s) {
			pthread_setspecific(store_key, NULL);
			store_free(s);
		}
	}
	xstore_checkpointer_stop();
	if (crl)
		gnutls_x509_crl_deinit(crl);
	gnutls_global_deinit();
	free(cert);
	free(key);
	free(ca);
	fprintf(stderr, "rcms-exchange: stopped\n");
	return 0;
}
