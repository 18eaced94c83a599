/*
 * text.h - checks every outside string passes before it is stored, and the
 * UTF-8 helpers behind them.
 *
 * Pure: no I/O, no allocation, no locale.  All text in rcms is UTF-8.
 * Byte positions in messages count from 1 ("byte 7" is the seventh byte);
 * offsets returned to callers count from 0.
 *
 * A C string ends at its first NUL, so a NUL inside outside data must be
 * caught where the data's length is still known (rcms_utf8_valid with n,
 * or the wire decoder); rcms_text_check sees only what precedes it.
 */
#ifndef RCMS_APP_TEXT_H
#define RCMS_APP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/status.h"

/* Flags of rcms_text_check. */
enum rcms_text_flag {
	RCMS_TEXT_SINGLE_LINE = 1 << 0, /* no newline, no tab */
	RCMS_TEXT_NONEMPTY = 1 << 1,    /* something besides spaces */
	RCMS_TEXT_NAME = 1 << 2,        /* a person's name; implies one line */
};

/*
 * Check s for storage in a field: valid UTF-8, at most max_bytes bytes
 * (not counting the NUL: a buffer of N bytes holds max_bytes N - 1), no
 * control characters (C0, DEL, C1) except newline and tab in multi-line
 * text, and the flags' rules.  RCMS_TEXT_NAME allows letters of any common
 * script (Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic with
 * Persian and Urdu letters, Devanagari, Bengali, Gurmukhi, CJK, Hangul),
 * combining marks, spaces, hyphen, apostrophes (' and U+2019, U+02BC),
 * period, and zero-width (non-)joiners (Persian names need U+200C); a
 * non-empty name needs at least one letter.
 *
 * Returns RCMS_OK, or RCMS_ERR_INVALID with err->field = field ("text"
 * when NULL) and err->msg one of (field "surname"):
 *   "surname is missing"                                   (s NULL)
 *   "surname is empty"                                     (NONEMPTY)
 *   "surname is too long: 300 bytes, at most 255"
 *   "surname: the text is not valid UTF-8 (byte 7); check the keyboard or file encoding"
 *   "surname: the text contains a control character (U+001B) at byte 4"
 *   "surname: the text must be one line; remove the line break at byte 9"
 *   "surname: the text must be one line; replace the tab at byte 9 with a space"
 *   "surname: a name cannot contain digits ('7' at byte 5)"
 *   "surname: '@' (byte 5) cannot be part of a name; use letters, spaces, hyphens, apostrophes and periods"
 *   "surname: a name needs at least one letter"
 */
enum rcms_status rcms_text_check(const char *s, size_t max_bytes,
				 unsigned flags, const char *field,
				 struct rcms_err *err);

/*
 * Trim spaces at both ends of s in place: ASCII white space (space, tab,
 * newline, CR, VT, FF) and Unicode spaces U+00A0, U+2000..U+200B, U+202F,
 * U+205F, U+3000 and U+FEFF.  Returns the new length; 0 for NULL.
 */
size_t rcms_text_trim(char *s);

/*
 * Copy src into dst (size bytes) or fail, never truncating:
 * RCMS_ERR_INVALID "surname is too long: 300 bytes, at most 255" (dst is
 * then ""), "surname is missing" for NULL src; RCMS_ERR_INTERNAL for NULL
 * dst or size 0.  field "text" when NULL.
 */
enum rcms_status rcms_copy(char *dst, size_t size, const char *src,
			   const char *field, struct rcms_err *err);

/*
 * Decode one code point from the n bytes at s into *cp (cp may be NULL).
 * Returns the bytes consumed (1..4), or -1 for invalid UTF-8: a stray
 * continuation byte, an overlong form, a surrogate, a value above
 * U+10FFFF, a sequence cut short by n or by a non-continuation byte; also
 * -1 for NULL s or n == 0.  A NUL byte decodes as U+0000.
 */
int rcms_utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * Are the n bytes at s valid UTF-8 (NUL bytes included)?  If not and
 * bad_offset is not NULL, *bad_offset is the 0-based offset of the first
 * byte of the first bad sequence.  NULL s is valid only when n is 0.
 */
bool rcms_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/*
 * Terminal columns s takes: combining marks, zero-width characters and
 * controls 0, East Asian wide and fullwidth characters (CJK, Hangul,
 * fullwidth forms, emoji) 2, anything else 1; an invalid byte counts 1
 * (the screen shows a replacement).  0 for NULL.
 */
size_t rcms_utf8_width(const char *s);

/* Columns of one code point, as rcms_utf8_width counts them (0, 1 or 2). */
int rcms_cp_width(uint32_t cp);

/*
 * The longest prefix of the n bytes at s that has at most max bytes and
 * does not cut a UTF-8 sequence.
 */
size_t rcms_utf8_clip(const char *s, size_t n, size_t max);

/*
 * Make the n bytes at s (outside data) safe to quote in a message: at
 * most max bytes of it, cut between characters with "..." appended when
 * cut, control characters and invalid bytes replaced by '?'.  Writes into
 * buf (size bytes, always NUL-terminated when size > 0) and returns buf.
 */
const char *rcms_text_show(const char *s, size_t n, size_t max, char *buf,
			   size_t size);

#endif
