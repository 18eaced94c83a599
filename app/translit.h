/*
 * translit.h - names into the characters of a machine readable zone, as
 * ICAO Doc 9303 Part 3 ("transliteration of national characters") says.
 *
 * Pure: no I/O, no allocation, no locale, no global state; safe from any
 * thread.  Input is UTF-8; invalid UTF-8 is refused, never guessed at.
 *
 * What the output holds: upper-case A-Z, the digits 0-9 and the filler
 * '<'.  What becomes of the input:
 *  - Latin letters with diacritics lose them (Č Ć Ç → C, Š → S, Ž → Z,
 *    Đ Ð → D, Ł → L, Ñ → N, Ő → O, Ű → U, Ë → E ...), except the ones the
 *    Part 3 table spells out in two letters: Ä Æ → AE, Ö Ø Œ → OE, Ü → UE,
 *    Å → AA, ß ẞ → SS, Þ → TH, Ĳ → IJ.  Combining marks (decomposed input)
 *    are dropped.
 *  - Cyrillic follows the Part 3 table (Ж → ZH, Х → KH, Ц → TS, Ч → CH,
 *    Ш → SH, Щ → SHCH, Ъ → IE, Ю → IU, Я → IA, Ь dropped ...), or for
 *    Serbian and Macedonian their own Latin alphabets without diacritics
 *    (Ж → Z, Х → H, Ц → C, Ч → C, Ш → S, Ћ → C, Ђ → D, Џ → DZ, Љ → LJ,
 *    Њ → NJ, Ј → J, Ѓ → GJ, Ќ → KJ, Ѕ → DZ).  See enum rcms_translit_lang.
 *  - Spaces, hyphens, dashes and '<' become one filler '<' (runs are
 *    collapsed, none is left at either end); apostrophes and every other
 *    punctuation mark are omitted.  Digits are kept.
 *  - Anything else (Greek, Arabic, control characters, symbols the table
 *    does not know) is refused with RCMS_ERR_INVALID: a name is never
 *    silently shortened.
 */
#ifndef RCMS_APP_TRANSLIT_H
#define RCMS_APP_TRANSLIT_H

#include <stddef.h>

#include "app/status.h"

/* Which Cyrillic table to use. */
enum rcms_translit_lang {
	/*
	 * Look at the text: Serbian or Macedonian letters (Ђ Ј Љ Њ Ћ Џ Ѓ Ќ Ѕ)
	 * choose RCMS_TRANSLIT_SR_MK; letters that only the other Cyrillic
	 * alphabets have (Ё Й Щ Ъ Ы Ь Э Ю Я Є І Ї Ґ Ў) choose
	 * RCMS_TRANSLIT_ICAO.  Text with neither (Cyrillic common to all, or
	 * no Cyrillic at all) is read as Serbian/Macedonian, the alphabets
	 * this system meets most; pass the language when you know it.
	 */
	RCMS_TRANSLIT_AUTO,
	/* The Part 3 table as it stands (Russian, Ukrainian, Belarusian). */
	RCMS_TRANSLIT_ICAO,
	/* Serbian and Macedonian Cyrillic through their Latin alphabets. */
	RCMS_TRANSLIT_SR_MK,
	/* The Part 3 table with its Bulgarian notes: Щ → SHT, Ъ → A. */
	RCMS_TRANSLIT_BG
};

/*
 * Transliterate utf8 into out (size bytes, NUL-terminated) with
 * RCMS_TRANSLIT_AUTO.  Returns RCMS_OK, or RCMS_ERR_INVALID when utf8 or
 * out is NULL, size is 0, utf8 is not valid UTF-8, holds a character that
 * cannot be transliterated, or the result does not fit; out is then "".
 * A buffer of 2 * strlen(utf8) + 1 bytes always suffices.  Both pointers
 * are borrowed.
 */
enum rcms_status rcms_translit_mrz(const char *utf8, char *out, size_t size);

/* The same with a chosen table. */
enum rcms_status rcms_translit_mrz_lang(const char *utf8,
					enum rcms_translit_lang lang,
					char *out, size_t size);

#endif
