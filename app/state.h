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

#include "app/domain.h"

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
	unsigned roles;               /* enum rcms_role bits; 0 for system */
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

/* The row for (from, action), or NULL. */
const struct rcms_transition *rcms_transition_find(enum rcms_case_status from,
						   const char *action);

/*
 * Check that actor may take action on c with args.  On success *out (may be
 * NULL) is the row.  On failure err says why in words an officer
 * understands: RCMS_ERR_TRANSITION for a step the state does not allow,
 * RCMS_ERR_PERMISSION for the wrong side or role or four eyes,
 * RCMS_ERR_INVALID for a missing or bad reason, number of days, ...
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
