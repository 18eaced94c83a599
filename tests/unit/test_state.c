/* test_state.c - the case state machine (app/state.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/state.h"

#define ALL_ACTIONS                                                          \
	"submit, approve, return, withdraw, extend, accept, reject, deem, "  \
	"issue, schedule, transfer, close"

static const char *const action_names[] = {
	"submit", "approve", "return", "withdraw", "extend", "accept",
	"reject", "deem", "issue", "schedule", "transfer", "close",
};
#define N_ACTIONS (sizeof(action_names) / sizeof(action_names[0]))

/* The rules as the brief states them, written out independently of the
 * table so that a typo in the table shows. */
static const struct {
	enum rcms_case_status from, to;
	const char *action;
	unsigned sides, roles, requires;
} expected[] = {
#define OS (RCMS_ROLE_OFFICER | RCMS_ROLE_SUPERVISOR)
#define S RCMS_ROLE_SUPERVISOR
#define RG RCMS_SIDE_REQUESTING
#define RD RCMS_SIDE_REQUESTED
	{RCMS_CS_DRAFT, RCMS_CS_AWAITING_APPROVAL, "submit", RG, OS, 0},
	{RCMS_CS_AWAITING_APPROVAL, RCMS_CS_SUBMITTED, "approve", RG, S,
	 RCMS_REQ_NOT_CREATOR},
	{RCMS_CS_AWAITING_APPROVAL, RCMS_CS_DRAFT, "return", RG, S,
	 RCMS_REQ_REASON},
	{RCMS_CS_DRAFT, RCMS_CS_WITHDRAWN, "withdraw", RG, OS, 0},
	{RCMS_CS_AWAITING_APPROVAL, RCMS_CS_WITHDRAWN, "withdraw", RG, OS, 0},
	{RCMS_CS_SUBMITTED, RCMS_CS_WITHDRAWN, "withdraw", RG, OS,
	 RCMS_REQ_REASON},
	{RCMS_CS_EXTENSION_REQUESTED, RCMS_CS_WITHDRAWN, "withdraw", RG, OS,
	 RCMS_REQ_REASON},
	{RCMS_CS_SUBMITTED, RCMS_CS_EXTENSION_REQUESTED, "extend", RD, OS,
	 RCMS_REQ_REASON | RCMS_REQ_DAYS},
	{RCMS_CS_SUBMITTED, RCMS_CS_ACCEPTED, "accept", RD, OS, 0},
	{RCMS_CS_EXTENSION_REQUESTED, RCMS_CS_ACCEPTED, "accept", RD, OS, 0},
	{RCMS_CS_SUBMITTED, RCMS_CS_REJECTED, "reject", RD, OS,
	 RCMS_REQ_REASON},
	{RCMS_CS_EXTENSION_REQUESTED, RCMS_CS_REJECTED, "reject", RD, OS,
	 RCMS_REQ_REASON},
	{RCMS_CS_SUBMITTED, RCMS_CS_DEEMED_ACCEPTED, "deem",
	 RCMS_SIDE_SYSTEM, 0, 0},
	{RCMS_CS_EXTENSION_REQUESTED, RCMS_CS_DEEMED_ACCEPTED, "deem",
	 RCMS_SIDE_SYSTEM, 0, 0},
	{RCMS_CS_ACCEPTED, RCMS_CS_TRAVEL_DOCUMENT_ISSUED, "issue", RD, OS,
	 RCMS_REQ_TRAVEL_DOC},
	{RCMS_CS_DEEMED_ACCEPTED, RCMS_CS_TRAVEL_DOCUMENT_ISSUED, "issue", RD,
	 OS, RCMS_REQ_TRAVEL_DOC},
	{RCMS_CS_ACCEPTED, RCMS_CS_TRANSFER_SCHEDULED, "schedule", RG, OS,
	 RCMS_REQ_TRANSFER_DATE},
	{RCMS_CS_DEEMED_ACCEPTED, RCMS_CS_TRANSFER_SCHEDULED, "schedule", RG,
	 OS, RCMS_REQ_TRANSFER_DATE},
	{RCMS_CS_TRAVEL_DOCUMENT_ISSUED, RCMS_CS_TRANSFER_SCHEDULED,
	 "schedule", RG, OS, RCMS_REQ_TRANSFER_DATE},
	{RCMS_CS_TRANSFER_SCHEDULED, RCMS_CS_TRANSFERRED, "transfer", RG, OS,
	 0},
	{RCMS_CS_TRANSFERRED, RCMS_CS_CLOSED, "close", RG, OS, 0},
	{RCMS_CS_REJECTED, RCMS_CS_CLOSED, "close", RG, OS, 0},
	{RCMS_CS_ACCEPTED, RCMS_CS_CLOSED, "close", RG, S, RCMS_REQ_REASON},
	{RCMS_CS_DEEMED_ACCEPTED, RCMS_CS_CLOSED, "close", RG, S,
	 RCMS_REQ_REASON},
	{RCMS_CS_TRAVEL_DOCUMENT_ISSUED, RCMS_CS_CLOSED, "close", RG, S,
	 RCMS_REQ_REASON},
	{RCMS_CS_TRANSFER_SCHEDULED, RCMS_CS_CLOSED, "close", RG, S,
	 RCMS_REQ_REASON},
#undef OS
#undef S
#undef RG
#undef RD
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static const unsigned all_sides[] = {RCMS_SIDE_REQUESTING,
				     RCMS_SIDE_REQUESTED, RCMS_SIDE_SYSTEM};
static const unsigned human_roles[] = {RCMS_ROLE_OFFICER,
				       RCMS_ROLE_SUPERVISOR};

/* ---- helpers ---------------------------------------------------------- */

static void make_case(struct rcms_case *c, enum rcms_case_status st)
{
	memset(c, 0, sizeof(*c));
	c->status = st;
	snprintf(c->created_by, sizeof(c->created_by), "%s", "creator");
}

static struct rcms_transition_args good_args(void)
{
	struct rcms_transition_args a;

	memset(&a, 0, sizeof(a));
	a.reason = "the person holds a valid residence permit elsewhere";
	a.days = 3;
	a.max_days = 6;
	a.travel_doc = "TD-2026-0001";
	a.transfer_date.year = 2026;
	a.transfer_date.month = 5;
	a.transfer_date.day = 10;
	return a;
}

/* An actor the row allows: its first side, supervisor if allowed (else
 * officer), 0 for the exchange's rows; never the creator. */
static struct rcms_actor good_actor(const struct rcms_transition *t)
{
	struct rcms_actor a;
	unsigned s;

	memset(&a, 0, sizeof(a));
	for (s = 1; s <= RCMS_SIDE_SYSTEM; s <<= 1)
		if (t->sides & s)
			break;
	a.side = (enum rcms_side)s;
	if (t->roles & RCMS_ROLE_SUPERVISOR)
		a.role = RCMS_ROLE_SUPERVISOR;
	else if (t->roles & RCMS_ROLE_OFFICER)
		a.role = RCMS_ROLE_OFFICER;
	else
		a.role = (enum rcms_role)0;
	a.user = "second";
	return a;
}

static size_t table_len(void)
{
	size_t n = 0;

	while (rcms_transitions[n].action)
		n++;
	return n;
}

static const char *state_name(enum rcms_case_status st)
{
	return rcms_enum_name(rcms_case_status_names, (int)st);
}

/* Check and expect st; returns the row given back. */
static const struct rcms_transition *
check(const struct rcms_case *c, const char *action,
      const struct rcms_actor *actor, const struct rcms_transition_args *a,
      enum rcms_status want, struct rcms_err *err)
{
	const struct rcms_transition *out = (const void *)&out; /* garbage */
	enum rcms_status st;

	st = rcms_transition_check(c, action, actor, a, &out, err);
	if (st != want)
		print_error("action %s from %s: got %s (%s), want %s\n",
			    action ? action : "(null)",
			    c ? state_name(c->status) : "(null)",
			    rcms_status_name(st), rcms_err_msg(err),
			    rcms_status_name(want));
	assert_int_equal(st, want);
	assert_int_equal(err->status, want);
	if (want != RCMS_OK) {
		assert_null(out);
		assert_true(err->msg[0] != '\0');
	}
	return out;
}

/* ---- the table itself -------------------------------------------------- */

static void test_table_matches_rules(void **state)
{
	size_t i, j, n = table_len();

	(void)state;
	assert_int_equal(n, N_EXPECTED);
	for (i = 0; i < N_EXPECTED; i++) {
		const struct rcms_transition *t =
			rcms_transition_find(expected[i].from,
					     expected[i].action);

		assert_non_null(t);
		assert_int_equal(t->from, expected[i].from);
		assert_int_equal(t->to, expected[i].to);
		assert_string_equal(t->action, expected[i].action);
		assert_int_equal(t->sides, expected[i].sides);
		assert_int_equal(t->roles, expected[i].roles);
		assert_int_equal(t->requires, expected[i].requires);
	}
	for (i = 0; i < n; i++) {
		const struct rcms_transition *t = &rcms_transitions[i];

		/* at most one row per (from, action) */
		for (j = i + 1; j < n; j++)
			assert_false(t->from == rcms_transitions[j].from &&
				     strcmp(t->action,
					    rcms_transitions[j].action) == 0);
		assert_true((unsigned)t->from < RCMS_CS__COUNT);
		assert_true((unsigned)t->to < RCMS_CS__COUNT);
		assert_non_null(t->help);
		assert_true(strlen(t->help) > 10);
		assert_int_equal(t->roles & RCMS_ROLE_ADMIN, 0);
		/* the exchange's rows and only those have no roles */
		assert_int_equal(t->roles == 0,
				 t->sides == RCMS_SIDE_SYSTEM);
		/* no step leaves a final state */
		assert_false(rcms_status_is_final(t->from));
		assert_ptr_equal(rcms_transition_find(t->from, t->action), t);
	}
}

static void test_find(void **state)
{
	(void)state;
	assert_null(rcms_transition_find(RCMS_CS_DRAFT, NULL));
	assert_null(rcms_transition_find(RCMS_CS_DRAFT, ""));
	assert_null(rcms_transition_find(RCMS_CS_DRAFT, "accept"));
	assert_null(rcms_transition_find(RCMS_CS_DRAFT, "Submit"));
	assert_null(rcms_transition_find(RCMS_CS__COUNT, "submit"));
	assert_null(rcms_transition_find((enum rcms_case_status)-1, "submit"));
	assert_int_equal(rcms_transition_find(RCMS_CS_DRAFT, "submit")->to,
			 RCMS_CS_AWAITING_APPROVAL);
	assert_int_equal(rcms_transition_find(RCMS_CS_AWAITING_APPROVAL,
					      "return")->to,
			 RCMS_CS_DRAFT);
}

static void test_action_lists(void **state)
{
	char buf[256], tiny[8];

	(void)state;
	assert_string_equal(rcms_actions_all(buf, sizeof(buf)), ALL_ACTIONS);
	assert_string_equal(rcms_actions_allowed(RCMS_CS_DRAFT, buf,
						 sizeof(buf)),
			    "submit, withdraw");
	assert_string_equal(rcms_actions_allowed(RCMS_CS_SUBMITTED, buf,
						 sizeof(buf)),
			    "withdraw, extend, accept, reject, deem");
	assert_string_equal(rcms_actions_allowed(RCMS_CS_CLOSED, buf,
						 sizeof(buf)),
			    "");
	assert_string_equal(rcms_actions_allowed(RCMS_CS_WITHDRAWN, buf,
						 sizeof(buf)),
			    "");
	/* truncation keeps the string terminated */
	assert_string_equal(rcms_actions_all(tiny, sizeof(tiny)), "submit,");
	assert_string_equal(rcms_actions_allowed(RCMS_CS_DRAFT, tiny, 1), "");
	assert_string_equal(rcms_actions_all(NULL, 10), "");
	assert_string_equal(rcms_actions_all(buf, 0), "");
	assert_string_equal(rcms_actions_allowed(RCMS_CS_DRAFT, NULL, 10), "");
}

/* ---- allowed and forbidden --------------------------------------------- */

static void test_every_allowed_transition(void **state)
{
	size_t i, n = table_len();

	(void)state;
	for (i = 0; i < n; i++) {
		const struct rcms_transition *t = &rcms_transitions[i], *got;
		struct rcms_case c;
		struct rcms_actor actor = good_actor(t);
		struct rcms_transition_args a = good_args();
		struct rcms_err err;
		unsigned r;

		make_case(&c, t->from);
		got = check(&c, t->action, &actor, &a, RCMS_OK, &err);
		assert_ptr_equal(got, t);
		assert_int_equal(got->to, t->to);
		assert_string_equal(err.msg, "");
		/* every allowed role, not just the first */
		for (r = 0; r < 2; r++) {
			if (!(t->roles & human_roles[r]))
				continue;
			actor.role = (enum rcms_role)human_roles[r];
			got = check(&c, t->action, &actor, &a, RCMS_OK, &err);
			assert_ptr_equal(got, t);
		}
		/* out may be NULL */
		assert_int_equal(rcms_transition_check(&c, t->action, &actor,
						       &a, NULL, &err),
				 RCMS_OK);
	}
}

static void test_every_forbidden_transition(void **state)
{
	int s;
	size_t k;

	(void)state;
	for (s = 0; s < RCMS_CS__COUNT; s++) {
		for (k = 0; k < N_ACTIONS; k++) {
			struct rcms_case c;
			struct rcms_actor actor;
			struct rcms_transition_args a = good_args();
			struct rcms_err err;
			char want[320], allowed[256];

			if (rcms_transition_find((enum rcms_case_status)s,
						 action_names[k]))
				continue;
			make_case(&c, (enum rcms_case_status)s);
			/* even the most powerful human actor on either side,
			 * and the exchange, are refused */
			actor.side = RCMS_SIDE_REQUESTED;
			actor.role = RCMS_ROLE_SUPERVISOR;
			actor.user = "second";
			check(&c, action_names[k], &actor, &a,
			      RCMS_ERR_TRANSITION, &err);
			actor.side = RCMS_SIDE_REQUESTING;
			check(&c, action_names[k], &actor, &a,
			      RCMS_ERR_TRANSITION, &err);
			actor.side = RCMS_SIDE_SYSTEM;
			actor.role = (enum rcms_role)0;
			check(&c, action_names[k], &actor, &a,
			      RCMS_ERR_TRANSITION, &err);
			snprintf(want, sizeof(want),
				 "a case in state '%s' cannot be ",
				 state_name((enum rcms_case_status)s));
			assert_non_null(strstr(err.msg, want));
			rcms_actions_allowed((enum rcms_case_status)s, allowed,
					     sizeof(allowed));
			if (allowed[0]) {
				snprintf(want, sizeof(want),
					 "; allowed now: %s", allowed);
				assert_non_null(strstr(err.msg, want));
			} else {
				assert_non_null(
					strstr(err.msg, "no further step"));
			}
		}
	}
}

static void test_forbidden_message(void **state)
{
	struct rcms_case c;
	struct rcms_actor actor = {RCMS_SIDE_REQUESTED, RCMS_ROLE_OFFICER,
				   "pk1"};
	struct rcms_err err;

	(void)state;
	make_case(&c, RCMS_CS_DRAFT);
	check(&c, "accept", &actor, NULL, RCMS_ERR_TRANSITION, &err);
	assert_string_equal(err.msg, "a case in state 'draft' cannot be "
				     "accepted; allowed now: submit, "
				     "withdraw");
	assert_string_equal(err.field, "");
	make_case(&c, RCMS_CS_CLOSED);
	check(&c, "close", &actor, NULL, RCMS_ERR_TRANSITION, &err);
	assert_string_equal(err.msg, "a case in state 'closed' cannot be "
				     "closed; it is finished and allows no "
				     "further step");
}

/* ---- who may act ------------------------------------------------------- */

static void test_wrong_side(void **state)
{
	size_t i, n = table_len(), k;

	(void)state;
	for (i = 0; i < n; i++) {
		const struct rcms_transition *t = &rcms_transitions[i];
		struct rcms_case c;
		struct rcms_transition_args a = good_args();
		struct rcms_err err;

		make_case(&c, t->from);
		for (k = 0; k < 3; k++) {
			struct rcms_actor actor = good_actor(t);

			if (t->sides & all_sides[k])
				continue;
			actor.side = (enum rcms_side)all_sides[k];
			check(&c, t->action, &actor, &a, RCMS_ERR_PERMISSION,
			      &err);
			assert_non_null(strstr(err.msg, "only the "));
		}
	}
}

static void test_wrong_side_messages(void **state)
{
	struct rcms_case c;
	struct rcms_actor actor = {RCMS_SIDE_REQUESTING, RCMS_ROLE_SUPERVISOR,
				   "rs1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;

	(void)state;
	make_case(&c, RCMS_CS_SUBMITTED);
	check(&c, "accept", &actor, &a, RCMS_ERR_PERMISSION, &err);
	assert_string_equal(err.msg,
			    "only the requested agency can accept a case");
	check(&c, "deem", &actor, &a, RCMS_ERR_PERMISSION, &err);
	assert_string_equal(err.msg,
			    "only the exchange can deem a case accepted");
	actor.side = RCMS_SIDE_REQUESTED;
	check(&c, "withdraw", &actor, &a, RCMS_ERR_PERMISSION, &err);
	assert_string_equal(err.msg,
			    "only the requesting agency can withdraw a case");
	/* no side, or two sides at once, is no valid side */
	actor.side = (enum rcms_side)0;
	check(&c, "accept", &actor, &a, RCMS_ERR_PERMISSION, &err);
	actor.side = (enum rcms_side)(RCMS_SIDE_REQUESTED |
				      RCMS_SIDE_SYSTEM);
	check(&c, "accept", &actor, &a, RCMS_ERR_PERMISSION, &err);
	check(&c, "deem", &actor, &a, RCMS_ERR_PERMISSION, &err);
	actor.side = (enum rcms_side)64;
	check(&c, "accept", &actor, &a, RCMS_ERR_PERMISSION, &err);
}

static void test_wrong_role(void **state)
{
	size_t i, n = table_len(), k;

	(void)state;
	for (i = 0; i < n; i++) {
		const struct rcms_transition *t = &rcms_transitions[i];
		struct rcms_case c;
		struct rcms_transition_args a = good_args();
		struct rcms_err err;
		struct rcms_actor actor = good_actor(t);

		if (!t->roles)
			continue;
		make_case(&c, t->from);
		for (k = 0; k < 2; k++) {
			if (t->roles & human_roles[k])
				continue;
			actor.role = (enum rcms_role)human_roles[k];
			check(&c, t->action, &actor, &a, RCMS_ERR_PERMISSION,
			      &err);
			assert_non_null(strstr(err.msg, "only a supervisor"));
		}
		/* no role, or two roles at once */
		actor.role = (enum rcms_role)0;
		check(&c, t->action, &actor, &a, RCMS_ERR_PERMISSION, &err);
		actor.role = (enum rcms_role)(RCMS_ROLE_OFFICER |
					      RCMS_ROLE_SUPERVISOR);
		check(&c, t->action, &actor, &a, RCMS_ERR_PERMISSION, &err);
	}
}

static void test_wrong_role_messages(void **state)
{
	struct rcms_case c;
	struct rcms_actor actor = {RCMS_SIDE_REQUESTING, RCMS_ROLE_OFFICER,
				   "rs1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;

	(void)state;
	make_case(&c, RCMS_CS_AWAITING_APPROVAL);
	check(&c, "approve", &actor, &a, RCMS_ERR_PERMISSION, &err);
	assert_string_equal(err.msg, "only a supervisor can approve a case");
	check(&c, "return", &actor, &a, RCMS_ERR_PERMISSION, &err);
	make_case(&c, RCMS_CS_ACCEPTED);
	check(&c, "close", &actor, &a, RCMS_ERR_PERMISSION, &err);
	assert_string_equal(err.msg, "only a supervisor can close a case");
	/* an officer may close after the transfer, though */
	make_case(&c, RCMS_CS_TRANSFERRED);
	check(&c, "close", &actor, NULL, RCMS_OK, &err);
	actor.role = (enum rcms_role)0;
	check(&c, "close", &actor, NULL, RCMS_ERR_PERMISSION, &err);
	assert_string_equal(err.msg,
			    "only an officer or a supervisor can close a case");
}

static void test_admin(void **state)
{
	size_t i, n = table_len();

	(void)state;
	for (i = 0; i < n; i++) {
		const struct rcms_transition *t = &rcms_transitions[i];
		struct rcms_case c;
		struct rcms_transition_args a = good_args();
		struct rcms_err err;
		struct rcms_actor actor = good_actor(t);

		make_case(&c, t->from);
		actor.role = RCMS_ROLE_ADMIN;
		if (t->sides == RCMS_SIDE_SYSTEM) {
			/* an admin on a workstation is never the exchange */
			actor.side = RCMS_SIDE_REQUESTING;
			check(&c, t->action, &actor, &a, RCMS_ERR_PERMISSION,
			      &err);
			continue;
		}
		check(&c, t->action, &actor, &a, RCMS_ERR_PERMISSION, &err);
		assert_non_null(strstr(err.msg, "administrators"));
	}
}

static void test_system_deems(void **state)
{
	struct rcms_case c;
	struct rcms_actor sys = {RCMS_SIDE_SYSTEM, (enum rcms_role)0, NULL};
	struct rcms_actor pk = {RCMS_SIDE_REQUESTED, RCMS_ROLE_SUPERVISOR,
				"pk1"};
	struct rcms_err err;

	(void)state;
	make_case(&c, RCMS_CS_EXTENSION_REQUESTED);
	assert_int_equal(check(&c, "deem", &sys, NULL, RCMS_OK, &err)->to,
			 RCMS_CS_DEEMED_ACCEPTED);
	/* the exchange takes no human step */
	check(&c, "accept", &sys, NULL, RCMS_ERR_PERMISSION, &err);
	check(&c, "deem", &pk, NULL, RCMS_ERR_PERMISSION, &err);
}

static void test_four_eyes(void **state)
{
	struct rcms_case c;
	struct rcms_actor sup = {RCMS_SIDE_REQUESTING, RCMS_ROLE_SUPERVISOR,
				 "creator"};
	struct rcms_err err;

	(void)state;
	make_case(&c, RCMS_CS_AWAITING_APPROVAL);
	check(&c, "approve", &sup, NULL, RCMS_ERR_PERMISSION, &err);
	assert_string_equal(err.msg, "you created this case; another "
				     "supervisor must approve it (four eyes)");
	sup.user = "CREATOR";
	check(&c, "approve", &sup, NULL, RCMS_ERR_PERMISSION, &err);
	/* the creator, as supervisor, may still return or withdraw */
	sup.user = "creator";
	check(&c, "return", &sup, &(struct rcms_transition_args){
					  .reason = "fix the birth date"},
	      RCMS_OK, &err);
	check(&c, "withdraw", &sup, NULL, RCMS_OK, &err);
	/* another supervisor can approve */
	sup.user = "creator2";
	assert_int_equal(check(&c, "approve", &sup, NULL, RCMS_OK, &err)->to,
			 RCMS_CS_SUBMITTED);
	sup.user = "another";
	check(&c, "approve", &sup, NULL, RCMS_OK, &err);
	/* no user name: four eyes cannot be checked */
	sup.user = NULL;
	check(&c, "approve", &sup, NULL, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "user");
	sup.user = "";
	check(&c, "approve", &sup, NULL, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "user");
	/* nor without a recorded creator */
	sup.user = "another";
	c.created_by[0] = '\0';
	check(&c, "approve", &sup, NULL, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "created_by");
}

/* ---- what a step requires ------------------------------------------------ */

static void test_reason_missing(void **state)
{
	static const char *const blanks[] = {NULL, "", " ", "  \t\n\r \v\f"};
	size_t i, n = table_len(), k;
	int rows = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		const struct rcms_transition *t = &rcms_transitions[i];
		struct rcms_case c;
		struct rcms_actor actor = good_actor(t);
		struct rcms_err err;

		if (!(t->requires & RCMS_REQ_REASON))
			continue;
		rows++;
		make_case(&c, t->from);
		for (k = 0; k < sizeof(blanks) / sizeof(blanks[0]); k++) {
			struct rcms_transition_args a = good_args();

			a.reason = blanks[k];
			check(&c, t->action, &actor, &a, RCMS_ERR_INVALID,
			      &err);
			assert_string_equal(err.field, "reason");
		}
	}
	assert_int_equal(rows, 10); /* return, withdraw x2, extend, reject x2, close x4 */
}

static void test_reason_messages(void **state)
{
	struct rcms_case c;
	struct rcms_actor pk = {RCMS_SIDE_REQUESTED, RCMS_ROLE_OFFICER, "pk1"};
	struct rcms_actor rs = {RCMS_SIDE_REQUESTING, RCMS_ROLE_OFFICER,
				"rs1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;
	static char longr[RCMS_TEXT_LEN + 1];

	(void)state;
	make_case(&c, RCMS_CS_SUBMITTED);
	a.reason = " \t ";
	check(&c, "reject", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.msg, "a rejection needs a reason");
	assert_string_equal(err.field, "reason");
	check(&c, "withdraw", &rs, &a, RCMS_ERR_INVALID, &err);
	/* no reason is needed before the application left the agency */
	make_case(&c, RCMS_CS_DRAFT);
	check(&c, "withdraw", &rs, &a, RCMS_OK, &err);
	make_case(&c, RCMS_CS_AWAITING_APPROVAL);
	check(&c, "withdraw", &rs, &a, RCMS_OK, &err);
	/* a reason the case cannot hold is refused, not cut */
	memset(longr, 'x', RCMS_TEXT_LEN);
	longr[RCMS_TEXT_LEN] = '\0';
	a.reason = longr;
	make_case(&c, RCMS_CS_SUBMITTED);
	check(&c, "reject", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "reason");
	longr[RCMS_TEXT_LEN - 1] = '\0';
	check(&c, "reject", &pk, &a, RCMS_OK, &err);
	/* a reason with leading blanks is a reason */
	a.reason = "  not our national";
	check(&c, "reject", &pk, &a, RCMS_OK, &err);
}

static void test_extension_days(void **state)
{
	struct rcms_case c;
	struct rcms_actor pk = {RCMS_SIDE_REQUESTED, RCMS_ROLE_OFFICER, "pk1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;
	static const int bad[] = {0, 7, -1, 100, -2147483647 - 1};
	size_t k;

	(void)state;
	make_case(&c, RCMS_CS_SUBMITTED);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		a.days = bad[k];
		check(&c, "extend", &pk, &a, RCMS_ERR_INVALID, &err);
		assert_string_equal(err.field, "days");
		assert_string_equal(err.msg, "the extension must be between 1 "
					     "and 6 days");
	}
	a.days = 1;
	assert_int_equal(check(&c, "extend", &pk, &a, RCMS_OK, &err)->to,
			 RCMS_CS_EXTENSION_REQUESTED);
	a.days = 6;
	check(&c, "extend", &pk, &a, RCMS_OK, &err);
	/* no extension under this agreement: said first, whatever else */
	a.max_days = 0;
	a.reason = NULL;
	check(&c, "extend", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.msg, "this agreement allows no extension");
	assert_string_equal(err.field, "days");
	a.max_days = -3;
	check(&c, "extend", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.msg, "this agreement allows no extension");
	/* reason before days */
	a.max_days = 6;
	a.days = 0;
	check(&c, "extend", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "reason");
	assert_string_equal(err.msg, "an extension request needs a reason");
	a.reason = "the fingerprints are being checked";
	a.max_days = 1;
	check(&c, "extend", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.msg, "the extension can only be 1 day");
	/* an extension already requested cannot be requested again */
	make_case(&c, RCMS_CS_EXTENSION_REQUESTED);
	a.days = 1;
	check(&c, "extend", &pk, &a, RCMS_ERR_TRANSITION, &err);
	/* no args at all */
	make_case(&c, RCMS_CS_SUBMITTED);
	check(&c, "extend", &pk, NULL, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.msg, "this agreement allows no extension");
}

static void test_travel_doc(void **state)
{
	struct rcms_case c;
	struct rcms_actor pk = {RCMS_SIDE_REQUESTED, RCMS_ROLE_OFFICER, "pk1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;
	char longdoc[80];

	(void)state;
	make_case(&c, RCMS_CS_DEEMED_ACCEPTED);
	a.travel_doc = NULL;
	check(&c, "issue", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "travel_doc");
	assert_string_equal(err.msg,
			    "issuing needs the travel document number");
	a.travel_doc = "   ";
	check(&c, "issue", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "travel_doc");
	memset(longdoc, '9', sizeof(longdoc) - 1);
	longdoc[sizeof(longdoc) - 1] = '\0';
	a.travel_doc = longdoc;
	check(&c, "issue", &pk, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "travel_doc");
	longdoc[63] = '\0';
	check(&c, "issue", &pk, &a, RCMS_OK, &err);
}

static void test_transfer_date(void **state)
{
	static const struct rcms_pdate bad[] = {
		{0, 0, 0},       {2026, 0, 0},   {2026, 5, 0},
		{2026, 13, 1},   {2026, 2, 29},  {2026, 4, 31},
		{2026, 1, 32},   {1849, 12, 31}, {2201, 1, 1},
		{-2026, 5, 10},  {2026, -1, 10}, {2026, 5, -1},
		{2100, 2, 29},
	};
	static const struct rcms_pdate good[] = {
		{2026, 5, 10}, {2028, 2, 29}, {2000, 2, 29}, {2026, 12, 31},
		{2026, 1, 1},
	};
	struct rcms_case c;
	struct rcms_actor rs = {RCMS_SIDE_REQUESTING, RCMS_ROLE_OFFICER,
				"rs1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;
	size_t k;

	(void)state;
	make_case(&c, RCMS_CS_TRAVEL_DOCUMENT_ISSUED);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		a.transfer_date = bad[k];
		check(&c, "schedule", &rs, &a, RCMS_ERR_INVALID, &err);
		assert_string_equal(err.field, "transfer_date");
		assert_string_equal(err.msg, "scheduling needs a full transfer "
					     "date (YYYY-MM-DD)");
	}
	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		a.transfer_date = good[k];
		assert_int_equal(
			check(&c, "schedule", &rs, &a, RCMS_OK, &err)->to,
			RCMS_CS_TRANSFER_SCHEDULED);
	}
}

/* ---- bad input ---------------------------------------------------------- */

static void test_null_and_empty(void **state)
{
	struct rcms_case c;
	struct rcms_actor rs = {RCMS_SIDE_REQUESTING, RCMS_ROLE_OFFICER,
				"rs1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;
	const struct rcms_transition *out;

	(void)state;
	make_case(&c, RCMS_CS_DRAFT);
	check(NULL, "submit", &rs, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "case");
	check(&c, NULL, &rs, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "action");
	check(&c, "", &rs, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "action");
	assert_string_equal(err.msg, "no action given; actions are: "
				     ALL_ACTIONS);
	check(&c, "submit", NULL, &a, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "actor");
	/* NULL args: fine where nothing is required */
	check(&c, "submit", &rs, NULL, RCMS_OK, &err);
	/* a NULL user is fine where four eyes is not asked */
	rs.user = NULL;
	check(&c, "submit", &rs, NULL, RCMS_OK, &err);
	/* NULL err and NULL out */
	assert_int_equal(rcms_transition_check(NULL, NULL, NULL, NULL, NULL,
					       NULL),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_transition_check(&c, "accept", &rs, NULL, NULL,
					       NULL),
			 RCMS_ERR_TRANSITION);
	out = &rcms_transitions[0];
	assert_int_equal(rcms_transition_check(&c, "submit", &rs, NULL, &out,
					       NULL),
			 RCMS_OK);
	assert_string_equal(out->action, "submit");
	/* a state outside the enum */
	c.status = RCMS_CS__COUNT;
	check(&c, "submit", &rs, NULL, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "status");
	c.status = (enum rcms_case_status)-1;
	check(&c, "submit", &rs, NULL, RCMS_ERR_INVALID, &err);
}

static void test_unknown_action(void **state)
{
	struct rcms_case c;
	struct rcms_actor rs = {RCMS_SIDE_REQUESTING, RCMS_ROLE_SUPERVISOR,
				"rs1"};
	struct rcms_err err;
	char longname[2000];

	(void)state;
	make_case(&c, RCMS_CS_SUBMITTED);
	check(&c, "foo", &rs, NULL, RCMS_ERR_INVALID, &err);
	assert_string_equal(err.field, "action");
	assert_string_equal(err.msg, "unknown action 'foo'; actions are: "
				     ALL_ACTIONS);
	/* names are exact */
	check(&c, "Accept", &rs, NULL, RCMS_ERR_INVALID, &err);
	check(&c, "accept ", &rs, NULL, RCMS_ERR_INVALID, &err);
	/* state names are not actions */
	check(&c, "accepted", &rs, NULL, RCMS_ERR_INVALID, &err);
	/* a very long name does not overflow the message */
	memset(longname, 'z', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	check(&c, longname, &rs, NULL, RCMS_ERR_INVALID, &err);
	assert_true(strlen(err.msg) < sizeof(err.msg));
	assert_non_null(strstr(err.msg, ALL_ACTIONS));
}

static void test_status_predicates(void **state)
{
	int s;

	(void)state;
	for (s = 0; s < RCMS_CS__COUNT; s++) {
		enum rcms_case_status st = (enum rcms_case_status)s;

		assert_int_equal(rcms_status_is_local(st),
				 st == RCMS_CS_DRAFT ||
					 st == RCMS_CS_AWAITING_APPROVAL);
		assert_int_equal(rcms_status_is_final(st),
				 st == RCMS_CS_CLOSED ||
					 st == RCMS_CS_WITHDRAWN);
		assert_int_equal(rcms_status_awaits_reply(st),
				 st == RCMS_CS_SUBMITTED ||
					 st == RCMS_CS_EXTENSION_REQUESTED);
		/* a final state has no step out; every other state has one */
		{
			char buf[256];

			rcms_actions_allowed(st, buf, sizeof(buf));
			assert_int_equal(buf[0] == '\0',
					 rcms_status_is_final(st));
		}
	}
	assert_false(rcms_status_is_local(RCMS_CS__COUNT));
	assert_false(rcms_status_is_final(RCMS_CS__COUNT));
	assert_false(rcms_status_awaits_reply(RCMS_CS__COUNT));
}

/* A whole life, as the command line will drive it. */
static void test_walk_a_case(void **state)
{
	struct rcms_case c;
	struct rcms_actor off = {RCMS_SIDE_REQUESTING, RCMS_ROLE_OFFICER,
				 "creator"};
	struct rcms_actor sup = {RCMS_SIDE_REQUESTING, RCMS_ROLE_SUPERVISOR,
				 "boss"};
	struct rcms_actor pk = {RCMS_SIDE_REQUESTED, RCMS_ROLE_OFFICER, "pk1"};
	struct rcms_transition_args a = good_args();
	struct rcms_err err;
	static const struct {
		const char *action;
		int who; /* 0 officer, 1 supervisor, 2 requested */
		enum rcms_case_status to;
	} steps[] = {
		{"submit", 0, RCMS_CS_AWAITING_APPROVAL},
		{"return", 1, RCMS_CS_DRAFT},
		{"submit", 0, RCMS_CS_AWAITING_APPROVAL},
		{"approve", 1, RCMS_CS_SUBMITTED},
		{"extend", 2, RCMS_CS_EXTENSION_REQUESTED},
		{"accept", 2, RCMS_CS_ACCEPTED},
		{"issue", 2, RCMS_CS_TRAVEL_DOCUMENT_ISSUED},
		{"schedule", 0, RCMS_CS_TRANSFER_SCHEDULED},
		{"transfer", 0, RCMS_CS_TRANSFERRED},
		{"close", 0, RCMS_CS_CLOSED},
	};
	const struct rcms_actor *who[3] = {&off, &sup, &pk};
	size_t k;

	(void)state;
	make_case(&c, RCMS_CS_DRAFT);
	for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		const struct rcms_transition *t =
			check(&c, steps[k].action, who[steps[k].who], &a,
			      RCMS_OK, &err);

		assert_int_equal(t->to, steps[k].to);
		c.status = t->to;
	}
	assert_true(rcms_status_is_final(c.status));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_rules),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_action_lists),
		cmocka_unit_test(test_every_allowed_transition),
		cmocka_unit_test(test_every_forbidden_transition),
		cmocka_unit_test(test_forbidden_message),
		cmocka_unit_test(test_wrong_side),
		cmocka_unit_test(test_wrong_side_messages),
		cmocka_unit_test(test_wrong_role),
		cmocka_unit_test(test_wrong_role_messages),
		cmocka_unit_test(test_admin),
		cmocka_unit_test(test_system_deems),
		cmocka_unit_test(test_four_eyes),
		cmocka_unit_test(test_reason_missing),
		cmocka_unit_test(test_reason_messages),
		cmocka_unit_test(test_extension_days),
		cmocka_unit_test(test_travel_doc),
		cmocka_unit_test(test_transfer_date),
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_unknown_action),
		cmocka_unit_test(test_status_predicates),
		cmocka_unit_test(test_walk_a_case),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
