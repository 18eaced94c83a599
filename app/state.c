/*
 * state.c - the case state machine.
 *
 * One table, rcms_transitions[], says everything that is allowed; the check
 * function only reads it.  The wording of the error messages lives in a
 * second, smaller table (action_words) so that the transition table stays a
 * plain list of rules.
 */
#include "app/state.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/pdate.h"

#define REQING RCMS_SIDE_REQUESTING
#define REQED RCMS_SIDE_REQUESTED
#define SYSTEM RCMS_SIDE_SYSTEM

/* p: the action of app/perm.h whose roles the row takes (one source of
 * truth for who may do what); SYSTEM_STEP: the exchange's own, no role. */
#define ROW(f, t, act, s, p, q, h)                                            \
	{                                                                     \
		.from = RCMS_CS_##f, .to = RCMS_CS_##t, .action = (act),      \
		.sides = (s), .roles = RCMS_PERM_ROLES_##p,                   \
		.perm = RCMS_PERM_##p, .requires = (q), .help = (h)           \
	}
#define SYSTEM_STEP(f, t, act, h)                                             \
	{                                                                     \
		.from = RCMS_CS_##f, .to = RCMS_CS_##t, .action = (act),      \
		.sides = RCMS_SIDE_SYSTEM, .roles = 0,                        \
		.perm = RCMS_PERM__COUNT, .requires = 0, .help = (h)          \
	}

const struct rcms_transition rcms_transitions[] = {
	ROW(DRAFT, AWAITING_APPROVAL, "submit", REQING, CASE_SUBMIT, 0,
	    "send the application for a supervisor's approval"),

	ROW(AWAITING_APPROVAL, SUBMITTED, "approve", REQING, CASE_APPROVE,
	    RCMS_REQ_NOT_CREATOR,
	    "approve the application and send it to the requested agency "
	    "(not by its creator)"),
	ROW(AWAITING_APPROVAL, DRAFT, "return", REQING, CASE_RETURN,
	    RCMS_REQ_REASON,
	    "send the application back to its author for changes, with a "
	    "reason"),

	ROW(DRAFT, WITHDRAWN, "withdraw", REQING, CASE_WITHDRAW, 0,
	    "abandon the draft"),
	ROW(AWAITING_APPROVAL, WITHDRAWN, "withdraw", REQING, CASE_WITHDRAW, 0,
	    "abandon the application before it is approved"),
	ROW(SUBMITTED, WITHDRAWN, "withdraw", REQING, CASE_WITHDRAW,
	    RCMS_REQ_REASON,
	    "withdraw the application, telling the requested agency why"),
	ROW(EXTENSION_REQUESTED, WITHDRAWN, "withdraw", REQING, CASE_WITHDRAW,
	    RCMS_REQ_REASON,
	    "withdraw the application, telling the requested agency why"),

	ROW(SUBMITTED, EXTENSION_REQUESTED, "extend", REQED, CASE_EXTEND,
	    RCMS_REQ_REASON | RCMS_REQ_DAYS,
	    "ask for more days to reply, with a reason (within the "
	    "agreement's maximum)"),

	ROW(SUBMITTED, ACCEPTED, "accept", REQED, CASE_ACCEPT, 0,
	    "accept the readmission of the person"),
	ROW(EXTENSION_REQUESTED, ACCEPTED, "accept", REQED, CASE_ACCEPT, 0,
	    "accept the readmission of the person"),

	ROW(SUBMITTED, REJECTED, "reject", REQED, CASE_REJECT, RCMS_REQ_REASON,
	    "reject the application, with the reasons"),
	ROW(EXTENSION_REQUESTED, REJECTED, "reject", REQED, CASE_REJECT,
	    RCMS_REQ_REASON, "reject the application, with the reasons"),

	SYSTEM_STEP(SUBMITTED, DEEMED_ACCEPTED, "deem",
		    "no reply in time: the transfer is deemed accepted (the "
		    "exchange does this)"),
	SYSTEM_STEP(EXTENSION_REQUESTED, DEEMED_ACCEPTED, "deem",
		    "no reply in time: the transfer is deemed accepted (the "
		    "exchange does this)"),

	ROW(ACCEPTED, TRAVEL_DOCUMENT_ISSUED, "issue", REQED, CASE_ISSUE,
	    RCMS_REQ_TRAVEL_DOC, "record the travel document issued"),
	ROW(DEEMED_ACCEPTED, TRAVEL_DOCUMENT_ISSUED, "issue", REQED,
	    CASE_ISSUE, RCMS_REQ_TRAVEL_DOC, "record the travel document issued"),

	ROW(ACCEPTED, TRANSFER_SCHEDULED, "schedule", REQING, CASE_SCHEDULE,
	    RCMS_REQ_TRANSFER_DATE, "set the date of the transfer"),
	ROW(DEEMED_ACCEPTED, TRANSFER_SCHEDULED, "schedule", REQING,
	    CASE_SCHEDULE, RCMS_REQ_TRANSFER_DATE,
	    "set the date of the transfer"),
	ROW(TRAVEL_DOCUMENT_ISSUED, TRANSFER_SCHEDULED, "schedule", REQING,
	    CASE_SCHEDULE, RCMS_REQ_TRANSFER_DATE,
	    "set the date of the transfer"),

	ROW(TRANSFER_SCHEDULED, TRANSFERRED, "transfer", REQING, CASE_TRANSFER,
	    0,
	    "record that the person has been transferred"),

	ROW(TRANSFERRED, CLOSED, "close", REQING, CASE_CLOSE, 0,
	    "close the case after the transfer"),
	ROW(REJECTED, CLOSED, "close", REQING, CASE_CLOSE, 0,
	    "close the rejected case"),
	ROW(ACCEPTED, CLOSED, "close", REQING, CASE_CLOSE_EARLY,
	    RCMS_REQ_REASON,
	    "close the case without a transfer, with a reason"),
	ROW(DEEMED_ACCEPTED, CLOSED, "close", REQING, CASE_CLOSE_EARLY,
	    RCMS_REQ_REASON,
	    "close the case without a transfer, with a reason"),
	ROW(TRAVEL_DOCUMENT_ISSUED, CLOSED, "close", REQING, CASE_CLOSE_EARLY,
	    RCMS_REQ_REASON,
	    "close the case without a transfer, with a reason"),
	ROW(TRANSFER_SCHEDULED, CLOSED, "close", REQING, CASE_CLOSE_EARLY,
	    RCMS_REQ_REASON,
	    "close the case without a transfer, with a reason"),

	{.action = NULL},
};

#undef ROW
#undef SYSTEM_STEP
#undef REQING
#undef REQED
#undef SYSTEM

/*
 * How each action reads in a sentence.  done: "a case ... cannot be <done>";
 * doing: "only the requested agency can <doing>".
 */
static const struct {
	const char *action;
	const char *done;
	const char *doing;
	const char *reason_missing;
} action_words[] = {
	{"submit", "submitted", "submit a case", NULL},
	{"approve", "approved", "approve a case", NULL},
	{"return", "returned for changes", "return a case for changes",
	 "returning a case needs a reason (what should be changed)"},
	{"withdraw", "withdrawn", "withdraw a case",
	 "withdrawing a submitted case needs a reason for the requested "
	 "agency"},
	{"extend", "given an extension", "request an extension",
	 "an extension request needs a reason"},
	{"accept", "accepted", "accept a case", NULL},
	{"reject", "rejected", "reject a case", "a rejection needs a reason"},
	{"deem", "deemed accepted", "deem a case accepted", NULL},
	{"issue", "issued a travel document", "issue a travel document",
	 NULL},
	{"schedule", "scheduled for transfer", "schedule a transfer", NULL},
	{"transfer", "marked transferred", "record a transfer", NULL},
	{"close", "closed", "close a case",
	 "closing a case without a transfer needs a reason"},
};

#define N_WORDS (sizeof(action_words) / sizeof(action_words[0]))

static size_t words_index(const char *action)
{
	size_t i;

	for (i = 0; i < N_WORDS; i++)
		if (strcmp(action_words[i].action, action) == 0)
			return i;
	return N_WORDS;
}

static const char *words_done(const char *action)
{
	size_t i = words_index(action);

	return i < N_WORDS ? action_words[i].done : action;
}

static const char *words_doing(const char *action)
{
	size_t i = words_index(action);

	return i < N_WORDS ? action_words[i].doing : action;
}

static const char *words_reason(const char *action)
{
	size_t i = words_index(action);

	if (i < N_WORDS && action_words[i].reason_missing)
		return action_words[i].reason_missing;
	return "this step needs a reason";
}

/* Append s to buf (size), keeping it NUL-terminated; truncates silently. */
static void buf_add(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n;

	if (*len + 1 >= size)
		return;
	n = strlen(s);
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

static bool action_known(const char *action)
{
	const struct rcms_transition *t;

	for (t = rcms_transitions; t->action; t++)
		if (strcmp(t->action, action) == 0)
			return true;
	return false;
}

const char *rcms_actions_all(char *buf, size_t size)
{
	const struct rcms_transition *t, *u;
	size_t len = 0;

	if (!buf || size == 0)
		return "";
	buf[0] = '\0';
	for (t = rcms_transitions; t->action; t++) {
		/* only the first row of each action name */
		for (u = rcms_transitions; u != t; u++)
			if (strcmp(u->action, t->action) == 0)
				break;
		if (u != t)
			continue;
		if (len)
			buf_add(buf, size, &len, ", ");
		buf_add(buf, size, &len, t->action);
	}
	return buf;
}

const char *rcms_actions_allowed(enum rcms_case_status from, char *buf,
				 size_t size)
{
	const struct rcms_transition *t;
	size_t len = 0;

	if (!buf || size == 0)
		return "";
	buf[0] = '\0';
	for (t = rcms_transitions; t->action; t++) {
		if (t->from != from)
			continue;
		if (len)
			buf_add(buf, size, &len, ", ");
		buf_add(buf, size, &len, t->action);
	}
	return buf;
}

const struct rcms_transition *rcms_transition_find(enum rcms_case_status from,
						   const char *action)
{
	const struct rcms_transition *t;

	if (!action)
		return NULL;
	for (t = rcms_transitions; t->action; t++)
		if (t->from == from && strcmp(t->action, action) == 0)
			return t;
	return NULL;
}

/* "the requesting agency", "the requested agency or the exchange" */
static void sides_words(unsigned sides, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	if (sides & RCMS_SIDE_REQUESTING)
		buf_add(buf, size, &len, "the requesting agency");
	if (sides & RCMS_SIDE_REQUESTED) {
		if (len)
			buf_add(buf, size, &len, " or ");
		buf_add(buf, size, &len, "the requested agency");
	}
	if (sides & RCMS_SIDE_SYSTEM) {
		if (len)
			buf_add(buf, size, &len, " or ");
		buf_add(buf, size, &len, "the exchange");
	}
}

/* "an officer or a supervisor", "a supervisor" */
static void roles_words(unsigned roles, char *buf, size_t size)
{
	rcms_perm_roles_words(roles, true, buf, size);
}

static bool is_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' &&
		    *s != '\v' && *s != '\f')
			return false;
	return true;
}

static bool one_known_bit(unsigned v, unsigned known)
{
	return v != 0 && (v & ~known) == 0 && (v & (v - 1)) == 0;
}

/* A full date that exists, in the years app/pdate.h allows. */
static bool full_date(const struct rcms_pdate *d)
{
	return rcms_pdate_is_full(d) &&
	       rcms_pdate_validate(d, "transfer_date", NULL) == RCMS_OK;
}

static enum rcms_status check_requirements(const struct rcms_case *c,
					   const struct rcms_transition *t,
					   const struct rcms_actor *actor,
					   const struct rcms_transition_args *a,
					   struct rcms_err *err)
{
	if (t->requires & RCMS_REQ_NOT_CREATOR) {
		if (!actor->user || !actor->user[0])
			return rcms_err_set(err, RCMS_ERR_INVALID, "user",
					    "to %s, the user's name is needed "
					    "(four eyes)",
					    words_doing(t->action));
		if (!c->created_by[0])
			return rcms_err_set(err, RCMS_ERR_INVALID,
					    "created_by",
					    "the case does not say who created "
					    "it, so four eyes cannot be checked");
		/* case-insensitive: "Ana" and "ana" are one person here */
		if (strncasecmp(actor->user, c->created_by,
				sizeof(c->created_by)) == 0)
			return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
					    "you created this case; another "
					    "supervisor must approve it (four "
					    "eyes)");
	}
	/* an agreement without extensions: say so before asking for more */
	if ((t->requires & RCMS_REQ_DAYS) && a->max_days <= 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "days",
				    "this agreement allows no extension");
	if (t->requires & RCMS_REQ_REASON) {
		if (is_blank(a->reason))
			return rcms_err_set(err, RCMS_ERR_INVALID, "reason",
					    "%s", words_reason(t->action));
		if (strlen(a->reason) >= sizeof(c->reason))
			return rcms_err_set(err, RCMS_ERR_INVALID, "reason",
					    "the reason is too long (at most "
					    "%zu bytes)",
					    sizeof(c->reason) - 1);
	}
	if ((t->requires & RCMS_REQ_DAYS) &&
	    (a->days < 1 || a->days > a->max_days)) {
		if (a->max_days == 1)
			return rcms_err_set(err, RCMS_ERR_INVALID, "days",
					    "the extension can only be 1 day");
		return rcms_err_set(err, RCMS_ERR_INVALID, "days",
				    "the extension must be between 1 and %d "
				    "days",
				    a->max_days);
	}
	if (t->requires & RCMS_REQ_TRAVEL_DOC) {
		if (is_blank(a->travel_doc))
			return rcms_err_set(err, RCMS_ERR_INVALID,
					    "travel_doc",
					    "issuing needs the travel "
					    "document number");
		if (strlen(a->travel_doc) >= sizeof(c->travel_doc_number))
			return rcms_err_set(err, RCMS_ERR_INVALID,
					    "travel_doc",
					    "the travel document number is too "
					    "long (at most %zu characters)",
					    sizeof(c->travel_doc_number) - 1);
	}
	if ((t->requires & RCMS_REQ_TRANSFER_DATE) &&
	    !full_date(&a->transfer_date))
		return rcms_err_set(err, RCMS_ERR_INVALID, "transfer_date",
				    "scheduling needs a full transfer date "
				    "(YYYY-MM-DD)");
	return RCMS_OK;
}

enum rcms_status rcms_transition_check(const struct rcms_case *c,
				       const char *action,
				       const struct rcms_actor *actor,
				       const struct rcms_transition_args *args,
				       const struct rcms_transition **out,
				       struct rcms_err *err)
{
	static const struct rcms_transition_args no_args;
	const struct rcms_transition *t;
	const char *state;
	char list[256], who[128];
	enum rcms_status st;

	if (out)
		*out = NULL;
	rcms_err_clear(err);
	if (!c)
		return rcms_err_set(err, RCMS_ERR_INVALID, "case",
				    "no case given");
	if (!actor)
		return rcms_err_set(err, RCMS_ERR_INVALID, "actor",
				    "no user given");
	if (!action || !action[0])
		return rcms_err_set(err, RCMS_ERR_INVALID, "action",
				    "no action given; actions are: %s",
				    rcms_actions_all(list, sizeof(list)));
	if (!action_known(action))
		return rcms_err_set(err, RCMS_ERR_INVALID, "action",
				    "unknown action '%.64s'; actions are: %s",
				    action,
				    rcms_actions_all(list, sizeof(list)));
	if ((unsigned)c->status >= RCMS_CS__COUNT)
		return rcms_err_set(err, RCMS_ERR_INVALID, "status",
				    "the case is in an unknown state (%d)",
				    (int)c->status);
	if (!args)
		args = &no_args;

	state = rcms_enum_name(rcms_case_status_names, (int)c->status);
	t = rcms_transition_find(c->status, action);
	if (!t) {
		rcms_actions_allowed(c->status, list, sizeof(list));
		if (!list[0])
			return rcms_err_set(err, RCMS_ERR_TRANSITION, NULL,
					    "a case in state '%s' cannot be "
					    "%s; it is finished and allows no "
					    "further step",
					    state, words_done(action));
		return rcms_err_set(err, RCMS_ERR_TRANSITION, NULL,
				    "a case in state '%s' cannot be %s; "
				    "allowed now: %s",
				    state, words_done(action), list);
	}

	if (!one_known_bit((unsigned)actor->side,
			   RCMS_SIDE_REQUESTING | RCMS_SIDE_REQUESTED |
				   RCMS_SIDE_SYSTEM) ||
	    !(t->sides & (unsigned)actor->side)) {
		sides_words(t->sides, who, sizeof(who));
		return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				    "only %s can %s", who,
				    words_doing(action));
	}
	/* roles == 0: the exchange's own step; the side check was enough */
	if (t->roles) {
		if (actor->role == RCMS_ROLE_ADMIN) {
			roles_words(t->roles, who, sizeof(who));
			return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
					    "administrators manage users and "
					    "agreements, not cases; only %s "
					    "can %s",
					    who, words_doing(action));
		}
		if (!one_known_bit((unsigned)actor->role,
				   RCMS_ROLE_OFFICER | RCMS_ROLE_SUPERVISOR |
					   RCMS_ROLE_ADMIN) ||
		    !(t->roles & (unsigned)actor->role)) {
			roles_words(t->roles, who, sizeof(who));
			return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
					    "only %s can %s", who,
					    words_doing(action));
		}
	}

	st = check_requirements(c, t, actor, args, err);
	if (st != RCMS_OK)
		return st;
	if (out)
		*out = t;
	return RCMS_OK;
}

bool rcms_status_is_local(enum rcms_case_status st)
{
	return st == RCMS_CS_DRAFT || st == RCMS_CS_AWAITING_APPROVAL;
}

bool rcms_status_is_final(enum rcms_case_status st)
{
	return st == RCMS_CS_CLOSED || st == RCMS_CS_WITHDRAWN;
}

bool rcms_status_awaits_reply(enum rcms_case_status st)
{
	return st == RCMS_CS_SUBMITTED || st == RCMS_CS_EXTENSION_REQUESTED;
}
