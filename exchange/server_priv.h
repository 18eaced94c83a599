/* server_priv.h - what the request handlers share. */
#ifndef RCMS_EXCHANGE_SERVER_PRIV_H
#define RCMS_EXCHANGE_SERVER_PRIV_H

#include <microhttpd.h>
#include <cjson/cJSON.h>

#include "exchange/exchange.h"
#include "exchange/apply.h"
#include "exchange/store.h"

struct xroute;

/* One request: its body and who sent it. */
struct xreq {
	char *body;
	size_t len, cap;
	bool too_large;
	bool has_identity;
	char agency[RCMS_AGENCY_LEN];
	char workstation[64];
	int status;               /* the response's, for the log */
	int64_t started_us;
	const char *route;
	/* the route, found on the first call; a prefix route's rest of the
	 * path (an upload id, a hash) is in tail */
	const struct xroute *rt;
	bool path_known;
	char tail[80];
	bool tail_bad;            /* longer than tail holds */
	bool tus;                 /* answers carry Tus-Resumable */
	bool queued;              /* a response is queued */
	/*
	 * An answer decided before the body was read (a refused tus PATCH):
	 * the body is read and dropped (at most XSRV_DRAIN_MAX bytes), then
	 * this answer is given, so that the client reads it instead of a
	 * reset connection.
	 */
	bool drain;
	uint64_t drained;
	int defer_status;
	const char *defer_name, *defer_title;
	char defer_detail[160];
	/* the workstation's last sync as the exchange had it (the gate read
	 * it): /v1/changes writes a new one at most once a minute */
	int64_t ws_last_sync;
	/* why the gate refused (a retired workstation) */
	char gate_detail[1024];
	/* uploads (tus PATCH) stream here instead of body (tus.c) */
	void *upload;
};

/* The most of a refused body that is read and dropped before answering. */
#define XSRV_DRAIN_MAX ((uint64_t)1 << 20)

struct xsrv {
	const struct xconfig *conf;
	const struct xstore_ops *ops;
};

extern struct xsrv xsrv;

/* The calling thread's store (opened on first use); NULL on failure. */
struct xstore *xsrv_store(void);
/* The exchange's clock (a test clock when enabled and set). */
int64_t xsrv_now(void);

/* Queue a JSON response (takes ownership of j). */
enum MHD_Result xsrv_json(struct MHD_Connection *c, struct xreq *r,
			  int status, cJSON *j);
/* Queue a JSON response from a malloc'ed buffer (takes ownership). */
enum MHD_Result xsrv_raw_json(struct MHD_Connection *c, struct xreq *r,
			      int status, char *buf, size_t len);
/* Queue an application/problem+json response. */
enum MHD_Result xsrv_problem(struct MHD_Connection *c, struct xreq *r,
			     int status, const char *name, const char *title,
			     const char *detail);

/* The same with an extension member key: value (a whole number). */
enum MHD_Result xsrv_problem_num(struct MHD_Connection *c, struct xreq *r,
				 int status, const char *name,
				 const char *title, const char *detail,
				 const char *key, int64_t value);

/* A problem+json response, not queued yet (NULL: out of memory). */
struct MHD_Response *xsrv_problem_response(int status, const char *name,
					   const char *title,
					   const char *detail);
/*
 * Queue resp (consumed; NULL gives MHD_NO) with the headers every answer
 * has: Cache-Control: no-store, nosniff, and for tus resources
 * Tus-Resumable (and Tus-Version on 412).
 */
enum MHD_Result xsrv_send(struct MHD_Connection *c, struct xreq *r,
			  int status, struct MHD_Response *resp);
/*
 * Refuse a request whose body has not been read yet (first call of a
 * streaming route): answer at once when no body follows or the client
 * waits for 100 Continue or the body is large (the connection is then
 * closed), else drop the body first and answer after it.
 */
enum MHD_Result xsrv_refuse(struct MHD_Connection *c, struct xreq *r,
			    int status, const char *name, const char *title,
			    const char *detail);
/* Refuse while the body is being read: drop the rest, then answer. */
void xsrv_refuse_later(struct xreq *r, int status, const char *name,
		       const char *title, const char *detail);

/* Query parameter k as a whole number in lo..hi (def when absent): 0,
 * or -1 when it is not one (api.c). */
int xsrv_query_int(struct MHD_Connection *c, const char *k, long long lo,
		   long long hi, long long def, long long *out);

/* API handlers (api.c). */
enum MHD_Result api_whoami(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_reference(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_ops(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_changes(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_directory(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_workstations(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_metrics(struct MHD_Connection *c, struct xreq *r);
/* The workstations' audit entries (audit.c): POST and GET /v1/audit. */
enum MHD_Result api_audit_post(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_audit_get(struct MHD_Connection *c, struct xreq *r);

/*
 * tus 1.0 uploads (tus.c): core, creation, checksum, termination.
 * PATCH streams: tus_patch_begin on the first call (headers only),
 * tus_patch_data for each piece of the body, tus_patch_end after the
 * last; tus_request_done when the request ends however it ended (it
 * keeps what an interrupted PATCH wrote, releases the session).
 */
enum MHD_Result tus_options(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result tus_create(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result tus_head(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result tus_delete(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result tus_patch_begin(struct MHD_Connection *c, struct xreq *r);
void tus_patch_data(struct xreq *r, const char *data, size_t n);
enum MHD_Result tus_patch_end(struct MHD_Connection *c, struct xreq *r);
void tus_request_done(struct xreq *r);

/* Blob downloads (blobs.c): GET and HEAD /v1/blobs/<sha256>, Range. */
enum MHD_Result blob_get(struct MHD_Connection *c, struct xreq *r);
/* DATA/blobs/ab/<sha256> for a valid hash; -1 if it does not fit (tus.c). */
int xblob_path(const char *sha256, char *buf, size_t size);
/* 64 lower-case hex digits? */
bool xsha256_valid(const char *s);

/* Metrics counters (server.c). */
void xmetrics_op(const char *status);

#endif
