/*
 * fold.c - names folded for search and duplicates.  See fold.h.
 */
#include "app/fold.h"

#include <stdint.h>
#include <string.h>

#include "app/text.h"

/* ---- code points into ASCII ------------------------------------------ */

/* What a code point is when it is not a letter we spell out. */
static const char SEP[] = " ";   /* separates words */
static const char DROP[] = "";   /* nothing */

/* Latin-1 Supplement U+00C0..U+00FF (both cases; × and ÷ separate). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",      /* À Á Â Ã Ä Å Æ Ç */
	"e", "e", "e", "e", "i", "i", "i", "i",       /* È É Ê Ë Ì Í Î Ï */
	"d", "n", "o", "o", "o", "o", "o", SEP,       /* Ð Ñ Ò Ó Ô Õ Ö × */
	"o", "u", "u", "u", "u", "y", "th", "ss",     /* Ø Ù Ú Û Ü Ý Þ ß */
	"a", "a", "a", "a", "a", "a", "ae", "c",      /* à á â ã ä å æ ç */
	"e", "e", "e", "e", "i", "i", "i", "i",       /* è é ê ë ì í î ï */
	"d", "n", "o", "o", "o", "o", "o", SEP,       /* ð ñ ò ó ô õ ö ÷ */
	"o", "u", "u", "u", "u", "y", "th", "y",      /* ø ù ú û ü ý þ ÿ */
};

/* Latin Extended-A U+0100..U+017F: the base letter of each, but for the
 * few spelled out in latin_ext_a_special. */
static const char latin_ext_a[] =
	"aaaaaa" "cccccccc" "dd" "DD" "eeeeeeeeee" "gggggggg" "hhhh"
	"iiiiiiiiii" "JJ" "jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" "OO"
	"rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

/* Cyrillic U+0400..U+045F: Serbian and Macedonian through their Latin
 * alphabets, the rest as Doc 9303. */
static const char *const cyr_ext[16] = {
	"e", "e", "dj", "gj", "ye", "dz", "i", "yi",  /* Ѐ Ё Ђ Ѓ Є Ѕ І Ї */
	"j", "lj", "nj", "c", "kj", "i", "u", "dz",   /* Ј Љ Њ Ћ Ќ Ѝ Ў Џ */
};
static const char *const cyr_basic[32] = {
	"a", "b", "v", "g", "d", "e", "z", "z",       /* А Б В Г Д Е Ж З */
	"i", "y", "k", "l", "m", "n", "o", "p",       /* И Й К Л М Н О П */
	"r", "s", "t", "u", "f", "h", "c", "c",       /* Р С Т У Ф Х Ц Ч */
	"s", "shch", DROP, "y", DROP, "e", "yu", "ya", /* Ш Щ Ъ Ы Ь Э Ю Я */
};

/* Arabic U+0620..U+064A. */
static const char *const arabic[43] = {
	"y", "", "a", "a", "", "i", "", "a",          /* ؠ ء آ أ ؤ إ ئ ا */
	"b", "a", "t", "s", "j", "h", "kh", "d",      /* ب ة ت ث ج ح خ د */
	"z", "r", "z", "s", "sh", "s", "d", "t",      /* ذ ر ز س ش ص ض ط */
	"z", "", "gh", "", "", "", "", "",            /* ظ ع غ ػ ؼ ؽ ؾ ؿ */
	"", "f", "q", "k", "l", "m", "n", "h",        /* ـ ف ق ك ل م ن ه */
	"w", "a", "y",                                /* و ى ي */
};

/* One-letter strings, "a" to "z" and "0" to "9", two bytes apart. */
static const char letters[] =
	"a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0"
	"u\0v\0w\0x\0y\0z\0" "0\0001\0002\0003\0004\0005\0006\0007\0008\0009";

static const char *letter(char c)
{
	if (c >= '0' && c <= '9')
		return &letters[2 * (26 + (c - '0'))];
	return &letters[2 * (c - 'a')];
}

/* The ASCII a code point folds to: letters, DROP, or SEP. */
static const char *fold_cp(uint32_t cp, bool *abjad)
{
	if (cp < 128) {
		if (cp >= 'a' && cp <= 'z')
			return letter((char)cp);
		if (cp >= 'A' && cp <= 'Z')
			return letter((char)(cp - 'A' + 'a'));
		if (cp >= '0' && cp <= '9')
			return letter((char)cp);
		if (cp == '\'' || cp == '`')
			return DROP;
		return SEP;
	}
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0];
	if (cp >= 0x100 && cp <= 0x17F) {
		char c = latin_ext_a[cp - 0x100];
		if (c == 'D')
			return "dj";           /* Đ đ */
		if (c == 'J')
			return "ij";           /* Ĳ ĳ */
		if (c == 'O')
			return "oe";           /* Œ œ */
		return letter(c);
	}
	switch (cp) {
	case 0x18F: case 0x259: return "e";        /* Ə ə */
	case 0x1C4: case 0x1C5: case 0x1C6: return "dz";  /* Ǆ ǅ ǆ */
	case 0x1C7: case 0x1C8: case 0x1C9: return "lj";  /* Ǉ ǈ ǉ */
	case 0x1CA: case 0x1CB: case 0x1CC: return "nj";  /* Ǌ ǋ ǌ */
	case 0x218: case 0x219: return "s";        /* Ș ș */
	case 0x21A: case 0x21B: return "t";        /* Ț ț */
	case 0x2BC: case 0x2BB: case 0x2019: case 0x2018: case 0x2BE:
	case 0x2BF:
		return DROP;                       /* apostrophes, ayn signs */
	case 0x490: case 0x491: return "g";        /* Ґ ґ */
	case 0x200C: case 0x200D: case 0x640: return DROP; /* ZWNJ ZWJ tatweel */
	default: break;
	}
	if (cp >= 0x300 && cp <= 0x36F)
		return DROP;                       /* combining marks */
	if (cp >= 0x400 && cp <= 0x40F)
		return cyr_ext[cp - 0x400];
	if (cp >= 0x410 && cp <= 0x42F)
		return cyr_basic[cp - 0x410];
	if (cp >= 0x430 && cp <= 0x44F)
		return cyr_basic[cp - 0x430];
	if (cp >= 0x450 && cp <= 0x45F)
		return cyr_ext[cp - 0x450];
	if (cp >= 0x620 && cp <= 0x64A) {
		*abjad = true;
		return arabic[cp - 0x620];
	}
	if ((cp >= 0x64B && cp <= 0x65F) || cp == 0x670) {
		*abjad = true;
		return DROP;                       /* harakat */
	}
	if (cp >= 0x660 && cp <= 0x669)
		return letter((char)('0' + (cp - 0x660)));
	if (cp >= 0x6F0 && cp <= 0x6F9)
		return letter((char)('0' + (cp - 0x6F0)));
	if (cp >= 0x671 && cp <= 0x6FF) {
		*abjad = true;
		switch (cp) {
		case 0x671: case 0x672: case 0x673: case 0x675: return "a";
		case 0x67E: return "p";            /* پ */
		case 0x679: return "t";            /* ٹ */
		case 0x686: return "ch";           /* چ */
		case 0x688: return "d";            /* ڈ */
		case 0x691: return "r";            /* ڑ */
		case 0x698: return "zh";           /* ژ */
		case 0x6A9: case 0x6AA: return "k"; /* ک */
		case 0x6AF: return "g";            /* گ */
		case 0x6BA: case 0x6BB: return "n"; /* ں */
		case 0x6BE: case 0x6C1: case 0x6C2: case 0x6C3: return "h";
		case 0x6C0: return "h";
		case 0x6CC: case 0x6D0: return "y"; /* ی */
		case 0x6D2: case 0x6D3: return "e"; /* ے */
		case 0x6C4: case 0x6C5: case 0x6C6: case 0x6C7: case 0x6C8:
		case 0x6C9: case 0x6CA: case 0x6CB: case 0x6CF: return "w";
		case 0x6D4: return SEP;            /* Urdu full stop */
		default: return DROP;
		}
	}
	/* letters of other scripts: kept out of the words, which still split
	 * around them so nothing merges by accident */
	return SEP;
}

/* ---- keys -------------------------------------------------------------- */

static int vclass(char c)
{
	switch (c) {
	case 'a': case 'e': return 'a';
	case 'o': case 'u': return 'u';
	case 'i': case 'y': return 'i';
	default: return 0;
	}
}

/* Replace the digraphs of the variants by one letter; out is ASCII. */
static void digraphs(const char *w, char *out, size_t size)
{
	size_t n = 0;
	const char *p = w;

	while (*p && n + 3 < size) {
		const char *r = NULL;
		size_t k = 1;
		if (strncmp(p, "tch", 3) == 0) { r = "c"; k = 3; }
		else if (strncmp(p, "dzh", 3) == 0) { r = "j"; k = 3; }
		else if (strncmp(p, "sh", 2) == 0) { r = "s"; k = 2; }
		else if (strncmp(p, "ch", 2) == 0) { r = "c"; k = 2; }
		else if (strncmp(p, "ts", 2) == 0) { r = "c"; k = 2; }
		else if (strncmp(p, "tz", 2) == 0) { r = "c"; k = 2; }
		else if (strncmp(p, "zh", 2) == 0) { r = "z"; k = 2; }
		else if (strncmp(p, "kh", 2) == 0) { r = "h"; k = 2; }
		else if (strncmp(p, "gh", 2) == 0) { r = "g"; k = 2; }
		else if (strncmp(p, "th", 2) == 0) { r = "t"; k = 2; }
		else if (strncmp(p, "dh", 2) == 0) { r = "d"; k = 2; }
		else if (strncmp(p, "ph", 2) == 0) { r = "f"; k = 2; }
		else if (strncmp(p, "ck", 2) == 0) { r = "k"; k = 2; }
		else if (strncmp(p, "dj", 2) == 0) { r = "d"; k = 2; }
		else if (strncmp(p, "dz", 2) == 0) { r = "j"; k = 2; }
		else if (strncmp(p, "lj", 2) == 0) { r = "l"; k = 2; }
		else if (strncmp(p, "nj", 2) == 0) { r = "n"; k = 2; }
		else if (strncmp(p, "gj", 2) == 0) { r = "g"; k = 2; }
		else if (strncmp(p, "kj", 2) == 0) { r = "k"; k = 2; }
		else if (*p == 'q') r = "k";
		else if (*p == 'w') r = "v";
		else if (*p == 'x') r = "ks";
		if (r) {
			size_t l = strlen(r);
			memcpy(out + n, r, l);
			n += l;
			p += k;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
}

/* Keys whose variants differ in more than the rules see. */
static const struct {
	const char *from, *to;
} key_table[] = {
	{"isaf", "isuf"},      /* Yousef, Yusef -> Yusuf */
	{"iasuf", "isuf"},     /* Yasuf */
	{"jusuf", "isuf"},     /* Jusuf (Bosnian) */
	{"ismal", "ismail"},   /* Ismael */
	{"halad", "halid"},    /* Khaled */
	{"hamad", "hamid"},    /* Hamed */
	{"rasad", "rasid"},    /* Rashed */
	{"tarak", "tarik"},    /* Tarek */
	{"utman", "usman"},    /* Uthman, Othman */
	{"abrahim", "ibrahim"},/* Ebrahim */
	{"ibrahem", "ibrahim"},
	{"mahamad", "muhamad"},/* Mehmed, Mahamed */
	{"mahmad", "muhamad"}, /* Mehmed in the Bosnian spelling */
	{"mamad", "muhamad"},
	{"muhamad", "muhamad"},
	{"mustafa", "mustafa"},
	{"nasar", "nasir"},    /* Nasser, Naser */
	{"hasain", "husan"},
	{NULL, NULL},
};

void rcms_fold_key(const char *word, char *out, size_t size)
{
	char d[2 * RCMS_FOLD_WORD_LEN];
	size_t n = 0, i;
	int last = -1;

	if (!out || size == 0)
		return;
	out[0] = '\0';
	if (!word || !*word)
		return;
	digraphs(word, d, sizeof(d));
	for (i = 0; d[i] && n + 1 < size; i++) {
		int v = vclass(d[i]);
		/* a run of vowels is its first; a doubled letter is one */
		if (v && last == 'V')
			continue;
		if (!v && d[i] == last)
			continue;
		out[n++] = (char)(v ? v : d[i]);
		last = v ? 'V' : d[i];
	}
	out[n] = '\0';
	/* a final h after a vowel is silent: Abdullah, Fatimah */
	if (n >= 2 && out[n - 1] == 'h' && vclass(out[n - 2]))
		out[--n] = '\0';
	for (i = 0; key_table[i].from; i++)
		if (strcmp(out, key_table[i].from) == 0) {
			size_t l = strlen(key_table[i].to);
			if (l < size)
				memcpy(out, key_table[i].to, l + 1);
			break;
		}
}

void rcms_fold_skel(const char *word, char *out, size_t size)
{
	char d[2 * RCMS_FOLD_WORD_LEN];
	size_t n = 0, i;

	if (!out || size == 0)
		return;
	out[0] = '\0';
	if (!word || !*word)
		return;
	{
		/* و is w, v or a vowel: it does not survive */
		char nw[RCMS_FOLD_WORD_LEN];
		size_t m = 0;
		for (i = 0; word[i] && m + 1 < sizeof(nw); i++)
			if (word[i] != 'w')
				nw[m++] = word[i];
		nw[m] = '\0';
		digraphs(nw, d, sizeof(d));
	}
	for (i = 0; d[i] && n + 1 < size; i++) {
		char c = d[i];
		if (vclass(c))
			continue;
		if (n && out[n - 1] == c)
			continue;
		out[n++] = c;
	}
	out[n] = '\0';
}

/* ---- words ------------------------------------------------------------- */

static void finish_word(struct rcms_fold_word *w)
{
	rcms_fold_key(w->text, w->key, sizeof(w->key));
	rcms_fold_skel(w->text, w->skel, sizeof(w->skel));
	/* Arabic script writes no short vowels: its key is the skeleton */
	if (w->abjad)
		memcpy(w->key, w->skel, sizeof(w->key));
}

static bool is_article(const char *t)
{
	return strcmp(t, "al") == 0 || strcmp(t, "el") == 0 ||
	       strcmp(t, "ul") == 0;
}

static void add_word(struct rcms_fold *f, const char *text, bool abjad)
{
	struct rcms_fold_word *w;
	size_t l = strlen(text);

	if (l == 0 || f->n >= RCMS_FOLD_WORDS)
		return;
	/* Arabic script: the article ال written onto the word */
	if (abjad && l > 4 && text[0] == 'a' && text[1] == 'l') {
		text += 2;
		l -= 2;
	}
	w = &f->w[f->n++];
	memset(w, 0, sizeof(*w));
	if (l >= sizeof(w->text))
		l = sizeof(w->text) - 1;
	memcpy(w->text, text, l);
	w->text[l] = '\0';
	w->abjad = abjad;
	finish_word(w);
}

/* Abdul Rahman, Abdel Rahman, Abd al-Rahman, Abdulrahman: "abd" and the
 * rest; the article alone before another word goes. */
static void add_latin_word(struct rcms_fold *f, const char *t)
{
	static const char *const abd[] = {"abdoul", "abdul", "abdel", "abdal",
					  "abdol", "abdil", "abd", NULL};
	size_t i;

	for (i = 0; abd[i]; i++) {
		size_t l = strlen(abd[i]);
		if (strncmp(t, abd[i], l) != 0)
			continue;
		if (t[l] == '\0') {
			add_word(f, "abd", false);
			return;
		}
		if (strlen(t + l) >= 2 && i + 1 < sizeof(abd) / sizeof(abd[0]) - 1) {
			const char *rest = t + l;
			add_word(f, "abd", false);
			/* Abdullah, Abdallah, Abdulla: the rest is Allah */
			if (strcmp(rest, "lah") == 0 || strcmp(rest, "la") == 0 ||
			    strcmp(rest, "llah") == 0 || strcmp(rest, "lla") == 0)
				rest = "allah";
			add_word(f, rest, false);
			return;
		}
	}
	add_word(f, t, false);
}

void rcms_fold_append(const char *utf8, struct rcms_fold *f)
{
	char word[RCMS_FOLD_WORD_LEN * 2];
	char words[RCMS_FOLD_WORDS][RCMS_FOLD_WORD_LEN];
	bool abjad_of[RCMS_FOLD_WORDS];
	size_t wl = 0, nw = 0, len, i;
	bool abjad = false;
	const char *p;

	if (!f || !utf8)
		return;
	len = strlen(utf8);
	p = utf8;
	for (;;) {
		uint32_t cp = ' ';
		const char *r;
		int k = 0;
		bool ab = false;

		if ((size_t)(p - utf8) < len) {
			k = rcms_utf8_decode(p, len - (size_t)(p - utf8), &cp);
			if (k <= 0) {
				k = 1;
				cp = ' ';
			}
		}
		r = fold_cp(cp, &ab);
		if (r == SEP || k == 0) {
			if (wl && nw < RCMS_FOLD_WORDS) {
				word[wl < RCMS_FOLD_WORD_LEN ? wl
					: RCMS_FOLD_WORD_LEN - 1] = '\0';
				memcpy(words[nw], word, RCMS_FOLD_WORD_LEN);
				words[nw][RCMS_FOLD_WORD_LEN - 1] = '\0';
				abjad_of[nw++] = abjad;
			}
			wl = 0;
			abjad = false;
			if (k == 0)
				break;
		} else {
			size_t l = strlen(r);
			if (ab)
				abjad = true;
			if (wl + l < RCMS_FOLD_WORD_LEN) {
				memcpy(word + wl, r, l);
				wl += l;
			}
		}
		p += k;
	}
	for (i = 0; i < nw; i++) {
		if (!abjad_of[i] && is_article(words[i]) && i + 1 < nw)
			continue;
		if (abjad_of[i])
			add_word(f, words[i], true);
		else
			add_latin_word(f, words[i]);
	}
}

void rcms_fold_name(const char *utf8, struct rcms_fold *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	rcms_fold_append(utf8, out);
}

const char *rcms_fold_join(const struct rcms_fold *f, char which, char *out,
			   size_t size)
{
	size_t n = 0, i;

	if (!out || size == 0)
		return out;
	out[0] = '\0';
	if (!f)
		return out;
	for (i = 0; i < f->n && i < RCMS_FOLD_WORDS; i++) {
		const char *s = which == 'k' ? f->w[i].key
				: which == 's' ? f->w[i].skel : f->w[i].text;
		size_t l = strlen(s);
		if (l == 0)
			continue;
		if (n + (n ? 1 : 0) + l + 1 > size)
			break;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, s, l);
		n += l;
		out[n] = '\0';
	}
	return out;
}

const char *rcms_fold_code(const char *s, char *out, size_t size)
{
	size_t n = 0;

	if (!out || size == 0)
		return out;
	out[0] = '\0';
	if (!s)
		return out;
	for (; *s && n + 1 < size; s++) {
		char c = *s;
		if (c >= 'a' && c <= 'z')
			out[n++] = (char)(c - 'a' + 'A');
		else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

/* ---- similarity --------------------------------------------------------- */

double rcms_fold_jw(const char *a, const char *b)
{
	bool ma[64] = {false}, mb[64] = {false};
	size_t la, lb, i, j, m = 0, t = 0, k, range, lo, hi, prefix = 0;
	double jaro;

	if (!a || !b)
		return 0.0;
	la = strlen(a);
	lb = strlen(b);
	if (la > 64)
		la = 64;
	if (lb > 64)
		lb = 64;
	if (la == 0 && lb == 0)
		return 1.0;
	if (la == 0 || lb == 0)
		return 0.0;
	range = (la > lb ? la : lb) / 2;
	range = range ? range - 1 : 0;
	for (i = 0; i < la; i++) {
		lo = i > range ? i - range : 0;
		hi = i + range + 1 < lb ? i + range + 1 : lb;
		for (j = lo; j < hi; j++) {
			if (mb[j] || a[i] != b[j])
				continue;
			ma[i] = mb[j] = true;
			m++;
			break;
		}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, k = 0; i < la; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / (double)la + (double)m / (double)lb +
		((double)m - (double)t / 2.0) / (double)m) / 3.0;
	while (prefix < 4 && prefix < la && prefix < lb &&
	       a[prefix] == b[prefix])
		prefix++;
	return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}
