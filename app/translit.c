/*
 * translit.c - ICAO Doc 9303 Part 3 transliteration into MRZ characters.
 * See translit.h for the rules.
 */
#include "app/translit.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "app/text.h"

/* What one code point becomes. */
enum kind {
	K_UNKNOWN,  /* refused */
	K_TEXT,     /* letters or digits */
	K_SEP,      /* a filler, collapsed */
	K_OMIT      /* nothing */
};

/*
 * Decode one UTF-8 sequence at s (n bytes left).  Returns its length and
 * sets *cp, or 0 for an invalid sequence (overlong, surrogate, beyond
 * U+10FFFF, truncated).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	/* the project's one UTF-8 decoder (app/text.c) */
	int k = n ? rcms_utf8_decode((const char *)s, n, cp) : -1;

	return k > 0 ? (size_t)k : 0;
}

/* Latin-1 Supplement, U+00C0..U+00DF (lower case U+00E0..U+00FF folds). */
static const char *const latin1[32] = {
	"A", "A", "A", "A", "AE", "AA", "AE", "C",     /* À Á Â Ã Ä Å Æ Ç */
	"E", "E", "E", "E", "I", "I", "I", "I",        /* È É Ê Ë Ì Í Î Ï */
	"D", "N", "O", "O", "O", "O", "OE", NULL,      /* Ð Ñ Ò Ó Ô Õ Ö × */
	"OE", "U", "U", "U", "UE", "Y", "TH", "SS",    /* Ø Ù Ú Û Ü Ý Þ ß */
};

/* Latin Extended-A, U+0100..U+017F, both cases. */
static const char *const latin_ext_a[128] = {
	"A", "A", "A", "A", "A", "A", "C", "C",        /* Ā ā Ă ă Ą ą Ć ć */
	"C", "C", "C", "C", "C", "C", "D", "D",        /* Ĉ ĉ Ċ ċ Č č Ď ď */
	"D", "D", "E", "E", "E", "E", "E", "E",        /* Đ đ Ē ē Ĕ ĕ Ė ė */
	"E", "E", "E", "E", "G", "G", "G", "G",        /* Ę ę Ě ě Ĝ ĝ Ğ ğ */
	"G", "G", "G", "G", "H", "H", "H", "H",        /* Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ */
	"I", "I", "I", "I", "I", "I", "I", "I",        /* Ĩ ĩ Ī ī Ĭ ĭ Į į */
	"I", "I", "IJ", "IJ", "J", "J", "K", "K",      /* İ ı Ĳ ĳ Ĵ ĵ Ķ ķ */
	"K", "L", "L", "L", "L", "L", "L", "L",        /* ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ */
	"L", "L", "L", "N", "N", "N", "N", "N",        /* ŀ Ł ł Ń ń Ņ ņ Ň */
	"N", "N", "N", "N", "O", "O", "O", "O",        /* ň ŉ Ŋ ŋ Ō ō Ŏ ŏ */
	"O", "O", "OE", "OE", "R", "R", "R", "R",      /* Ő ő Œ œ Ŕ ŕ Ŗ ŗ */
	"R", "R", "S", "S", "S", "S", "S", "S",        /* Ř ř Ś ś Ŝ ŝ Ş ş */
	"S", "S", "T", "T", "T", "T", "T", "T",        /* Š š Ţ ţ Ť ť Ŧ ŧ */
	"U", "U", "U", "U", "U", "U", "U", "U",        /* Ũ ũ Ū ū Ŭ ŭ Ů ů */
	"U", "U", "U", "U", "W", "W", "Y", "Y",        /* Ű ű Ų ų Ŵ ŵ Ŷ ŷ */
	"Y", "Z", "Z", "Z", "Z", "Z", "Z", "S",        /* Ÿ Ź ź Ż ż Ž ž ſ */
};

/*
 * Cyrillic U+0400..U+042F by the Part 3 table (lower case U+0430..U+045F
 * folds onto it).
 */
static const char *const cyrillic[48] = {
	"E", "E", "D", "G", "IE", "DZ", "I", "I",      /* Ѐ Ё Ђ Ѓ Є Ѕ І Ї */
	"J", "LJ", "NJ", "C", "K", "I", "U", "DZ",     /* Ј Љ Њ Ћ Ќ Ѝ Ў Џ */
	"A", "B", "V", "G", "D", "E", "ZH", "Z",       /* А Б В Г Д Е Ж З */
	"I", "I", "K", "L", "M", "N", "O", "P",        /* И Й К Л М Н О П */
	"R", "S", "T", "U", "F", "KH", "TS", "CH",     /* Р С Т У Ф Х Ц Ч */
	"SH", "SHCH", "IE", "Y", "", "E", "IU", "IA",  /* Ш Щ Ъ Ы Ь Э Ю Я */
};

/* Fold a Cyrillic code point U+0400..U+045F onto its capital. */
static uint32_t cyr_upper(uint32_t cp)
{
	if (cp >= 0x430 && cp <= 0x44F)
		return cp - 0x20;
	if (cp >= 0x450 && cp <= 0x45F)
		return cp - 0x50;
	return cp;
}

static const char *cyrillic_map(uint32_t cp, enum rcms_translit_lang lang)
{
	uint32_t u = cyr_upper(cp);

	if (lang == RCMS_TRANSLIT_SR_MK) {
		switch (u) {
		case 0x416: return "Z";   /* Ж */
		case 0x425: return "H";   /* Х */
		case 0x426: return "C";   /* Ц */
		case 0x427: return "C";   /* Ч */
		case 0x428: return "S";   /* Ш */
		case 0x403: return "GJ";  /* Ѓ */
		case 0x40C: return "KJ";  /* Ќ */
		default: break;
		}
	} else if (lang == RCMS_TRANSLIT_BG) {
		if (u == 0x429)           /* Щ */
			return "SHT";
		if (u == 0x42A)           /* Ъ */
			return "A";
	}
	return cyrillic[u - 0x400];
}

/* Letters that Serbian and Macedonian lack (capitals). */
static bool is_other_cyrillic_letter(uint32_t u)
{
	switch (u) {
	case 0x401: case 0x404: case 0x406: case 0x407: case 0x40E:
	case 0x419: case 0x429: case 0x42A: case 0x42B: case 0x42C:
	case 0x42D: case 0x42E: case 0x42F: case 0x490:
		return true;
	default:
		return false;
	}
}

static enum kind classify(uint32_t cp, enum rcms_translit_lang lang,
			  const char **text, char *one)
{
	if (cp < 0x80) {
		if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
			one[0] = (char)cp;
			one[1] = '\0';
			*text = one;
			return K_TEXT;
		}
		if (cp >= 'a' && cp <= 'z') {
			one[0] = (char)(cp - 'a' + 'A');
			one[1] = '\0';
			*text = one;
			return K_TEXT;
		}
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
		    cp == '-' || cp == '<')
			return K_SEP;
		if (cp < 0x20 || cp == 0x7F)
			return K_UNKNOWN;
		return K_OMIT;  /* ' . , ; : ( ) / and the other punctuation */
	}
	if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) {
		if (cp == 0xFF) {       /* ÿ */
			*text = "Y";
			return K_TEXT;
		}
		*text = latin1[(cp >= 0xE0 ? cp - 0x20 : cp) - 0xC0];
		return K_TEXT;
	}
	if (cp >= 0x100 && cp <= 0x17F) {
		*text = latin_ext_a[cp - 0x100];
		return K_TEXT;
	}
	if (cp >= 0x400 && cp <= 0x45F) {
		*text = cyrillic_map(cp, lang);
		return *text[0] ? K_TEXT : K_OMIT;  /* Ь */
	}
	switch (cp) {
	case 0x218: case 0x219:        /* Ș ș (comma below) */
		*text = "S";
		return K_TEXT;
	case 0x21A: case 0x21B:        /* Ț ț */
		*text = "T";
		return K_TEXT;
	case 0x1E9E:                   /* ẞ */
		*text = "SS";
		return K_TEXT;
	case 0x490: case 0x491:        /* Ґ ґ */
		*text = "G";
		return K_TEXT;
	case 0x462: case 0x463:        /* Ѣ ѣ */
		*text = "IE";
		return K_TEXT;
	case 0x46A: case 0x46B:        /* Ѫ ѫ */
		*text = "U";
		return K_TEXT;
	case 0x472: case 0x473:        /* Ѳ ѳ */
		*text = "F";
		return K_TEXT;
	case 0x474: case 0x475:        /* Ѵ ѵ */
		*text = "Y";
		return K_TEXT;
	case 0xA0:                     /* no-break space */
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2212:                   /* hyphens, dashes, minus */
		return K_SEP;
	case 0xB4:                     /* ´ */
	case 0x2BC: case 0x2BB: case 0x2B9: case 0x2032: /* ʼ ʻ ʹ ′ */
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: /* ‘ ’ ‚ ‛ */
	case 0x201C: case 0x201D: case 0x201E:       /* “ ” „ */
	case 0xAB: case 0xBB: case 0x2039: case 0x203A: /* « » ‹ › */
	case 0xB7: case 0x2022: case 0xD7: case 0xF7: /* · • × ÷ */
		return K_OMIT;
	default:
		break;
	}
	if (cp >= 0x300 && cp <= 0x36F)   /* combining diacritical marks */
		return K_OMIT;
	if (cp >= 0x2000 && cp <= 0x200A)  /* typographic spaces */
		return K_SEP;
	return K_UNKNOWN;
}

/* Pick a table for RCMS_TRANSLIT_AUTO; -1 on invalid UTF-8. */
static int detect(const char *utf8, enum rcms_translit_lang *lang)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = strlen(utf8), i = 0, len;
	bool other = false;
	uint32_t cp;

	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return -1;
		i += len;
		if (cp == 0x491)
			cp = 0x490;
		else
			cp = cyr_upper(cp);
		if (is_other_cyrillic_letter(cp))
			other = true;
	}
	/*
	 * Serbian and Macedonian letters need no test of their own: without
	 * the others the default below takes them, and text that mixes them
	 * with letters those alphabets lack is not Serbian or Macedonian.
	 */
	*lang = other ? RCMS_TRANSLIT_ICAO : RCMS_TRANSLIT_SR_MK;
	return 0;
}

enum rcms_status rcms_translit_mrz_lang(const char *utf8,
					enum rcms_translit_lang lang,
					char *out, size_t size)
{
	const unsigned char *s;
	size_t n, i = 0, len, o = 0, tl;
	bool sep = false;
	uint32_t cp;
	const char *text = NULL;
	char one[2];

	if (!out || size == 0)
		return RCMS_ERR_INVALID;
	out[0] = '\0';
	if (!utf8)
		return RCMS_ERR_INVALID;
	if (lang == RCMS_TRANSLIT_AUTO && detect(utf8, &lang) != 0)
		return RCMS_ERR_INVALID;
	if (lang != RCMS_TRANSLIT_ICAO && lang != RCMS_TRANSLIT_SR_MK &&
	    lang != RCMS_TRANSLIT_BG)
		return RCMS_ERR_INVALID;
	s = (const unsigned char *)utf8;
	n = strlen(utf8);
	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			goto fail;
		i += len;
		switch (classify(cp, lang, &text, one)) {
		case K_UNKNOWN:
			goto fail;
		case K_SEP:
			if (o > 0)
				sep = true;
			break;
		case K_OMIT:
			break;
		case K_TEXT:
			tl = strlen(text);
			if (o + (sep ? 1 : 0) + tl >= size)
				goto fail;
			if (sep)
				out[o++] = '<';
			sep = false;
			memcpy(out + o, text, tl);
			o += tl;
			break;
		}
	}
	out[o] = '\0';
	return RCMS_OK;
fail:
	out[0] = '\0';
	return RCMS_ERR_INVALID;
}

enum rcms_status rcms_translit_mrz(const char *utf8, char *out, size_t size)
{
	return rcms_translit_mrz_lang(utf8, RCMS_TRANSLIT_AUTO, out, size);
}
