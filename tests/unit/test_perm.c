/*
 * test_perm.c - the permission table (app/perm.c): every row well formed,
 * the checks and their messages, names and operations, and the state
 * machine's rows taking their roles from it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/perm.h"
#include "app/state.h"

static const enum rcms_role roles[] = {RCMS_ROLE_OFFICER,
				       RCMS_ROLE_SUPERVISOR, RCMS_ROLE_ADMIN};

static void test_rows(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < RCMS_PERM__COUNT; i++) {
		const struct rcms_perm_row *r = rcms_perm_row((enum rcms_perm)i);

		assert_non_null(r);
		assert_int_equal(r->id, i);
		assert_true(r->roles != 0);
		assert_int_equal(r->roles & ~(unsigned)RCMS_P_ALL, 0);
		assert_true(r->name[0] && r->what[0] && r->commands[0]);
		/* a refused role is told why */
		assert_true(r->roles == RCMS_P_ALL || r->why[0]);
		assert_int_equal(rcms_perm_by_name(r->name), i);
		for (j = 0; j < i; j++)
			assert_string_not_equal(rcms_perm_table[j].name,
						r->name);
	}
	assert_null(rcms_perm_row(RCMS_PERM__COUNT));
	assert_null(rcms_perm_row((enum rcms_perm)-1));
	assert_int_equal(rcms_perm_by_name(NULL), RCMS_PERM__COUNT);
	assert_int_equal(rcms_perm_by_name(""), RCMS_PERM__COUNT);
	assert_int_equal(rcms_perm_by_name("case.nothing"), RCMS_PERM__COUNT);
}

static void test_allows(void **state)
{
	(void)state;
	assert_true(rcms_perm_allows(RCMS_PERM_CASE_CREATE, RCMS_ROLE_OFFICER));
	assert_false(rcms_perm_allows(RCMS_PERM_CASE_CREATE, RCMS_ROLE_ADMIN));
	assert_false(rcms_perm_allows(RCMS_PERM_CASE_APPROVE,
				      RCMS_ROLE_OFFICER));
	assert_true(rcms_perm_allows(RCMS_PERM_CASE_APPROVE,
				     RCMS_ROLE_SUPERVISOR));
	assert_true(rcms_perm_allows(RCMS_PERM_USER_MANAGE, RCMS_ROLE_ADMIN));
	assert_false(rcms_perm_allows(RCMS_PERM_USER_MANAGE,
				      RCMS_ROLE_SUPERVISOR));
	assert_false(rcms_perm_allows(RCMS_PERM_CASE_READ, RCMS_ROLE_ADMIN));
	assert_false(rcms_perm_allows(RCMS_PERM_REPORT, RCMS_ROLE_OFFICER));
	/* not one role, or an unknown action: no */
	assert_false(rcms_perm_allows(RCMS_PERM_SESSION, (enum rcms_role)0));
	assert_false(rcms_perm_allows(RCMS_PERM_SESSION, (enum rcms_role)3));
	assert_false(rcms_perm_allows(RCMS_PERM_SESSION, (enum rcms_role)8));
	assert_false(rcms_perm_allows(RCMS_PERM__COUNT, RCMS_ROLE_ADMIN));
}

static void test_check(void **state)
{
	struct rcms_err err;

	(void)state;
	rcms_err_clear(&err);
	assert_int_equal(rcms_perm_check(RCMS_PERM_NOTE_ADD, RCMS_ROLE_OFFICER,
					 &err),
			 RCMS_OK);
	assert_int_equal(rcms_perm_check(RCMS_PERM_NOTE_ADD, RCMS_ROLE_ADMIN,
					 &err),
			 RCMS_ERR_PERMISSION);
	assert_non_null(strstr(err.msg, "only officers and supervisors can "
					"write notes on cases: "));
	assert_int_equal(rcms_perm_check(RCMS_PERM_USER_MANAGE,
					 RCMS_ROLE_OFFICER, &err),
			 RCMS_ERR_PERMISSION);
	assert_non_null(strstr(err.msg, "only an administrator can "));
	assert_int_equal(rcms_perm_check(RCMS_PERM_AUDIT_READ,
					 RCMS_ROLE_OFFICER, &err),
			 RCMS_ERR_PERMISSION);
	assert_non_null(strstr(err.msg, "only supervisors and "
					"administrators can read"));
	/* err may be NULL */
	assert_int_equal(rcms_perm_check(RCMS_PERM_REPORT, RCMS_ROLE_ADMIN,
					 NULL),
			 RCMS_ERR_PERMISSION);
	assert_int_equal(rcms_perm_check(RCMS_PERM__COUNT, RCMS_ROLE_ADMIN,
					 &err),
			 RCMS_ERR_PERMISSION);
}

static void test_words(void **state)
{
	char b[96];

	(void)state;
	assert_string_equal(rcms_perm_roles_words(RCMS_P_WORK, true, b,
						  sizeof(b)),
			    "an officer or a supervisor");
	assert_string_equal(rcms_perm_roles_words(RCMS_P_WORK, false, b,
						  sizeof(b)),
			    "officers and supervisors");
	assert_string_equal(rcms_perm_roles_words(RCMS_P_ALL, false, b,
						  sizeof(b)),
			    "officers, supervisors and administrators");
	assert_string_equal(rcms_perm_roles_words(RCMS_P_SUP, false, b,
						  sizeof(b)),
			    "a supervisor");
	assert_string_equal(rcms_perm_roles_words(0, false, b, sizeof(b)),
			    "nobody");
	assert_string_equal(rcms_perm_roles_words(RCMS_P_ALL, true, b, 8),
			    "an offi");
	assert_string_equal(rcms_perm_roles_words(RCMS_P_ALL, true, NULL, 8),
			    "");
	assert_string_equal(rcms_perm_roles_words(RCMS_P_ALL, true, b, 0),
			    "");
}

static void test_ops(void **state)
{
	(void)state;
	assert_int_equal(rcms_perm_of_op("case.create"), RCMS_PERM_CASE_CREATE);
	assert_int_equal(rcms_perm_of_op("case.update"), RCMS_PERM_CASE_EDIT);
	assert_int_equal(rcms_perm_of_op("document.add"), RCMS_PERM_CASE_EDIT);
	assert_int_equal(rcms_perm_of_op("note.add"), RCMS_PERM_NOTE_ADD);
	assert_int_equal(rcms_perm_of_op("attachment.link"), RCMS_PERM_ATTACH);
	assert_int_equal(rcms_perm_of_op("idcheck.request"),
			 RCMS_PERM_IDCHECK_REQUEST);
	assert_int_equal(rcms_perm_of_op("idcheck.answer"),
			 RCMS_PERM_IDCHECK_ANSWER);
	/* steps are the state machine's; prefixes and unknowns: none */
	assert_int_equal(rcms_perm_of_op("case.transition"), RCMS_PERM__COUNT);
	assert_int_equal(rcms_perm_of_op("case"), RCMS_PERM__COUNT);
	assert_int_equal(rcms_perm_of_op("note.add|"), RCMS_PERM__COUNT);
	assert_int_equal(rcms_perm_of_op(""), RCMS_PERM__COUNT);
	assert_int_equal(rcms_perm_of_op(NULL), RCMS_PERM__COUNT);
}

/* Every step's roles are its permission's, and the table names the step
 * as one of its operations. */
static void test_state_rows(void **state)
{
	const struct rcms_transition *t;
	char op[64];
	size_t k;

	(void)state;
	for (t = rcms_transitions; t->action; t++) {
		const struct rcms_perm_row *r;

		if (t->sides == RCMS_SIDE_SYSTEM) {
			assert_int_equal(t->roles, 0);
			assert_int_equal(t->perm, RCMS_PERM__COUNT);
			continue;
		}
		r = rcms_perm_row(t->perm);
		assert_non_null(r);
		assert_int_equal(t->roles, r->roles);
		snprintf(op, sizeof(op), "case.transition:%s", t->action);
		assert_non_null(strstr(r->ops, op));
		for (k = 0; k < 3; k++)
			assert_int_equal(rcms_perm_allows(t->perm, roles[k]),
					 (t->roles & (unsigned)roles[k]) != 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_allows),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_state_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
