/* test_text.c - UTF-8 helpers and the checks on outside text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/text.h"

#define NAME_FLAGS (RCMS_TEXT_NAME | RCMS_TEXT_NONEMPTY)

/* rcms_text_check(s) as a surname must pass. */
static void ok_name(const char *s)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	if (rcms_text_check(s, 255, NAME_FLAGS, "surname", &err) != RCMS_OK)
		fail_msg("'%s': %s", s, err.msg);
	assert_int_equal(err.status, RCMS_OK);
}

/* rcms_text_check(s, max, flags, "surname") fails with exactly msg. */
static void bad(const char *s, size_t max, unsigned flags, const char *msg)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	assert_int_equal(rcms_text_check(s, max, flags, "surname", &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(err.status, RCMS_ERR_INVALID);
	assert_string_equal(err.field, "surname");
	assert_string_equal(err.msg, msg);
}

static void bad_name(const char *s, const char *msg)
{
	bad(s, 255, NAME_FLAGS, msg);
}

/* ---- rcms_utf8_decode ------------------------------------------------ */

static void dec(const char *s, size_t n, int want_len, uint32_t want_cp)
{
	uint32_t cp = 0xFFFFFFFF;
	int k = rcms_utf8_decode(s, n, &cp);

	assert_int_equal(k, want_len);
	if (want_len > 0)
		assert_int_equal(cp, want_cp);
	else
		assert_int_equal(cp, 0xFFFFFFFF);   /* untouched */
}

static void test_decode_valid(void **state)
{
	(void)state;
	dec("A", 1, 1, 0x41);
	dec("\0", 1, 1, 0);
	dec("\x7f", 1, 1, 0x7F);
	dec("\xc2\x80", 2, 2, 0x80);
	dec("\xc3\xa9", 2, 2, 0xE9);                 /* é */
	dec("\xdf\xbf", 2, 2, 0x7FF);
	dec("\xe0\xa0\x80", 3, 3, 0x800);
	dec("\xd0\x96", 2, 2, 0x416);                /* Ж */
	dec("\xd8\xb9", 2, 2, 0x639);                /* ع */
	dec("\xed\x9f\xbf", 3, 3, 0xD7FF);
	dec("\xee\x80\x80", 3, 3, 0xE000);
	dec("\xef\xbf\xbf", 3, 3, 0xFFFF);
	dec("\xf0\x90\x80\x80", 4, 4, 0x10000);
	dec("\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF);
	dec("\xf0\x9f\x98\x80", 4, 4, 0x1F600);
	/* only the first character is consumed */
	dec("ab", 2, 1, 'a');
	dec("\xc3\xa9x", 3, 2, 0xE9);
	/* cp may be NULL */
	assert_int_equal(rcms_utf8_decode("\xc3\xa9", 2, NULL), 2);
}

static void test_decode_invalid(void **state)
{
	(void)state;
	dec(NULL, 0, -1, 0);
	dec(NULL, 4, -1, 0);
	dec("A", 0, -1, 0);
	dec("\x80", 1, -1, 0);                       /* stray continuation */
	dec("\xbf", 1, -1, 0);
	dec("\xc0\x80", 2, -1, 0);                   /* overlong NUL */
	dec("\xc1\xbf", 2, -1, 0);                   /* overlong */
	dec("\xe0\x80\x80", 3, -1, 0);               /* overlong */
	dec("\xe0\x9f\xbf", 3, -1, 0);               /* overlong U+07FF */
	dec("\xf0\x80\x80\x80", 4, -1, 0);           /* overlong */
	dec("\xf0\x8f\xbf\xbf", 4, -1, 0);           /* overlong U+FFFF */
	dec("\xed\xa0\x80", 3, -1, 0);               /* surrogate D800 */
	dec("\xed\xbf\xbf", 3, -1, 0);               /* surrogate DFFF */
	dec("\xf4\x90\x80\x80", 4, -1, 0);           /* U+110000 */
	dec("\xf5\x80\x80\x80", 4, -1, 0);
	dec("\xf8\x88\x80\x80\x80", 5, -1, 0);       /* 5-byte form */
	dec("\xfe", 1, -1, 0);
	dec("\xff", 1, -1, 0);
	dec("\xc3", 1, -1, 0);                       /* truncated by n */
	dec("\xc3\xa9", 1, -1, 0);
	dec("\xe2\x82", 2, -1, 0);
	dec("\xf0\x9f\x98", 3, -1, 0);
	dec("\xc3" "A", 2, -1, 0);                   /* not a continuation */
	dec("\xe2\x82" "A", 3, -1, 0);
	dec("\xf0\x9f\x98" "A", 4, -1, 0);
	dec("\xe2\xc3\xa9", 3, -1, 0);
}

/* Every code point encodes and decodes back; every 2-byte pair and
 * 3-byte lead decodes exactly when Python's codec would. */
static void test_decode_exhaustive(void **state)
{
	(void)state;
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		unsigned char b[4];
		int n;
		uint32_t back;

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (c < 0x80) {
			b[0] = (unsigned char)c;
			n = 1;
		} else if (c < 0x800) {
			b[0] = (unsigned char)(0xC0 | (c >> 6));
			b[1] = (unsigned char)(0x80 | (c & 0x3F));
			n = 2;
		} else if (c < 0x10000) {
			b[0] = (unsigned char)(0xE0 | (c >> 12));
			b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			b[2] = (unsigned char)(0x80 | (c & 0x3F));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xF0 | (c >> 18));
			b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
			b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			b[3] = (unsigned char)(0x80 | (c & 0x3F));
			n = 4;
		}
		if (rcms_utf8_decode((const char *)b, (size_t)n, &back) != n ||
		    back != c)
			fail_msg("U+%04X does not round-trip", (unsigned)c);
		/* one byte short is always invalid */
		if (n > 1 &&
		    rcms_utf8_decode((const char *)b, (size_t)n - 1, NULL) != -1)
			fail_msg("U+%04X short accepted", (unsigned)c);
	}
	/* no two-byte sequence decodes to anything a one-byte form holds,
	 * and every lead byte 0x80..0xC1 and 0xF5..0xFF is rejected */
	for (unsigned a = 0x80; a <= 0xFF; a++)
		for (unsigned b = 0; b <= 0xFF; b++) {
			char s[2] = {(char)a, (char)b};
			uint32_t cp;
			int k = rcms_utf8_decode(s, 2, &cp);
			bool want = a >= 0xC2 && a <= 0xDF && (b & 0xC0) == 0x80;

			if (a >= 0xE0 && a <= 0xF4)
				continue;   /* needs more bytes */
			if ((k == 2) != want || (k != 2 && k != -1))
				fail_msg("%02x %02x gives %d", a, b, k);
		}
}

/* ---- rcms_utf8_valid ------------------------------------------------- */

static void test_valid(void **state)
{
	size_t bad_at = 99;

	(void)state;
	assert_true(rcms_utf8_valid("", 0, &bad_at));
	assert_int_equal(bad_at, 99);
	assert_true(rcms_utf8_valid(NULL, 0, &bad_at));
	assert_false(rcms_utf8_valid(NULL, 3, &bad_at));
	assert_int_equal(bad_at, 0);
	assert_true(rcms_utf8_valid("Petrovi\xc4\x87", 9, NULL));
	assert_true(rcms_utf8_valid("a\0b", 3, NULL));   /* NUL is valid */
	assert_false(rcms_utf8_valid("Petrovi\xc4", 8, &bad_at));
	assert_int_equal(bad_at, 7);
	assert_false(rcms_utf8_valid("ab\x80", 3, &bad_at));
	assert_int_equal(bad_at, 2);
	assert_false(rcms_utf8_valid("\xc3\xa9\xc3\xa9\xed\xa0\x80", 7,
				     &bad_at));
	assert_int_equal(bad_at, 4);
	assert_false(rcms_utf8_valid("\xff", 1, NULL));
	/* n limits what is read */
	assert_true(rcms_utf8_valid("ab\xff", 2, NULL));
}

/* The reference: one character at a time. */
static bool valid_slow(const char *s, size_t n, size_t *bad_at)
{
	for (size_t i = 0; i < n;) {
		int k = rcms_utf8_decode(s + i, n - i, NULL);
		if (k < 0) {
			*bad_at = i;
			return false;
		}
		i += (size_t)k;
	}
	return true;
}

/* ASCII is read eight bytes at a time: a bad byte or a character cut
 * at every place in and around those words is still found where it is,
 * and random texts give what one character at a time gives. */
static void test_valid_words(void **state)
{
	static const char *const odd[] = {"\x80", "\xc4", "\xff",
					  "\xed\xa0\x80", "\xc0\xaf"};
	char buf[64];
	size_t bad_at, want, pos, i, o, n;
	unsigned seed = 2026;

	(void)state;
	for (o = 0; o < sizeof(odd) / sizeof(odd[0]); o++)
		for (pos = 0; pos < 40; pos++) {
			memset(buf, 'a', sizeof(buf));
			memcpy(buf + pos, odd[o], strlen(odd[o]));
			bad_at = 999;
			assert_false(rcms_utf8_valid(buf, 48, &bad_at));
			assert_int_equal(bad_at, pos);
			/* a good two-byte letter there instead */
			memset(buf, 'a', sizeof(buf));
			memcpy(buf + pos, "\xc4\x87", 2);
			assert_true(rcms_utf8_valid(buf, 48, NULL));
			/* cut by n */
			assert_false(rcms_utf8_valid(buf, pos + 1, &bad_at));
			assert_int_equal(bad_at, pos);
		}
	for (i = 0; i < 20000; i++) {
		bool a, b;
		size_t got = 0;
		n = (seed = seed * 1103515245u + 12345u) % sizeof(buf);
		for (pos = 0; pos < n; pos++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly ASCII, some high bytes */
			buf[pos] = (char)((seed >> 16) % 8 ? (seed >> 8) & 0x7f
							   : (seed >> 8) & 0xff);
		}
		want = 0;
		a = valid_slow(buf, n, &want);
		b = rcms_utf8_valid(buf, n, &got);
		assert_int_equal(a, b);
		if (!a)
			assert_int_equal(got, want);
	}
}

/* ---- rcms_utf8_width, rcms_cp_width ---------------------------------- */

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(rcms_utf8_width(NULL), 0);
	assert_int_equal(rcms_utf8_width(""), 0);
	assert_int_equal(rcms_utf8_width("Petrovic"), 8);
	assert_int_equal(rcms_utf8_width("Petrovi\xc4\x87"), 8);   /* ć */
	/* c + combining acute: one column */
	assert_int_equal(rcms_utf8_width("Petrovic\xcc\x81"), 8);
	/* Ђорђевић */
	assert_int_equal(rcms_utf8_width("\xd0\x82\xd0\xbe\xd1\x80\xd1\x92"
					 "\xd0\xb5\xd0\xb2\xd0\xb8\xd1\x9b"),
			 8);
	/* محمد with a fatha: 4 columns */
	assert_int_equal(rcms_utf8_width("\xd9\x85\xd9\x8e\xd8\xad\xd9\x85"
					 "\xd8\xaf"),
			 4);
	/* 王 and 김: wide */
	assert_int_equal(rcms_utf8_width("\xe7\x8e\x8b"), 2);
	assert_int_equal(rcms_utf8_width("\xea\xb9\x80"), 2);
	assert_int_equal(rcms_utf8_width("a\xe7\x8e\x8b" "b"), 4);
	/* fullwidth A, emoji */
	assert_int_equal(rcms_utf8_width("\xef\xbc\xa1"), 2);
	assert_int_equal(rcms_utf8_width("\xf0\x9f\x98\x80"), 2);
	/* zero width: ZWNJ, ZWJ, LRM, BOM, variation selector, Devanagari
	 * virama; controls 0 */
	assert_int_equal(rcms_utf8_width("\xe2\x80\x8c\xe2\x80\x8d\xe2\x80\x8e"
					 "\xef\xbb\xbf\xef\xb8\x8f"),
			 0);
	assert_int_equal(rcms_utf8_width("\xe0\xa4\x95\xe0\xa5\x8d"), 1);
	assert_int_equal(rcms_utf8_width("a\tb\n\x1b"), 2);
	/* invalid bytes count one each */
	assert_int_equal(rcms_utf8_width("a\xff\xfe" "b"), 4);
	assert_int_equal(rcms_utf8_width("\xc3"), 1);

	assert_int_equal(rcms_cp_width(0), 0);
	assert_int_equal(rcms_cp_width('A'), 1);
	assert_int_equal(rcms_cp_width(0x7F), 0);
	assert_int_equal(rcms_cp_width(0x85), 0);
	assert_int_equal(rcms_cp_width(0x301), 0);
	assert_int_equal(rcms_cp_width(0x416), 1);
	assert_int_equal(rcms_cp_width(0x3000), 2);
	assert_int_equal(rcms_cp_width(0x302A), 0);
	assert_int_equal(rcms_cp_width(0x4E00), 2);
	assert_int_equal(rcms_cp_width(0xAC00), 2);
	assert_int_equal(rcms_cp_width(0x1160), 0);
	assert_int_equal(rcms_cp_width(0x20000), 2);
	assert_int_equal(rcms_cp_width(0x10FFFF), 1);
}

/* ---- rcms_utf8_clip, rcms_text_show ---------------------------------- */

static void test_clip(void **state)
{
	const char *s = "\xd0\x96\xd0\x96\xd0\x96";   /* ЖЖЖ */

	(void)state;
	assert_int_equal(rcms_utf8_clip(NULL, 5, 3), 0);
	assert_int_equal(rcms_utf8_clip("", 0, 3), 0);
	assert_int_equal(rcms_utf8_clip("abc", 3, 3), 3);
	assert_int_equal(rcms_utf8_clip("abcd", 4, 3), 3);
	assert_int_equal(rcms_utf8_clip(s, 6, 6), 6);
	assert_int_equal(rcms_utf8_clip(s, 6, 5), 4);
	assert_int_equal(rcms_utf8_clip(s, 6, 4), 4);
	assert_int_equal(rcms_utf8_clip(s, 6, 3), 2);
	assert_int_equal(rcms_utf8_clip(s, 6, 1), 0);
	assert_int_equal(rcms_utf8_clip(s, 6, 0), 0);
	assert_int_equal(rcms_utf8_clip("\xf0\x9f\x98\x80x", 5, 3), 0);
}

static void test_show(void **state)
{
	char buf[16];
	const char *s;

	(void)state;
	assert_string_equal(rcms_text_show("abc", 3, 40, buf, sizeof(buf)),
			    "abc");
	assert_string_equal(rcms_text_show("", 0, 40, buf, sizeof(buf)), "");
	assert_string_equal(rcms_text_show(NULL, 3, 40, buf, sizeof(buf)), "");
	assert_string_equal(rcms_text_show("abc", 3, 40, NULL, 0), "");
	assert_string_equal(rcms_text_show("abc", 3, 40, buf, 0), "");
	assert_string_equal(rcms_text_show("abc", 3, 40, buf, 3), "");
	/* n limits the input; max limits the output */
	assert_string_equal(rcms_text_show("abcdef", 2, 40, buf, sizeof(buf)),
			    "ab");
	assert_string_equal(rcms_text_show("abcdef", 6, 3, buf, sizeof(buf)),
			    "abc...");
	/* controls, bidi overrides and bad bytes become '?' */
	assert_string_equal(rcms_text_show("a\x1b[0m\n\xff", 7, 40, buf,
					   sizeof(buf)),
			    "a?[0m??");
	assert_string_equal(rcms_text_show("a\xe2\x80\xae" "b", 5, 40, buf,
					   sizeof(buf)),
			    "a?b");
	/* cut between characters, and at the buffer's size */
	s = rcms_text_show("\xd0\x96\xd0\x96\xd0\x96", 6, 5, buf, sizeof(buf));
	assert_string_equal(s, "\xd0\x96\xd0\x96...");
	s = rcms_text_show("0123456789abcdefghij", 20, 40, buf, sizeof(buf));
	assert_string_equal(s, "0123456789ab...");
	assert_int_equal(strlen(s), 15);
}

/* ---- rcms_text_check: names ------------------------------------------ */

static void test_names_ok(void **state)
{
	(void)state;
	ok_name("Petrovic");
	ok_name("Petrovi\xc4\x87");                         /* Petrović */
	ok_name("\xc4\x90or\xc4\x91" "evi\xc4\x87");        /* Đorđević */
	/* Ђорђевић (Serbian Cyrillic) */
	ok_name("\xd0\x82\xd0\xbe\xd1\x80\xd1\x92\xd0\xb5\xd0\xb2\xd0\xb8"
		"\xd1\x9b");
	/* Јовановић-Љубић */
	ok_name("\xd0\x88\xd0\xbe\xd0\xb2\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xb2"
		"\xd0\xb8\xd1\x9b-\xd0\x89\xd1\x83\xd0\xb1\xd0\xb8\xd1\x9b");
	/* Македонски: Ѓорѓиевски, Ќосе */
	ok_name("\xd0\x83\xd0\xbe\xd1\x80\xd1\x93\xd0\xb8\xd0\xb5\xd0\xb2"
		"\xd1\x81\xd0\xba\xd0\xb8 \xd0\x8c\xd0\xbe\xd1\x81\xd0\xb5");
	/* محمد علی (Arabic / Persian) */
	ok_name("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb9\xd9\x84\xdb\x8c");
	/* with harakat: مُحَمَّد */
	ok_name("\xd9\x85\xd9\x8f\xd8\xad\xd9\x8e\xd9\x85\xd9\x91\xd9\x8e"
		"\xd8\xaf");
	/* Persian with ZWNJ: مهدی‌زاده */
	ok_name("\xd9\x85\xd9\x87\xd8\xaf\xdb\x8c\xe2\x80\x8c\xd8\xb2\xd8\xa7"
		"\xd8\xaf\xd9\x87");
	/* Urdu letters ٹ ڈ ڑ ے */
	ok_name("\xd9\xb9\xda\x88\xda\x91\xdb\x92");
	/* Bengali রহমান, Devanagari शर्मा */
	ok_name("\xe0\xa6\xb0\xe0\xa6\xb9\xe0\xa6\xae\xe0\xa6\xbe\xe0\xa6\xa8");
	ok_name("\xe0\xa4\xb6\xe0\xa4\xb0\xe0\xa5\x8d\xe0\xa4\xae\xe0\xa4\xbe");
	/* Greek Παπαδόπουλος */
	ok_name("\xce\xa0\xce\xb1\xcf\x80\xce\xb1\xce\xb4\xcf\x8c\xcf\x80"
		"\xce\xbf\xcf\x85\xce\xbb\xce\xbf\xcf\x82");
	/* Latin Extended, combining marks, Vietnamese, Turkish, Albanian */
	ok_name("Nguy\xe1\xbb\x85n");
	ok_name("Y\xc4\xb1lmaz \xc3\x87" "elik");
	ok_name("Hoxha \xc3\x8bnd\xc3\xabr");
	ok_name("Petrovic\xcc\x81");
	/* punctuation: hyphen, apostrophes, period, spaces */
	ok_name("O'Brien");
	ok_name("O\xe2\x80\x99" "Brien");
	ok_name("N\xca\xbc" "Diaye");
	ok_name("Abdul-Rahman");
	ok_name("J. R. Smith");
	ok_name("de la Cruz");
	/* CJK, Hangul, Georgian, Armenian */
	ok_name("\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e");
	ok_name("\xea\xb9\x80\xeb\xaf\xbc\xec\xa4\x80");
	ok_name("\xe1\x83\x92\xe1\x83\x98\xe1\x83\x9d\xe1\x83\xa0\xe1\x83\x92"
		"\xe1\x83\x98");
	ok_name("\xd5\x80\xd5\xa1\xd5\xb5\xd5\xa1\xd5\xbd\xd5\xbf\xd5\xa1"
		"\xd5\xb6");
}

static void test_names_bad(void **state)
{
	(void)state;
	bad_name("Petrovic7", "surname: a name cannot contain digits ('7' at "
			      "byte 9)");
	bad_name("3rd", "surname: a name cannot contain digits ('3' at byte "
			"1)");
	/* Arabic-Indic and extended digits ٣ ۳, Devanagari ३, superscript ² */
	bad_name("\xd8\xb9\xd9\xa3", "surname: a name cannot contain digits "
				     "('\xd9\xa3' at byte 3)");
	bad_name("\xd8\xb9\xdb\xb3", "surname: a name cannot contain digits "
				     "('\xdb\xb3' at byte 3)");
	bad_name("\xe0\xa4\xb6\xe0\xa5\xa9",
		 "surname: a name cannot contain digits ('\xe0\xa5\xa9' at "
		 "byte 4)");
	bad_name("Smith\xc2\xb2", "surname: a name cannot contain digits "
				  "('\xc2\xb2' at byte 6)");
	bad_name("Smith@home",
		 "surname: '@' (byte 6) cannot be part of a name; use "
		 "letters, spaces, hyphens, apostrophes and periods");
	bad_name("Smith, John",
		 "surname: ',' (byte 6) cannot be part of a name; use "
		 "letters, spaces, hyphens, apostrophes and periods");
	bad_name("\xd8\xb9\xd8\x8c",   /* Arabic comma */
		 "surname: '\xd8\x8c' (byte 3) cannot be part of a name; use "
		 "letters, spaces, hyphens, apostrophes and periods");
	bad_name("Smith\xf0\x9f\x98\x80",
		 "surname: '\xf0\x9f\x98\x80' (byte 6) cannot be part of a "
		 "name; use letters, spaces, hyphens, apostrophes and "
		 "periods");
	bad_name("Smith\xe2\x80\xae" "nhoJ",
		 "surname: the invisible character U+202E (byte 6) cannot be "
		 "part of a name");
	bad_name("Smith\xc2\xa0John",
		 "surname: the special space U+00A0 (byte 6) cannot be part "
		 "of a name; use a normal space");
	bad_name("Smith\nJohn", "surname: the text must be one line; remove "
				"the line break at byte 6");
	bad_name("Smith\tJohn", "surname: the text must be one line; replace "
				"the tab at byte 6 with a space");
	bad_name("Smith\x1b", "surname: the text contains a control character "
			      "(U+001B) at byte 6");
	bad_name("---", "surname: a name needs at least one letter");
	bad_name(". '", "surname: a name needs at least one letter");
	bad_name("\xcc\x81", "surname: a name needs at least one letter");
	bad_name("", "surname is empty");
	bad_name("   ", "surname is empty");
	/* a name may be empty when not required */
	assert_int_equal(rcms_text_check("", 255, RCMS_TEXT_NAME, "surname",
					 NULL),
			 RCMS_OK);
	assert_int_equal(rcms_text_check("  ", 255, RCMS_TEXT_NAME, "surname",
					 NULL),
			 RCMS_OK);
}

/* ---- rcms_text_check: UTF-8, controls, length ------------------------ */

static void test_check_utf8(void **state)
{
	static const struct {
		const char *s;
		const char *msg;
	} cases[] = {
		{"Petrovi\xc4", "surname: the text is not valid UTF-8 (byte 8); "
			       "check the keyboard or file encoding"},
		{"Petrov\xe6", "surname: the text is not valid UTF-8 (byte 7); "
			      "check the keyboard or file encoding"},
		{"\x80" "abc", "surname: the text is not valid UTF-8 (byte 1); "
			       "check the keyboard or file encoding"},
		{"ab\xc0\xaf", "surname: the text is not valid UTF-8 (byte 3); "
			       "check the keyboard or file encoding"},
		{"ab\xe0\x80\xaf", "surname: the text is not valid UTF-8 (byte "
				   "3); check the keyboard or file encoding"},
		{"ab\xed\xa0\x80", "surname: the text is not valid UTF-8 (byte "
				   "3); check the keyboard or file encoding"},
		{"ab\xf4\x90\x80\x80", "surname: the text is not valid UTF-8 "
				       "(byte 3); check the keyboard or file "
				       "encoding"},
		{"ab\xe2\x82" "c", "surname: the text is not valid UTF-8 (byte "
				   "3); check the keyboard or file encoding"},
		{"ab\xff", "surname: the text is not valid UTF-8 (byte 3); "
			   "check the keyboard or file encoding"},
		/* Latin-1 "é" from a wrongly encoded file */
		{"Ren\xe9", "surname: the text is not valid UTF-8 (byte 4); "
			    "check the keyboard or file encoding"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad(cases[i].s, 255, 0, cases[i].msg);
		bad(cases[i].s, 255, NAME_FLAGS, cases[i].msg);
	}
}

static void test_check_controls(void **state)
{
	unsigned flags[] = {0, RCMS_TEXT_SINGLE_LINE};
	char s[8], msg[128];

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		for (unsigned c = 1; c < 0x20; c++) {
			if (c == '\n' || c == '\t')
				continue;
			snprintf(s, sizeof(s), "ab%c", (char)c);
			snprintf(msg, sizeof(msg),
				 "surname: the text contains a control "
				 "character (U+%04X) at byte 3",
				 c);
			bad(s, 255, flags[f], msg);
		}
		bad("ab\x7f", 255, flags[f], "surname: the text contains a "
					     "control character (U+007F) at "
					     "byte 3");
		bad("ab\xc2\x85", 255, flags[f], "surname: the text contains a "
						 "control character (U+0085) "
						 "at byte 3");
		bad("ab\xc2\x9f", 255, flags[f], "surname: the text contains a "
						 "control character (U+009F) "
						 "at byte 3");
		bad("a\r\nb", 255, flags[f], "surname: the text contains a "
					     "control character (U+000D) at "
					     "byte 2");
	}
	/* newline and tab: fine in multi-line text, not in one line */
	assert_int_equal(rcms_text_check("line 1\nline 2\tx", 255, 0, "note",
					 NULL),
			 RCMS_OK);
	bad("a\nb", 255, RCMS_TEXT_SINGLE_LINE,
	    "surname: the text must be one line; remove the line break at "
	    "byte 2");
	bad("a\tb", 255, RCMS_TEXT_SINGLE_LINE,
	    "surname: the text must be one line; replace the tab at byte 2 "
	    "with a space");
	bad("a\xe2\x80\xa8" "b", 255, RCMS_TEXT_SINGLE_LINE,
	    "surname: the text must be one line; remove the line break at "
	    "byte 2");
	assert_int_equal(rcms_text_check("a\xe2\x80\xa8" "b", 255, 0, "x",
					 NULL),
			 RCMS_OK);
	/* non-names may hold digits and punctuation */
	assert_int_equal(rcms_text_check("Road 7, Pre\xc5\xa1" "evo", 255,
					 RCMS_TEXT_SINGLE_LINE |
						 RCMS_TEXT_NONEMPTY,
					 "place", NULL),
			 RCMS_OK);
}

static void test_check_length(void **state)
{
	char s[301];
	struct rcms_err err;

	(void)state;
	memset(s, 'a', 300);
	s[300] = '\0';
	bad(s, 255, 0, "surname is too long: 300 bytes, at most 255");
	bad(s, 255, NAME_FLAGS, "surname is too long: 300 bytes, at most 255");
	s[255] = '\0';
	assert_int_equal(rcms_text_check(s, 255, NAME_FLAGS, "surname", &err),
			 RCMS_OK);
	s[255] = 'a';
	s[256] = '\0';
	bad(s, 255, 0, "surname is too long: 256 bytes, at most 255");
	/* bytes, not characters: 128 Cyrillic letters are 256 bytes */
	for (int i = 0; i < 128; i++)
		memcpy(s + 2 * i, "\xd0\x96", 2);
	s[256] = '\0';
	bad(s, 255, NAME_FLAGS, "surname is too long: 256 bytes, at most 255");
	bad("ab", 0, 0, "surname is too long: 2 bytes, at most 0");
	assert_int_equal(rcms_text_check("", 0, 0, "x", NULL), RCMS_OK);
}

static void test_check_null_empty(void **state)
{
	struct rcms_err err;

	(void)state;
	bad(NULL, 255, 0, "surname is missing");
	bad(NULL, 255, NAME_FLAGS, "surname is missing");
	assert_int_equal(rcms_text_check("", 255, 0, "surname", &err),
			 RCMS_OK);
	bad("", 255, RCMS_TEXT_NONEMPTY, "surname is empty");
	bad(" \t\n", 255, RCMS_TEXT_NONEMPTY, "surname is empty");
	bad("\xc2\xa0\xe3\x80\x80", 255, RCMS_TEXT_NONEMPTY,
	    "surname is empty");
	/* NULL field and NULL err */
	assert_int_equal(rcms_text_check(NULL, 255, 0, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "text");
	assert_string_equal(err.msg, "text is missing");
	assert_int_equal(rcms_text_check("x\x01", 255, 0, "", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.msg, "text: the text contains a control "
				     "character (U+0001) at byte 2");
	assert_int_equal(rcms_text_check(NULL, 255, 0, "x", NULL),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_text_check("ok", 255, 0, "x", NULL), RCMS_OK);
}

/* ---- rcms_text_trim -------------------------------------------------- */

static void trim(const char *in, const char *want)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s", in);
	assert_int_equal(rcms_text_trim(buf), strlen(want));
	assert_string_equal(buf, want);
}

static void test_trim(void **state)
{
	(void)state;
	assert_int_equal(rcms_text_trim(NULL), 0);
	trim("", "");
	trim("   ", "");
	trim("abc", "abc");
	trim("  abc  ", "abc");
	trim("\t\n\r\v\fabc\r\n", "abc");
	trim(" a b ", "a b");
	trim("\xc2\xa0" "abc" "\xc2\xa0", "abc");                 /* NBSP */
	trim("\xe2\x80\x80\xe2\x80\x8b" "abc" "\xe2\x80\x8a", "abc");
	trim("\xe3\x80\x80" "abc" "\xe3\x80\x80", "abc");        /* U+3000 */
	trim("\xef\xbb\xbf" "abc", "abc");                       /* BOM */
	trim("\xe2\x80\xaf" "abc" "\xe2\x81\x9f", "abc");
	trim("a\xc2\xa0" "b", "a\xc2\xa0" "b");                  /* inside */
	trim(" \xc2\xa0 \xe3\x80\x80 ", "");
	/* not spaces: ZWNJ, a letter ending in a similar byte */
	trim("\xe2\x80\x8c" "a", "\xe2\x80\x8c" "a");
	trim(" \xd0\xa0 ", "\xd0\xa0");                          /* Р */
	trim(" \xc4\xa0 ", "\xc4\xa0");                          /* Ġ */
	/* invalid bytes stop trimming and stay */
	trim(" \xa0 ", "\xa0");
	trim(" \xff", "\xff");
	trim("\x80 x", "\x80 x");
	trim("abc\xe3\x80", "abc\xe3\x80");
}

/* ---- rcms_copy ------------------------------------------------------- */

static void test_copy(void **state)
{
	char dst[8];
	struct rcms_err err;

	(void)state;
	rcms_err_clear(&err);
	assert_int_equal(rcms_copy(dst, sizeof(dst), "1234567", "surname",
				   &err),
			 RCMS_OK);
	assert_string_equal(dst, "1234567");
	assert_int_equal(rcms_copy(dst, sizeof(dst), "", "surname", &err),
			 RCMS_OK);
	assert_string_equal(dst, "");
	snprintf(dst, sizeof(dst), "%s", "old");
	assert_int_equal(rcms_copy(dst, sizeof(dst), "12345678", "surname",
				   &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(dst, "");
	assert_string_equal(err.field, "surname");
	assert_string_equal(err.msg, "surname is too long: 8 bytes, at most 7");
	snprintf(dst, sizeof(dst), "%s", "old");
	assert_int_equal(rcms_copy(dst, sizeof(dst), NULL, "surname", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(dst, "");
	assert_string_equal(err.msg, "surname is missing");
	assert_int_equal(rcms_copy(NULL, 8, "x", "surname", &err),
			 RCMS_ERR_INTERNAL);
	assert_string_equal(err.msg, "surname: no place to copy the text to");
	assert_int_equal(rcms_copy(dst, 0, "x", "surname", &err),
			 RCMS_ERR_INTERNAL);
	assert_int_equal(rcms_copy(dst, 1, "", "surname", &err), RCMS_OK);
	assert_int_equal(rcms_copy(dst, 1, "x", NULL, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "text");
	assert_string_equal(err.msg, "text is too long: 1 byte, at most 0");
	assert_int_equal(rcms_copy(dst, sizeof(dst), "x", NULL, NULL),
			 RCMS_OK);
	/* overlapping copy onto itself is fine */
	snprintf(dst, sizeof(dst), "%s", "abc");
	assert_int_equal(rcms_copy(dst, sizeof(dst), dst, "x", NULL), RCMS_OK);
	assert_string_equal(dst, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_decode_exhaustive),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_valid_words),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_names_ok),
		cmocka_unit_test(test_names_bad),
		cmocka_unit_test(test_check_utf8),
		cmocka_unit_test(test_check_controls),
		cmocka_unit_test(test_check_length),
		cmocka_unit_test(test_check_null_empty),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
