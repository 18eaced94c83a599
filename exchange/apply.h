/* apply.h - applying pushed operations at the exchange. */
#ifndef RCMS_EXCHANGE_APPLY_H
#define RCMS_EXCHANGE_APPLY_H

#include <cjson/cJSON.h>

#include "exchange/store.h"

/* Who pushes: from the client certificate, never from the body. */
struct xactor {
	const char *agency;        /* O */
	const char *workstation;   /* CN */
};

/*
 * Apply one operation (a JSON object of the push body) inside its own
 * transaction, and return its result object (owned by the caller):
 *   {"op_id": ..., "status": "applied", "rev": N, "seq": S, ...}
 *   {"op_id": ..., "status": "duplicate", ...the stored result...}
 *   {"op_id": ..., "status": "conflict", "fields": {...server values...}}
 *   {"op_id": ..., "status": "rejected", "problem": {type, title, detail}}
 * *fatal is set when the batch must stop (storage failure, an op_id
 * reused with other content: 422).  NULL only when out of memory.
 */
cJSON *xapply_op(const struct xstore_ops *ops, struct xstore *s,
		 const struct xactor *who, const cJSON *op, int64_t now,
		 int *http_fatal);

/*
 * Deemed acceptance: take the "deem" step for every case whose reply
 * deadline passed without a decision.  Returns the number applied.
 */
int xapply_deem_due(const struct xstore_ops *ops, struct xstore *s,
		    int64_t now);

/* A problem object: {"type": "urn:rcms:problem:NAME", title, detail}. */
cJSON *xproblem(const char *name, const char *title, const char *detail);

#endif
