/* server_priv.h - what the request handlers share. */
#ifndef RCMS_EXCHANGE_SERVER_PRIV_H
#define RCMS_EXCHANGE_SERVER_PRIV_H

#include <microhttpd.h>
#include <cjson/cJSON.h>

#include "exchange/exchange.h"
#include "exchange/apply.h"
#include "exchange/store.h"

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
	/* uploads (tus PATCH) stream here instead of body */
	void *upload;
};

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
/* Queue an application/problem+json response. */
enum MHD_Result xsrv_problem(struct MHD_Connection *c, struct xreq *r,
			     int status, const char *name, const char *title,
			     const char *detail);

/* API handlers (api.c). */
enum MHD_Result api_whoami(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_reference(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_ops(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_changes(struct MHD_Connection *c, struct xreq *r);
enum MHD_Result api_metrics(struct MHD_Connection *c, struct xreq *r);

/* Metrics counters (server.c). */
void xmetrics_op(const char *status);

#endif
