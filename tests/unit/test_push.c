/*
 * test_push.c - what a push sends (sync/client.c sync_push_build): the
 * outbox in order, each operation with its actor's role for the
 * exchange's half of the permission table, and no role for an actor the
 * replica does not know.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "sync/sync_priv.h"
#include "tests/unit/testutil.h"

static cJSON *build_after(struct db_ctx *ctx, int64_t after, int expect_n)
{
	struct rcms_err err;
	char *body = NULL;
	int64_t lo = 0, hi = 0;
	int n = -1;
	cJSON *j;

	rcms_err_clear(&err);
	assert_int_equal(sync_push_build(ctx, after, &body, &n, &lo, &hi,
					 &err),
			 RCMS_OK);
	assert_int_equal(n, expect_n);
	if (!expect_n) {
		assert_null(body);
		return NULL;
	}
	assert_non_null(body);
	assert_true(lo > after && hi >= lo);
	j = cJSON_Parse(body);
	cJSON_free(body);
	assert_non_null(j);
	return j;
}

static int64_t first_seq(struct rcms_db *db)
{
	return tu_int(db, "SELECT min(seq) FROM outbox WHERE state = "
			  "'pending'");
}

static cJSON *build(struct db_ctx *ctx, int expect_n)
{
	return build_after(ctx, 0, expect_n);
}

static const char *role_of(const cJSON *op)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(op, "role"));
}

static void test_roles(void **state)
{
	struct rcms_db *db = tu_db_new(":memory:", NULL);
	struct db_ctx ana, marko, zoran;
	struct rcms_case c;
	struct rcms_err err;
	const cJSON *ops, *op;
	cJSON *j;
	int i = 0;

	(void)state;
	tu_user_add(db, "ana", RCMS_ROLE_OFFICER);
	tu_user_add(db, "marko", RCMS_ROLE_SUPERVISOR);
	tu_user_add(db, "zoran", RCMS_ROLE_OFFICER);
	tu_ctx(&ana, db, "ana", RCMS_ROLE_OFFICER, TU_AGENCY);
	tu_ctx(&marko, db, "marko", RCMS_ROLE_SUPERVISOR, TU_AGENCY);
	tu_ctx(&zoran, db, "zoran", RCMS_ROLE_OFFICER, TU_AGENCY);
	j = build(&ana, 0);                  /* an empty outbox: nothing */
	rcms_err_clear(&err);
	tu_case_fill(&c, "KHAN");
	assert_int_equal(db_case_create(&ana, &c, NULL, 0, &err), RCMS_OK);
	tu_case_fill(&c, "ALIZADA");
	assert_int_equal(db_case_create(&marko, &c, NULL, 0, &err), RCMS_OK);
	tu_case_fill(&c, "GONE");
	assert_int_equal(db_case_create(&zoran, &c, NULL, 0, &err), RCMS_OK);
	/* the third op's actor is not on this replica any more */
	tu_exec(db, "DELETE FROM users WHERE username = 'zoran'");
	j = build(&ana, 3);
	ops = cJSON_GetObjectItem(j, "ops");
	assert_int_equal(cJSON_GetArraySize(ops), 3);
	cJSON_ArrayForEach(op, ops) {
		const char *want[] = {"officer", "supervisor", NULL};
		if (want[i])
			assert_string_equal(role_of(op), want[i]);
		else
			assert_null(role_of(op));
		/* the keys the exchange knows, no others */
		assert_non_null(cJSON_GetObjectItem(op, "op_id"));
		assert_non_null(cJSON_GetObjectItem(op, "device_time"));
		i++;
	}
	cJSON_Delete(j);
	/* the batch after the first op: the other two */
	j = build_after(&ana, first_seq(db), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "ops")), 2);
	cJSON_Delete(j);
	build_after(&ana, tu_int(db, "SELECT max(seq) FROM outbox WHERE "
				    "state = 'pending'"), 0);
	/* fields go as the outbox holds them; text that is not JSON (a
	 * damaged row) goes as {}, and the others still go */
	tu_exec(db, "DROP TRIGGER outbox_immutable");
	tu_exec(db, "UPDATE outbox SET fields = '{\"a\": [1, 2.5e3], "
		    "\"s\": \"\\u017e\"}' WHERE seq = (SELECT min(seq) "
		    "FROM outbox WHERE state = 'pending')");
	tu_exec(db, "UPDATE outbox SET fields = '{\"broken\": ' WHERE seq = "
		    "(SELECT max(seq) FROM outbox WHERE state = 'pending')");
	j = build(&ana, 3);
	ops = cJSON_GetObjectItem(j, "ops");
	op = cJSON_GetArrayItem(ops, 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 cJSON_GetObjectItem(op, "fields"), "a")),
			 2);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
				    cJSON_GetObjectItem(op, "fields"), "s")),
			    "\xc5\xbe");
	op = cJSON_GetArrayItem(ops, 2);
	assert_true(cJSON_IsObject(cJSON_GetObjectItem(op, "fields")));
	assert_null(cJSON_GetObjectItem(op, "fields")->child);
	cJSON_Delete(j);
	db_close(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
