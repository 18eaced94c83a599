/*
 * state.h - the case state machine: one transition table shared by the
 * workstation and the exchange.
 *
 * Every allowed step is a row: from, to, the action's name, which side of
 * the case may take it, which roles, and what the step requires.  Anything
 * not in the table is forbidden.
 */
#ifndef RCMS_APP_STATE_H
#define RCMS_APP_STATE_H

#include <stddef.h>

#include "app/domain.h"
#include "app/perm.h"

/* What a transition needs besides the actor (bits). */
enum rcms_req {
	RCMS_REQ_REASON = 1,          /* a non-empty reason */
	RCMS_REQ_DAYS = 2,            /* 1..agreement's extension maximum */
	RCMS_REQ_TRAVEL_DOC = 4,      /* a travel document number */
	RCMS_REQ_TRANSFER_DATE = 8,   /* a full proposed transfer date */
	RCMS_REQ_NOT_CREATOR = 16     /* four eyes: not the case's creator */
};

struct rcms_transition {
	enum rcms_case_status from;
	enum rcms_case_status to;
	const char *action;           /* "submit", "approve", ... */
	unsigned sides;               /* enum rcms_side bits */
	unsigned roles;               /* enum rcms_role bits; 0 for system:
					 the roles of perm (app/perm.h) */
	enum rcms_perm perm;          /* the permission the step takes;
					 RCMS_PERM__COUNT for system */
	unsigned requires;            /* enum rcms_req bits */
	const char *help;             /* one line for --help and the man page */
};

/* The whole table, ended by a row with action == NULL. */
extern const struct rcms_transition rcms_transitions[];

/* Who attempts a transition, and with what. */
struct rcms_actor {
	enum rcms_side side;
	enum rcms_role role;          /* one role */
	const char *user;             /* user name, for four eyes */
};

struct rcms_transition_args {
	const char *reason;           /* may be NULL */
	int days;                     /* extension days */
	int max_days;                 /* the agreement's extension maximum */
	const char *travel_doc;       /* may be NULL */
	struct rcms_pdate transfer_date;
};

/*
 * The row for (from, action), or NULL (also for a NULL action).  There is
 * at most one row per (from, action); action names compare exactly.
 */
const struct rcms_transition *rcms_transition_find(enum rcms_case_status from,
						   const char *action);

/* "submit, withdraw": the actions the table allows from a state, in table
 * order ("" for a final state).  Returns buf; truncates to size. */
const char *rcms_actions_allowed(enum rcms_case_status from, char *buf,
				 size_t size);
/* "submit, approve, return, ...": every action name once, in table order.
 * Returns buf; truncates to size. */
const char *rcms_actions_all(char *buf, size_t size);

/*
 * Check that actor may take action on c with args.  On success *out (may be
 * NULL) is the row; on failure *out is NULL.  err may be NULL.  args may be
 * NULL (no reason, no days, no document, no date).  Nothing is changed:
 * applying the row (status = to, storing the reason, ...) is the caller's.
 *
 * The checks, in this order, stop at the first failure:
 *  1. c, actor, action given and action a known name, c->status a known
 *     state: else RCMS_ERR_INVALID ("unknown action 'x'; actions are: ...").
 *  2. a row for (c->status, action): else RCMS_ERR_TRANSITION, naming the
 *     state and the actions allowed in it.
 *  3. actor->side is one side and the row allows it: else
 *     RCMS_ERR_PERMISSION ("only the requested agency can accept a case").
 *  4. actor->role is one role and the row allows it (rows with roles 0 are
 *     the exchange's own and skip this): else RCMS_ERR_PERMISSION.
 *     Administrators never take case steps.
 *  5. four eyes (RCMS_REQ_NOT_CREATOR): actor->user must be given and differ
 *     from c->created_by, compared without regard to ASCII case; a case
 *     without created_by cannot be approved (RCMS_ERR_INVALID).
 *  6. what the row requires, each RCMS_ERR_INVALID with err->field set:
 *     "days" when the agreement allows no extension (max_days <= 0);
 *     "reason" when blank (whitespace only) or longer than the case holds;
 *     "days" outside 1..max_days; "travel_doc" blank or too long;
 *     "transfer_date" not a full date that exists (years as
 *     app/pdate.h allows, 1850-2200).
 *
 * Deadlines are not checked here: whether "deem" is due is for the
 * deadline code (app/deadline.h) to say before the exchange asks.
 */
enum rcms_status rcms_transition_check(const struct rcms_case *c,
				       const char *action,
				       const struct rcms_actor *actor,
				       const struct rcms_transition_args *args,
				       const struct rcms_transition **out,
				       struct rcms_err *err);

/* Is the status one that never leaves the agency (draft, awaiting)? */
bool rcms_status_is_local(enum rcms_case_status st);
/* Is the status final (closed, withdrawn)? */
bool rcms_status_is_final(enum rcms_case_status st);
/* Is the requested agency's reply still due (submitted, extension)? */
bool rcms_status_awaits_reply(enum rcms_case_status st);

#endif
