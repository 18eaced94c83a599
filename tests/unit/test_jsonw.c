/*
 * test_jsonw.c - the JSON writer (app/jsonw.c): structure, commas,
 * escaping, UTF-8 in and out, limits.  Every document written is also
 * parsed back with cJSON, and checked to be valid UTF-8 as RFC 8259
 * requires.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app/jsonw.h"
#include "app/text.h"

#define FFFD "\xef\xbf\xbd"

/* The writer's text must be w's whole buffer, valid UTF-8 and parse as
 * JSON; returns the parsed value (the caller deletes it). */
static cJSON *parse(const struct rcms_jsonw *w)
{
	const char *end = NULL;
	cJSON *j;

	assert_int_equal(rcms_jsonw_status(w), RCMS_OK);
	assert_non_null(w->buf);
	assert_int_equal(strlen(w->buf), w->len);
	assert_true(w->len < w->cap);
	if (!rcms_utf8_valid(w->buf, w->len, NULL))
		fail_msg("not UTF-8: %s", w->buf);
	j = cJSON_ParseWithOpts(w->buf, &end, 1);
	if (!j)
		fail_msg("cJSON cannot parse: %s", w->buf);
	return j;
}

/* w holds exactly want, and it parses. */
static void expect(struct rcms_jsonw *w, const char *want)
{
	cJSON *j;

	assert_string_equal(w->buf, want);
	assert_int_equal(w->depth, 0);
	j = parse(w);
	cJSON_Delete(j);
	rcms_jsonw_free(w);
}

/* The JSON string s is written as want (with its quotes), and reads back
 * as back. */
static void string_as(const char *s, const char *want, const char *back)
{
	struct rcms_jsonw w;
	cJSON *j;

	rcms_jsonw_init(&w);
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_str(&w, s);
	rcms_jsonw_arr_end(&w);
	{
		char full[1024];
		snprintf(full, sizeof(full), "[%s]", want);
		assert_string_equal(w.buf, full);
	}
	j = parse(&w);
	assert_true(cJSON_IsArray(j));
	assert_true(cJSON_IsString(cJSON_GetArrayItem(j, 0)));
	assert_string_equal(cJSON_GetArrayItem(j, 0)->valuestring, back);
	cJSON_Delete(j);
	rcms_jsonw_free(&w);
}

/* ---- structure --------------------------------------------------------- */

static void test_init_free(void **state)
{
	struct rcms_jsonw w;

	(void)state;
	memset(&w, 0x5a, sizeof(w));
	rcms_jsonw_init(&w);
	assert_null(w.buf);
	assert_int_equal(w.len, 0);
	assert_int_equal(w.depth, 0);
	assert_false(w.failed);
	assert_false(w.after_key);
	assert_int_equal(rcms_jsonw_status(&w), RCMS_OK);
	rcms_jsonw_free(&w);
	assert_null(w.buf);
	rcms_jsonw_free(&w);    /* twice */
	rcms_jsonw_free(NULL);
	assert_int_equal(rcms_jsonw_status(NULL), RCMS_ERR_NOMEM);
	/* a freed writer is ready to use again */
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_obj_end(&w);
	expect(&w, "{}");
}

static void test_empty_containers(void **state)
{
	struct rcms_jsonw w;

	(void)state;
	rcms_jsonw_init(&w);
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_arr_end(&w);
	expect(&w, "[]");

	rcms_jsonw_init(&w);
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_arr_end(&w);
	expect(&w, "[{},[],{}]");

	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_key(&w, "a");
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_key(&w, "b");
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_kstr(&w, "c", "");
	rcms_jsonw_obj_end(&w);
	expect(&w, "{\"a\":{},\"b\":[],\"c\":\"\"}");
}

static void test_nesting_commas(void **state)
{
	struct rcms_jsonw w;
	cJSON *j, *b, *e;

	(void)state;
	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kint(&w, "a", 1);
	rcms_jsonw_key(&w, "b");
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_int(&w, 1);
	rcms_jsonw_int(&w, -2);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kbool(&w, "c", true);
	rcms_jsonw_key(&w, "d");
	rcms_jsonw_null(&w);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_str(&w, "x");
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_bool(&w, false);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_key(&w, "e");
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "f", "g");
	rcms_jsonw_key(&w, "h");
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_key(&w, "i");
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_null(&w);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_kbool(&w, "j", false);
	rcms_jsonw_obj_end(&w);
	assert_string_equal(w.buf,
			    "{\"a\":1,\"b\":[1,-2,{\"c\":true,\"d\":null},\"x\","
			    "[[],false]],\"e\":{\"f\":\"g\",\"h\":{\"i\":"
			    "[null]}},\"j\":false}");
	j = parse(&w);
	assert_int_equal(cJSON_GetArraySize(j), 4);
	b = cJSON_GetObjectItemCaseSensitive(j, "b");
	assert_int_equal(cJSON_GetArraySize(b), 5);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 2),
						     "c")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 2),
						     "d")));
	e = cJSON_GetObjectItemCaseSensitive(j, "e");
	assert_string_equal(cJSON_GetObjectItem(e, "f")->valuestring, "g");
	cJSON_Delete(j);
	rcms_jsonw_free(&w);

	/* top-level scalars */
	rcms_jsonw_init(&w);
	rcms_jsonw_str(&w, "alone");
	expect(&w, "\"alone\"");
	rcms_jsonw_init(&w);
	rcms_jsonw_int(&w, 42);
	expect(&w, "42");
	rcms_jsonw_init(&w);
	rcms_jsonw_null(&w);
	expect(&w, "null");
	rcms_jsonw_init(&w);
	rcms_jsonw_bool(&w, true);
	expect(&w, "true");
}

static void test_numbers(void **state)
{
	struct rcms_jsonw w;

	(void)state;
	rcms_jsonw_init(&w);
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_int(&w, 0);
	rcms_jsonw_int(&w, -1);
	rcms_jsonw_int(&w, INT64_MAX);
	rcms_jsonw_int(&w, INT64_MIN);
	rcms_jsonw_int(&w, INT64_C(1772445600));
	rcms_jsonw_arr_end(&w);
	expect(&w, "[0,-1,9223372036854775807,-9223372036854775808,"
		   "1772445600]");
}

/* ---- strings ------------------------------------------------------------ */

static void test_escapes(void **state)
{
	(void)state;
	string_as("", "\"\"", "");
	string_as("plain", "\"plain\"", "plain");
	string_as("say \"hi\"", "\"say \\\"hi\\\"\"", "say \"hi\"");
	string_as("C:\\dir\\", "\"C:\\\\dir\\\\\"", "C:\\dir\\");
	string_as("\\\"", "\"\\\\\\\"\"", "\\\"");
	string_as("a\nb\rc\td", "\"a\\nb\\rc\\td\"", "a\nb\rc\td");
	string_as("\b\f", "\"\\u0008\\u000c\"", "\b\f");
	string_as("\x01\x1f", "\"\\u0001\\u001f\"", "\x01\x1f");
	string_as("esc\x1b[0m", "\"esc\\u001b[0m\"", "esc\x1b[0m");
	/* DEL and '/' need no escape */
	string_as("a\x7f/b", "\"a\x7f/b\"", "a\x7f/b");
	/* NULL is the empty string */
	string_as(NULL, "\"\"", "");
}

static void test_every_control(void **state)
{
	struct rcms_jsonw w;
	char s[2] = {0, 0}, want[16];
	cJSON *j;
	int c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		s[0] = (char)c;
		rcms_jsonw_init(&w);
		rcms_jsonw_str(&w, s);
		switch (c) {
		case '\n': snprintf(want, sizeof(want), "\"\\n\""); break;
		case '\r': snprintf(want, sizeof(want), "\"\\r\""); break;
		case '\t': snprintf(want, sizeof(want), "\"\\t\""); break;
		default: snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		}
		assert_string_equal(w.buf, want);
		j = parse(&w);
		assert_string_equal(j->valuestring, s);
		cJSON_Delete(j);
		rcms_jsonw_free(&w);
	}
}

static void test_utf8_passthrough(void **state)
{
	(void)state;
	/* 2, 3 and 4 bytes, as they are */
	string_as("\xc5\xbdivkovi\xc4\x87", "\"\xc5\xbdivkovi\xc4\x87\"",
		  "\xc5\xbdivkovi\xc4\x87");
	string_as("\xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2",
		  "\"\xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2\"",
		  "\xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2");
	string_as("\xd8\xae\xd8\xa7\xd9\x86", "\"\xd8\xae\xd8\xa7\xd9\x86\"",
		  "\xd8\xae\xd8\xa7\xd9\x86");
	string_as("\xe5\x90\x8d\xe5\x89\x8d", "\"\xe5\x90\x8d\xe5\x89\x8d\"",
		  "\xe5\x90\x8d\xe5\x89\x8d");
	string_as("\xf0\x9f\x98\x80!", "\"\xf0\x9f\x98\x80!\"",
		  "\xf0\x9f\x98\x80!");
	/* U+2028, U+FEFF and U+FFFD itself are plain characters */
	string_as("a\xe2\x80\xa8" "b", "\"a\xe2\x80\xa8" "b\"",
		  "a\xe2\x80\xa8" "b");
	string_as("\xef\xbb\xbf" FFFD, "\"\xef\xbb\xbf" FFFD "\"",
		  "\xef\xbb\xbf" FFFD);
	/* mixed with escapes */
	string_as("\xc3\xa9\"\xc3\xa9\n", "\"\xc3\xa9\\\"\xc3\xa9\\n\"",
		  "\xc3\xa9\"\xc3\xa9\n");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* each bad byte becomes one U+FFFD, the good ones around stay */
	string_as("\xff", "\"" FFFD "\"", FFFD);
	string_as("a\xfe" "b", "\"a" FFFD "b\"", "a" FFFD "b");
	string_as("\x80", "\"" FFFD "\"", FFFD);      /* stray continuation */
	string_as("\xc3", "\"" FFFD "\"", FFFD);      /* cut short at the end */
	string_as("\xc3\x28", "\"" FFFD "(\"", FFFD "(");
	string_as("\xe2\x82", "\"" FFFD FFFD "\"", FFFD FFFD);
	string_as("\xc0\xaf", "\"" FFFD FFFD "\"", FFFD FFFD); /* overlong */
	string_as("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"", FFFD FFFD FFFD);
	/* a UTF-16 surrogate (CESU-8) */
	string_as("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"", FFFD FFFD FFFD);
	/* above U+10FFFF */
	string_as("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"",
		  FFFD FFFD FFFD FFFD);
	/* Latin-1 typed where UTF-8 was expected */
	string_as("Jos\xe9 \"x\"", "\"Jos" FFFD " \\\"x\\\"\"",
		  "Jos" FFFD " \"x\"");
	string_as("\xc5\xbd\xff\xc5\xbd", "\"\xc5\xbd" FFFD "\xc5\xbd\"",
		  "\xc5\xbd" FFFD "\xc5\xbd");
}

static void test_keys(void **state)
{
	struct rcms_jsonw w;
	cJSON *j;

	(void)state;
	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "quote\"key", "v");
	rcms_jsonw_kstr(&w, "\xc5\xbe", "\xff");
	rcms_jsonw_kstr(&w, NULL, NULL);
	rcms_jsonw_kint(&w, "n\n", -7);
	rcms_jsonw_kbool(&w, "b", true);
	rcms_jsonw_key(&w, "o");
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_key(&w, "arr");
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_str(&w, "x");
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_key(&w, "last");
	rcms_jsonw_null(&w);
	rcms_jsonw_obj_end(&w);
	assert_string_equal(w.buf,
			    "{\"quote\\\"key\":\"v\",\"\xc5\xbe\":\"" FFFD "\","
			    "\"\":\"\",\"n\\n\":-7,\"b\":true,\"o\":{\"arr\":"
			    "[\"x\"]},\"last\":null}");
	assert_false(w.after_key);
	j = parse(&w);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "quote\"key")
				    ->valuestring,
			    "v");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "\xc5\xbe")
				    ->valuestring,
			    FFFD);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "n\n")->valueint,
			 -7);
	assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "o"), "arr")));
	cJSON_Delete(j);
	rcms_jsonw_free(&w);

	/* a key's value may be an array of objects */
	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_key(&w, "documents");
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "id", "1");
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "id", "2");
	rcms_jsonw_kbool(&w, "is_copy", true);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_kint(&w, "n", 2);
	rcms_jsonw_obj_end(&w);
	expect(&w, "{\"documents\":[{\"id\":\"1\"},{\"id\":\"2\",\"is_copy\":"
		   "true}],\"n\":2}");
}

/* a value that is JSON text already goes in as it is, with its commas;
 * NULL or empty is null */
static void test_raw(void **state)
{
	struct rcms_jsonw w;

	(void)state;
	rcms_jsonw_init(&w);
	rcms_jsonw_arr_begin(&w);
	rcms_jsonw_raw(&w, "{\"a\":[1,2]}");
	rcms_jsonw_raw(&w, NULL);
	rcms_jsonw_raw(&w, "");
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_key(&w, "f");
	rcms_jsonw_raw(&w, "{}");
	rcms_jsonw_kint(&w, "n", 1);
	rcms_jsonw_obj_end(&w);
	rcms_jsonw_arr_end(&w);
	expect(&w, "[{\"a\":[1,2]},null,null,{\"f\":{},\"n\":1}]");
}

/* ---- size and depth ------------------------------------------------------ */

static void test_growth(void **state)
{
	struct rcms_jsonw w;
	size_t n = 100000, i;
	char *big = malloc(n + 1);
	cJSON *j;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	big[n / 2] = '"';
	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "big", big);
	rcms_jsonw_key(&w, "many");
	rcms_jsonw_arr_begin(&w);
	for (i = 0; i < 10000; i++)
		rcms_jsonw_int(&w, (int64_t)i);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_obj_end(&w);
	assert_true(w.len > n);
	j = parse(&w);
	assert_string_equal(cJSON_GetObjectItem(j, "big")->valuestring, big);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "many")),
			 10000);
	assert_int_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "many"),
					    9999)->valueint,
			 9999);
	cJSON_Delete(j);
	rcms_jsonw_free(&w);
	free(big);
}

static void test_depth(void **state)
{
	struct rcms_jsonw w;
	cJSON *j;
	size_t len;
	int i;

	(void)state;
	/* 31 levels are fine */
	rcms_jsonw_init(&w);
	for (i = 0; i < 31; i++) {
		rcms_jsonw_obj_begin(&w);
		rcms_jsonw_kint(&w, "level", i);
		rcms_jsonw_key(&w, "next");
	}
	rcms_jsonw_arr_begin(&w); /* a 32nd level is one too many */
	assert_int_equal(rcms_jsonw_status(&w), RCMS_ERR_NOMEM);
	rcms_jsonw_free(&w);

	rcms_jsonw_init(&w);
	for (i = 0; i < 31; i++) {
		rcms_jsonw_arr_begin(&w);
		rcms_jsonw_int(&w, i);
	}
	for (i = 0; i < 31; i++)
		rcms_jsonw_arr_end(&w);
	assert_int_equal(rcms_jsonw_status(&w), RCMS_OK);
	j = parse(&w);
	assert_int_equal(cJSON_GetArrayItem(j, 0)->valueint, 0);
	cJSON_Delete(j);
	rcms_jsonw_free(&w);

	/* the 32nd fails the writer, which then ignores everything */
	rcms_jsonw_init(&w);
	for (i = 0; i < 32; i++)
		rcms_jsonw_arr_begin(&w);
	assert_true(w.failed);
	assert_int_equal(rcms_jsonw_status(&w), RCMS_ERR_NOMEM);
	len = w.len;
	rcms_jsonw_str(&w, "ignored");
	rcms_jsonw_int(&w, 1);
	for (i = 0; i < 32; i++)
		rcms_jsonw_arr_end(&w);
	assert_int_equal(w.len, len);
	assert_int_equal(rcms_jsonw_status(&w), RCMS_ERR_NOMEM);
	rcms_jsonw_free(&w);
	assert_false(w.failed);
	assert_int_equal(rcms_jsonw_status(&w), RCMS_OK);

	/* closing more than was opened does not underflow */
	rcms_jsonw_init(&w);
	rcms_jsonw_arr_end(&w);
	rcms_jsonw_arr_end(&w);
	assert_int_equal(w.depth, 0);
	rcms_jsonw_free(&w);
}

/* Whatever bytes come in, what goes out is JSON, and UTF-8. */
static void test_any_bytes(void **state)
{
	struct rcms_jsonw w;
	char s[256];
	uint32_t x = 12345;
	int round, i, n;
	cJSON *j;

	(void)state;
	/* every byte value once */
	for (i = 1; i < 256; i++)
		s[i - 1] = (char)i;
	s[255] = '\0';
	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, s, s);
	rcms_jsonw_obj_end(&w);
	j = parse(&w);
	assert_non_null(j->child);
	/* the ASCII part survives as it was */
	assert_memory_equal(j->child->valuestring, s, 127);
	cJSON_Delete(j);
	rcms_jsonw_free(&w);

	/* and random strings, a deterministic sequence */
	for (round = 0; round < 2000; round++) {
		n = (int)(x % 40);
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			s[i] = (char)((x >> 16) % 255 + 1);
		}
		s[n] = '\0';
		rcms_jsonw_init(&w);
		rcms_jsonw_arr_begin(&w);
		rcms_jsonw_str(&w, s);
		rcms_jsonw_obj_begin(&w);
		rcms_jsonw_kstr(&w, s, s);
		rcms_jsonw_obj_end(&w);
		rcms_jsonw_arr_end(&w);
		j = parse(&w);
		assert_int_equal(cJSON_GetArraySize(j), 2);
		/* valid UTF-8 comes back byte for byte */
		if (rcms_utf8_valid(s, (size_t)n, NULL))
			assert_string_equal(cJSON_GetArrayItem(j, 0)->valuestring,
					    s);
		cJSON_Delete(j);
		rcms_jsonw_free(&w);
		x = x * 1103515245u + 12345u;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_free),
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_nesting_commas),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_every_control),
		cmocka_unit_test(test_utf8_passthrough),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_any_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
