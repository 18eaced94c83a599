/* text.c - UTF-8 decoding, text checks, trimming and display width. */
#include "app/text.h"

#include <string.h>

struct cp_range {
	uint32_t lo, hi;
};

/* Which of name_ranges' entries are letters (a name needs one). */
enum name_kind { NK_LETTER, NK_MARK };

struct name_range {
	uint32_t lo, hi;
	enum name_kind kind;
};

/*
 * The code points a person's name may be made of, besides space, hyphen,
 * apostrophes and period: letters of the scripts officers meet, with their
 * combining marks.  Sorted, not overlapping.  Deliberately by block, not
 * exact Unicode categories: digits and punctuation of these scripts are
 * left out, the odd unassigned code point inside a block is let in.
 */
static const struct name_range name_ranges[] = {
	{0x0041, 0x005A, NK_LETTER}, {0x0061, 0x007A, NK_LETTER},
	{0x00AA, 0x00AA, NK_LETTER}, {0x00B5, 0x00B5, NK_LETTER},
	{0x00BA, 0x00BA, NK_LETTER},
	/* Latin-1 letters, Latin Extended-A/B, IPA, modifier letters
	 * (U+02BB okina, U+02BC modifier apostrophe) */
	{0x00C0, 0x00D6, NK_LETTER}, {0x00D8, 0x00F6, NK_LETTER},
	{0x00F8, 0x02C1, NK_LETTER}, {0x02C6, 0x02D1, NK_LETTER},
	{0x02E0, 0x02E4, NK_LETTER}, {0x02EC, 0x02EC, NK_LETTER},
	{0x02EE, 0x02EE, NK_LETTER},
	{0x0300, 0x036F, NK_MARK},   /* combining diacritical marks */
	/* Greek and Coptic */
	{0x0370, 0x0374, NK_LETTER}, {0x0376, 0x0377, NK_LETTER},
	{0x037A, 0x037D, NK_LETTER}, {0x037F, 0x037F, NK_LETTER},
	{0x0386, 0x0386, NK_LETTER}, {0x0388, 0x038A, NK_LETTER},
	{0x038C, 0x038C, NK_LETTER}, {0x038E, 0x03A1, NK_LETTER},
	{0x03A3, 0x03F5, NK_LETTER},
	/* Cyrillic and Cyrillic Supplement (U+0482 is a numeric sign) */
	{0x03F7, 0x0481, NK_LETTER}, {0x0483, 0x0489, NK_MARK},
	{0x048A, 0x052F, NK_LETTER},
	/* Armenian */
	{0x0531, 0x0556, NK_LETTER}, {0x0559, 0x0559, NK_LETTER},
	{0x0560, 0x0588, NK_LETTER},
	/* Hebrew */
	{0x0591, 0x05BD, NK_MARK},   {0x05BF, 0x05BF, NK_MARK},
	{0x05C1, 0x05C2, NK_MARK},   {0x05C4, 0x05C5, NK_MARK},
	{0x05C7, 0x05C7, NK_MARK},   {0x05D0, 0x05EA, NK_LETTER},
	{0x05EF, 0x05F2, NK_LETTER},
	/* Arabic, with Persian and Urdu letters; digits U+0660..0669 and
	 * U+06F0..06F9 and punctuation left out */
	{0x0610, 0x061A, NK_MARK},   {0x0620, 0x064A, NK_LETTER},
	{0x064B, 0x065F, NK_MARK},   {0x066E, 0x066F, NK_LETTER},
	{0x0670, 0x0670, NK_MARK},   {0x0671, 0x06D3, NK_LETTER},
	{0x06D5, 0x06D5, NK_LETTER}, {0x06D6, 0x06DC, NK_MARK},
	{0x06DF, 0x06E4, NK_MARK},   {0x06E5, 0x06E6, NK_LETTER},
	{0x06E7, 0x06E8, NK_MARK},   {0x06EA, 0x06ED, NK_MARK},
	{0x06EE, 0x06EF, NK_LETTER}, {0x06FA, 0x06FC, NK_LETTER},
	{0x06FF, 0x06FF, NK_LETTER}, {0x0750, 0x077F, NK_LETTER},
	{0x08A0, 0x08C9, NK_LETTER}, {0x08CA, 0x08E1, NK_MARK},
	{0x08E3, 0x08FF, NK_MARK},
	/* Devanagari (signs and vowel signs as marks) */
	{0x0900, 0x0903, NK_MARK},   {0x0904, 0x0939, NK_LETTER},
	{0x093A, 0x093C, NK_MARK},   {0x093D, 0x093D, NK_LETTER},
	{0x093E, 0x094F, NK_MARK},   {0x0950, 0x0950, NK_LETTER},
	{0x0951, 0x0957, NK_MARK},   {0x0958, 0x0961, NK_LETTER},
	{0x0962, 0x0963, NK_MARK},   {0x0971, 0x097F, NK_LETTER},
	/* Bengali */
	{0x0980, 0x0980, NK_LETTER}, {0x0981, 0x0983, NK_MARK},
	{0x0985, 0x09B9, NK_LETTER}, {0x09BC, 0x09BC, NK_MARK},
	{0x09BD, 0x09BD, NK_LETTER}, {0x09BE, 0x09CD, NK_MARK},
	{0x09CE, 0x09CE, NK_LETTER}, {0x09D7, 0x09D7, NK_MARK},
	{0x09DC, 0x09E1, NK_LETTER}, {0x09E2, 0x09E3, NK_MARK},
	{0x09F0, 0x09F1, NK_LETTER}, {0x09FC, 0x09FC, NK_LETTER},
	{0x09FE, 0x09FE, NK_MARK},
	/* Gurmukhi */
	{0x0A01, 0x0A03, NK_MARK},   {0x0A05, 0x0A39, NK_LETTER},
	{0x0A3C, 0x0A51, NK_MARK},   {0x0A59, 0x0A5E, NK_LETTER},
	{0x0A70, 0x0A71, NK_MARK},   {0x0A72, 0x0A74, NK_LETTER},
	{0x0A75, 0x0A75, NK_MARK},
	/* Georgian (U+10FB is punctuation) */
	{0x10A0, 0x10FA, NK_LETTER}, {0x10FC, 0x10FF, NK_LETTER},
	{0x1100, 0x11FF, NK_LETTER}, /* Hangul Jamo */
	{0x1AB0, 0x1AFF, NK_MARK},   /* combining marks extended */
	{0x1C80, 0x1C88, NK_LETTER}, /* Cyrillic Extended-C */
	{0x1C90, 0x1CBF, NK_LETTER}, /* Georgian Mtavruli */
	{0x1D00, 0x1DBF, NK_LETTER}, /* phonetic extensions */
	{0x1DC0, 0x1DFF, NK_MARK},   /* combining marks supplement */
	{0x1E00, 0x1EFF, NK_LETTER}, /* Latin Extended Additional */
	{0x1F00, 0x1FBC, NK_LETTER}, /* Greek Extended */
	{0x1FC2, 0x1FCC, NK_LETTER}, {0x1FD0, 0x1FDB, NK_LETTER},
	{0x1FE0, 0x1FEC, NK_LETTER}, {0x1FF2, 0x1FFC, NK_LETTER},
	{0x200C, 0x200D, NK_MARK},   /* ZWNJ, ZWJ: Persian names need them */
	{0x2C60, 0x2C7F, NK_LETTER}, /* Latin Extended-C */
	{0x2D00, 0x2D2D, NK_LETTER}, /* Georgian Supplement */
	{0x2DE0, 0x2DFF, NK_MARK},   /* Cyrillic Extended-A */
	{0x3041, 0x3096, NK_LETTER}, /* Hiragana */
	{0x3099, 0x309A, NK_MARK},   {0x309D, 0x309F, NK_LETTER},
	{0x30A1, 0x30FA, NK_LETTER}, /* Katakana */
	{0x30FC, 0x30FF, NK_LETTER},
	{0x3400, 0x4DBF, NK_LETTER}, /* CJK */
	{0x4E00, 0x9FFF, NK_LETTER},
	{0xA640, 0xA66E, NK_LETTER}, /* Cyrillic Extended-B */
	{0xA66F, 0xA672, NK_MARK},   {0xA674, 0xA67D, NK_MARK},
	{0xA67F, 0xA69D, NK_LETTER}, {0xA69E, 0xA69F, NK_MARK},
	{0xA722, 0xA7FF, NK_LETTER}, /* Latin Extended-D */
	{0xAB30, 0xAB5A, NK_LETTER}, /* Latin Extended-E */
	{0xAB5C, 0xAB69, NK_LETTER},
	{0xAC00, 0xD7A3, NK_LETTER}, /* Hangul */
	{0xF900, 0xFAFF, NK_LETTER}, /* CJK compatibility */
	{0xFB00, 0xFB06, NK_LETTER}, /* Latin ligatures */
	{0xFB1D, 0xFB4F, NK_LETTER}, /* Hebrew presentation forms */
	{0xFB50, 0xFBB1, NK_LETTER}, /* Arabic presentation forms */
	{0xFBD3, 0xFD3D, NK_LETTER}, {0xFD50, 0xFDC7, NK_LETTER},
	{0xFDF0, 0xFDFB, NK_LETTER},
	{0xFE20, 0xFE2F, NK_MARK},   /* combining half marks */
	{0xFE70, 0xFEFC, NK_LETTER}, /* Arabic presentation forms-B */
	{0xFF21, 0xFF3A, NK_LETTER}, /* fullwidth Latin */
	{0xFF41, 0xFF5A, NK_LETTER},
	{0x20000, 0x3134F, NK_LETTER}, /* CJK extensions */
};

/* Decimal digits of the scripts above, and superscript digits. */
static const struct cp_range digit_ranges[] = {
	{0x0030, 0x0039}, {0x00B2, 0x00B3}, {0x00B9, 0x00B9},
	{0x0660, 0x0669}, {0x06F0, 0x06F9}, {0x0966, 0x096F},
	{0x09E6, 0x09EF}, {0x0A66, 0x0A6F}, {0x2070, 0x2079},
	{0xFF10, 0xFF19},
};

/* Zero-width: combining marks, joiners, direction marks, variation
 * selectors, Hangul medial and final jamo. */
static const struct cp_range zero_width[] = {
	{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},
	{0x05BF, 0x05BF}, {0x05C1, 0x05C2}, {0x05C4, 0x05C5},
	{0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x061C, 0x061C},
	{0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC},
	{0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED},
	{0x08CA, 0x08E1}, {0x08E3, 0x0902}, {0x093A, 0x093A},
	{0x093C, 0x093C}, {0x0941, 0x0948}, {0x094D, 0x094D},
	{0x0951, 0x0957}, {0x0962, 0x0963}, {0x0981, 0x0981},
	{0x09BC, 0x09BC}, {0x09C1, 0x09C4}, {0x09CD, 0x09CD},
	{0x09E2, 0x09E3}, {0x09FE, 0x09FE}, {0x0A01, 0x0A02},
	{0x0A3C, 0x0A3C}, {0x0A41, 0x0A51}, {0x0A70, 0x0A71},
	{0x0A75, 0x0A75}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF},
	{0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x2028, 0x202E},
	{0x2060, 0x2064}, {0x2066, 0x206F}, {0x20D0, 0x20FF},
	{0x2DE0, 0x2DFF}, {0x302A, 0x302D}, {0x3099, 0x309A},
	{0xA66F, 0xA672}, {0xA674, 0xA67D}, {0xA69E, 0xA69F},
	{0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
	{0xE0000, 0xE0FFF},
};

/* East Asian wide and fullwidth. */
static const struct cp_range wide[] = {
	{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x3247},
	{0x3250, 0x4DBF},   {0x4E00, 0xA4CF},   {0xA960, 0xA97F},
	{0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
	{0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
	{0x1B000, 0x1B2FF}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF},
	{0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Binary search of a sorted range table; the index or -1. */
#define RANGE_FIND(table, n, cp, result)                                      \
	do {                                                                  \
		size_t lo_ = 0, hi_ = (n);                                    \
		(result) = -1;                                                \
		while (lo_ < hi_) {                                           \
			size_t mid_ = lo_ + (hi_ - lo_) / 2;                  \
			if ((cp) < (table)[mid_].lo)                          \
				hi_ = mid_;                                   \
			else if ((cp) > (table)[mid_].hi)                     \
				lo_ = mid_ + 1;                               \
			else {                                                \
				(result) = (long)mid_;                        \
				break;                                        \
			}                                                     \
		}                                                             \
	} while (0)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_ranges(const struct cp_range *t, size_t n, uint32_t cp)
{
	long i;

	RANGE_FIND(t, n, cp, i);
	return i >= 0;
}

/* The name_ranges entry of cp, or NULL. */
static const struct name_range *name_class(uint32_t cp)
{
	long i;

	RANGE_FIND(name_ranges, COUNT(name_ranges), cp, i);
	return i >= 0 ? &name_ranges[i] : NULL;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

static bool is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 ||
	       (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static bool is_line_break(uint32_t cp)
{
	return cp == '\n' || cp == 0x2028 || cp == 0x2029;
}

/* Space, hyphen, apostrophes and period. */
static bool is_name_punct(uint32_t cp)
{
	return cp == ' ' || cp == '-' || cp == '\'' || cp == '.' ||
	       cp == 0x2019;
}

static const char *field_or(const char *field)
{
	return field && field[0] ? field : "text";
}

/* ---- UTF-8 ----------------------------------------------------------- */

int rcms_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t v, min;
	int need;

	if (!s || n == 0)
		return -1;
	if (p[0] < 0x80) {
		v = p[0];
		need = 0;
		min = 0;
	} else if (p[0] < 0xC2) {      /* continuation, or overlong C0/C1 */
		return -1;
	} else if (p[0] < 0xE0) {
		v = p[0] & 0x1F;
		need = 1;
		min = 0x80;
	} else if (p[0] < 0xF0) {
		v = p[0] & 0x0F;
		need = 2;
		min = 0x800;
	} else if (p[0] < 0xF5) {
		v = p[0] & 0x07;
		need = 3;
		min = 0x10000;
	} else {
		return -1;
	}
	if (n < (size_t)need + 1)
		return -1;
	for (int k = 1; k <= need; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (p[k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	if (cp)
		*cp = v;
	return need + 1;
}

bool rcms_utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
	if (!s) {
		if (n == 0)
			return true;
		if (bad_offset)
			*bad_offset = 0;
		return false;
	}
	for (size_t i = 0; i < n;) {
		uint64_t w;
		int k;

		/* ASCII, which almost every text is, eight bytes at a time:
		 * a request of 500 cases is a megabyte of it */
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (!(w & UINT64_C(0x8080808080808080))) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = rcms_utf8_decode(s + i, n - i, NULL);
		if (k < 0) {
			if (bad_offset)
				*bad_offset = i;
			return false;
		}
		i += (size_t)k;
	}
	return true;
}

int rcms_cp_width(uint32_t cp)
{
	if (cp == 0 || is_control(cp))
		return 0;
	if (in_ranges(zero_width, COUNT(zero_width), cp))
		return 0;
	if (in_ranges(wide, COUNT(wide), cp))
		return 2;
	return 1;
}

size_t rcms_utf8_width(const char *s)
{
	size_t w = 0, n;

	if (!s)
		return 0;
	n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = rcms_utf8_decode(s + i, n - i, &cp);

		if (k < 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)rcms_cp_width(cp);
		i += (size_t)k;
	}
	return w;
}

size_t rcms_utf8_clip(const char *s, size_t n, size_t max)
{
	size_t k;

	if (!s || n <= max)
		return s ? n : 0;
	k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

const char *rcms_text_show(const char *s, size_t n, size_t max, char *buf,
			   size_t size)
{
	size_t out = 0, i = 0, limit;

	if (!buf || size == 0)
		return "";
	buf[0] = '\0';
	if (!s || size < 4)
		return buf;
	limit = size - 4 < max ? size - 4 : max;   /* room for "..." */
	while (i < n) {
		uint32_t cp = 0;
		int k = rcms_utf8_decode(s + i, n - i, &cp);
		size_t len = k < 0 ? 1 : (size_t)k;

		if (k < 0 || is_control(cp) || (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			if (out + 1 > limit)
				break;
			buf[out++] = '?';
		} else {
			if (out + len > limit)
				break;
			memcpy(buf + out, s + i, len);
			out += len;
		}
		i += len;
	}
	if (i < n) {
		memcpy(buf + out, "...", 3);
		out += 3;
	}
	buf[out] = '\0';
	return buf;
}

/* ---- checks ---------------------------------------------------------- */

static enum rcms_status too_long(struct rcms_err *err, const char *f,
				 size_t len, size_t max)
{
	return rcms_err_set(err, RCMS_ERR_INVALID, f,
			    "%s is too long: %zu byte%s, at most %zu", f, len,
			    len == 1 ? "" : "s", max);
}

/* The message for a code point that cannot be part of a name. */
static enum rcms_status not_name(struct rcms_err *err, const char *f,
				 const char *s, int k, uint32_t cp,
				 size_t at)
{
	if (in_ranges(digit_ranges, COUNT(digit_ranges), cp))
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: a name cannot contain digits "
				    "('%.*s' at byte %zu)",
				    f, k, s, at + 1);
	if (is_space(cp))
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: the special space U+%04X (byte %zu) "
				    "cannot be part of a name; use a normal "
				    "space",
				    f, (unsigned)cp, at + 1);
	if (rcms_cp_width(cp) == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: the invisible character U+%04X "
				    "(byte %zu) cannot be part of a name",
				    f, (unsigned)cp, at + 1);
	return rcms_err_set(err, RCMS_ERR_INVALID, f,
			    "%s: '%.*s' (byte %zu) cannot be part of a name; "
			    "use letters, spaces, hyphens, apostrophes and "
			    "periods",
			    f, k, s, at + 1);
}

enum rcms_status rcms_text_check(const char *s, size_t max_bytes,
				 unsigned flags, const char *field,
				 struct rcms_err *err)
{
	const char *f = field_or(field);
	bool one_line = flags & (RCMS_TEXT_SINGLE_LINE | RCMS_TEXT_NAME);
	bool name = flags & RCMS_TEXT_NAME;
	bool nonspace = false, letter = false;
	size_t len;

	if (!s)
		return rcms_err_set(err, RCMS_ERR_INVALID, f, "%s is missing",
				    f);
	len = strlen(s);
	if (len > max_bytes)
		return too_long(err, f, len, max_bytes);
	/* the usual text: printable ASCII, which is one line, has no
	 * control character and, in a name, only the letters A-Z and a-z
	 * and the name's punctuation (is_name_punct).  Anything else is
	 * checked character by character below. */
	{
		const unsigned char *p = (const unsigned char *)s;
		size_t i;

		for (i = 0; i < len; i++) {
			unsigned char ch = p[i];
			if (ch < 0x20 || ch > 0x7E)
				break;
			if (ch != ' ')
				nonspace = true;
			if (!name)
				continue;
			if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')
				letter = true;
			else if (ch != ' ' && ch != '-' && ch != '\'' &&
				 ch != '.')
				break;
		}
		if (i == len)
			goto done;
		nonspace = letter = false;
	}
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int k = rcms_utf8_decode(s + i, len - i, &cp);

		if (k < 0)
			return rcms_err_set(err, RCMS_ERR_INVALID, f,
					    "%s: the text is not valid UTF-8 "
					    "(byte %zu); check the keyboard "
					    "or file encoding",
					    f, i + 1);
		if (is_line_break(cp) && one_line)
			return rcms_err_set(err, RCMS_ERR_INVALID, f,
					    "%s: the text must be one line; "
					    "remove the line break at byte %zu",
					    f, i + 1);
		if (cp == '\t' && one_line)
			return rcms_err_set(err, RCMS_ERR_INVALID, f,
					    "%s: the text must be one line; "
					    "replace the tab at byte %zu with "
					    "a space",
					    f, i + 1);
		if (is_control(cp) && cp != '\n' && cp != '\t')
			return rcms_err_set(err, RCMS_ERR_INVALID, f,
					    "%s: the text contains a control "
					    "character (U+%04X) at byte %zu",
					    f, (unsigned)cp, i + 1);
		if (name) {
			const struct name_range *r = name_class(cp);

			if (r && r->kind == NK_LETTER)
				letter = true;
			else if (!r && !is_name_punct(cp))
				return not_name(err, f, s + i, k, cp, i);
		}
		if (!is_space(cp))
			nonspace = true;
		i += (size_t)k;
	}
done:
	if ((flags & RCMS_TEXT_NONEMPTY) && !nonspace)
		return rcms_err_set(err, RCMS_ERR_INVALID, f, "%s is empty", f);
	if (name && nonspace && !letter)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: a name needs at least one letter", f);
	return RCMS_OK;
}

/* ---- editing --------------------------------------------------------- */

size_t rcms_text_trim(char *s)
{
	size_t len, start = 0, end;

	if (!s)
		return 0;
	len = strlen(s);
	/* nothing to trim: an ASCII character that is not a space at each
	 * end (a byte from 0x80 may end or start a wider space) */
	if (len == 0 ||
	    ((unsigned char)s[0] > ' ' && (unsigned char)s[0] < 0x80 &&
	     (unsigned char)s[len - 1] > ' ' &&
	     (unsigned char)s[len - 1] < 0x80))
		return len;
	while (start < len) {
		uint32_t cp;
		int k = rcms_utf8_decode(s + start, len - start, &cp);

		if (k < 0 || !is_space(cp))
			break;
		start += (size_t)k;
	}
	end = len;
	while (end > start) {
		/* the start of the last character: back over continuations */
		size_t b = end - 1;
		uint32_t cp;
		int k;

		while (b > start && end - b < 4 &&
		       ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
		k = rcms_utf8_decode(s + b, end - b, &cp);
		if (k < 0 || (size_t)k != end - b || !is_space(cp))
			break;
		end = b;
	}
	if (start > 0)
		memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return end - start;
}

enum rcms_status rcms_copy(char *dst, size_t size, const char *src,
			   const char *field, struct rcms_err *err)
{
	const char *f = field_or(field);
	size_t len;

	if (!dst || size == 0)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, f,
				    "%s: no place to copy the text to", f);
	if (!src) {
		dst[0] = '\0';
		return rcms_err_set(err, RCMS_ERR_INVALID, f, "%s is missing",
				    f);
	}
	len = strlen(src);
	if (len >= size) {
		dst[0] = '\0';
		return too_long(err, f, len, size - 1);
	}
	memmove(dst, src, len + 1);
	return RCMS_OK;
}
