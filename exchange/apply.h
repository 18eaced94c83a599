/* apply.h - applying pushed operations at the exchange. */
#ifndef RCMS_EXCHANGE_APPLY_H
#define RCMS_EXCHANGE_APPLY_H

#include <cjson/cJSON.h>

#include "exchange/store.h"
#include "exchange/xjson.h"

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
		 const struct xactor *who, const cJSON *op, const char *fp,
		 int64_t now, struct xjson *scratch, int *http_fatal);

/*
 * The idempotency fingerprint of an operation (SHA-256 over its type,
 * entity_id, base_rev, fields and actor as cJSON prints them), in hex.
 * It needs no storage: a batch computes its operations' before it takes
 * the store's write lock, and passes each to xapply_op as fp (NULL: it is
 * computed there).  scratch: space for the texts (kept by the caller
 * across a batch; NULL in xapply_op for its own).  False when out of
 * memory.
 */
bool xapply_fingerprint(const cJSON *op, struct xjson *scratch,
			char fp[65]);

/*
 * Deemed acceptance: take the "deem" step for every case whose reply
 * deadline passed without a decision.  Returns the number applied.
 */
int xapply_deem_due(const struct xstore_ops *ops, struct xstore *s,
		    int64_t now);

/* The shortest retention period (days) a case.purge may claim: the
 * configuration's retention_min_days (365 by default). */
void xapply_set_retention_min(int days);

/* A result {"op_id", "status"}, and a rejection with its problem. */
cJSON *xapply_result(const char *op_id, const char *status);
cJSON *xapply_rejected(const char *op_id, const char *name,
		       const char *title, const char *detail);

/*
 * The agency directory and its workstations (directory.c).  xdir_is_op:
 * user.create, user.update, user.password, workstation.retire.  xdir_op
 * applies one (inside the op's transaction; NULL on a storage failure).
 * xdir_flag_actor marks an applied result "actor_disabled" when the
 * directory has actor disabled (false on a storage failure).
 * xdir_user_json: an account as GET /v1/directory lists it.
 */
bool xdir_is_op(const char *type);
cJSON *xdir_op(const struct xstore_ops *ops, struct xstore *s,
	       const struct xactor *who, const char *op_id, const char *type,
	       const cJSON *fields, const char *actor, int64_t now);
bool xdir_flag_actor(const struct xstore_ops *ops, struct xstore *s,
		     const struct xactor *who, const char *actor, cJSON *res);
void xdir_user_json(const struct xuser *u, cJSON *o);

/* A problem object: {"type": "urn:rcms:problem:NAME", title, detail}. */
cJSON *xproblem(const char *name, const char *title, const char *detail);

#endif
