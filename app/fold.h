/*
 * fold.h - names folded for search and for finding the same person twice.
 *
 * Pure: no I/O, no allocation, no locale, no global state; safe from any
 * thread.  Input is UTF-8 (invalid bytes are word separators, never a
 * reason to fail: a search must not break on a pasted name).
 *
 * Three forms of each word of a name, from precise to loose:
 *
 *  text  the word folded: lower-case ASCII letters and digits.  Case and
 *        diacritics go (Č Ć Ç → c, Ë → e, Ș → s, dotless ı and İ → i,
 *        Ə → e); Đ đ → dj (the key below makes it d as well, as in MRZ
 *        "DORDEVIC"); Æ → ae, Œ → oe, ß → ss, Þ → th; apostrophes are
 *        dropped (O'Brien → obrien).  Serbian and Macedonian Cyrillic
 *        become their Latin alphabet (Петровић → petrovic, Ђорђевић →
 *        djordjevic, Љ → lj, Њ → nj, Џ Ѕ → dz, Ѓ → gj, Ќ → kj); the
 *        letters of the other Cyrillic alphabets follow Doc 9303 (Щ →
 *        shch, Ю → yu, Я → ya, Ь Ъ dropped).  Arabic, Persian and Urdu
 *        letters become their usual consonants (م → m, ح → h, خ → kh,
 *        ش → sh, پ → p, گ → g ...); short vowel marks and ع ء are dropped.
 *        Spaces, hyphens and every other mark separate words.
 *
 *  key   a canonical key that romanisation variants share: digraphs of
 *        the English and the MRZ spellings meet the Slavic letter (sh → s,
 *        ch tch ts tz → c, zh → z, kh → h, dj → d, dz dzh → j, lj → l,
 *        nj → n, gj → g, kj → k, q → k, ph → f, w → v, x → ks); a run of
 *        vowels counts as its first vowel, in three classes (a e → a,
 *        o u → u, i y → i); doubled letters count once; a final h after a
 *        vowel goes.  So Muhammad, Mohammad, Mohammed and Muhammed share
 *        "muhamad"; Hussain, Hussein and Husain "husan"; Ahmad and Ahmed
 *        "ahmad"; Müller and Mueller "mular".  A few names whose variants
 *        differ in more than that have a table (Yusuf/Yousef,
 *        Ismail/Ismael, Khalid/Khaled, Uthman/Usman ...).
 *
 *  skel  the consonant skeleton: the key's consonants without vowels,
 *        y, w and a silent h of a digraph.  Arabic script writes no short
 *        vowels, so محمد and Muhammad meet here ("mhmd"), and nowhere else.
 *
 * Name order plays no part: a name is a bag of words.  "Abd al-" names
 * are one word "abd" plus the rest whatever the spelling (Abdul Rahman,
 * Abdel Rahman, Abd al-Rahman, Abdulrahman → abd rahman), and the Arabic
 * article al-/el- standing alone before a word is dropped.
 */
#ifndef RCMS_APP_FOLD_H
#define RCMS_APP_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "app/status.h"

#define RCMS_FOLD_WORDS 24     /* words kept of one name; more are dropped */
#define RCMS_FOLD_WORD_LEN 48  /* bytes of one folded word, NUL included */

struct rcms_fold_word {
	char text[RCMS_FOLD_WORD_LEN];
	char key[RCMS_FOLD_WORD_LEN];
	char skel[RCMS_FOLD_WORD_LEN];
	bool abjad;     /* written in Arabic script: only skel is reliable */
};

struct rcms_fold {
	size_t n;
	struct rcms_fold_word w[RCMS_FOLD_WORDS];
};

/*
 * Split utf8 into words and fold each (text, key, skel).  NULL or "" give
 * no words.  Words beyond RCMS_FOLD_WORDS are dropped and a word longer
 * than RCMS_FOLD_WORD_LEN - 1 bytes is cut.  out is written whole.
 */
void rcms_fold_name(const char *utf8, struct rcms_fold *out);

/*
 * Append more words (another field of the same person: given names after
 * surnames).  Same rules; words beyond the limit are dropped.
 */
void rcms_fold_append(const char *utf8, struct rcms_fold *f);

/*
 * The key and the skeleton of one folded word (lower-case ASCII, as
 * rcms_fold_name's text): out gets at most size - 1 bytes.  An empty or
 * NULL word gives "".
 */
void rcms_fold_key(const char *word, char *out, size_t size);
void rcms_fold_skel(const char *word, char *out, size_t size);

/*
 * Join one form of every word with single spaces into out (size bytes,
 * always NUL-terminated when size > 0; cut between words when it does not
 * fit).  which: 't' text, 'k' key, 's' skeleton.  Returns out.
 */
const char *rcms_fold_join(const struct rcms_fold *f, char which, char *out,
			   size_t size);

/*
 * A document number or reference for matching: its letters and digits in
 * upper case, nothing else ("AB 12-345" → "AB12345").  Returns out.
 */
const char *rcms_fold_code(const char *s, char *out, size_t size);

/* Jaro-Winkler similarity of two ASCII words, 0.0 .. 1.0; 0 for NULL. */
double rcms_fold_jw(const char *a, const char *b);

#endif
