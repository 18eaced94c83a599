/*
 * mrz.c - ICAO Doc 9303 machine readable zones: parse, validate, explain,
 * generate.  See mrz.h for the formats and the conventions.
 *
 * Layout of this file:
 *   tables          character values, country codes, field layouts
 *   check digits    rcms_mrz_check_digit, composite ranges
 *   reading         split the text into lines, detect the format
 *   analysis        one validator a field, run in full or "quiet" (count
 *                   errors only: the suggestion search reuses it)
 *   suggestions     single OCR/typing confusions that make a zone valid
 *   generation      rcms_mrz_generate
 *   rendering       the table and the JSON
 */
#include "app/mrz.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/text.h"

#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_COLD __attribute__((cold, noinline))

/* ---- tables ----------------------------------------------------------- */

/* value + 1 of each MRZ character; 0 for characters outside A-Z 0-9 <. */
static const unsigned char cval1[256] = {
	['<'] = 1,
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16, ['G'] = 17, ['H'] = 18, ['I'] = 19, ['J'] = 20,
	['K'] = 21, ['L'] = 22, ['M'] = 23, ['N'] = 24, ['O'] = 25,
	['P'] = 26, ['Q'] = 27, ['R'] = 28, ['S'] = 29, ['T'] = 30,
	['U'] = 31, ['V'] = 32, ['W'] = 33, ['X'] = 34, ['Y'] = 35,
	['Z'] = 36,
};

static bool is_mrz_char(char ch) { return cval1[(unsigned char)ch] != 0; }
static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_upper(char ch) { return ch >= 'A' && ch <= 'Z'; }

/*
 * Issuing states and nationalities: ISO 3166-1 alpha-3 (as of 2024) and
 * the codes of Doc 9303 Part 3 section 5: D<< (Germany); GBD GBN GBO GBP
 * GBS (British nationals of other kinds); UNO UNA UNK (United Nations,
 * its agencies, UNMIK for Kosovo residents); XXA stateless, XXB refugee
 * (1951 Convention), XXC other refugee, XXX unspecified; EUE (European
 * Union); the other issuing authorities XBA XCC XCE XCO XDC XEC XES XIM
 * XMP XOM XPO; RKS (Kosovo, used on its documents); XBT, kept from the
 * project's list though we could not trace it in Part 3.  Sorted by
 * byte value ('<' before 'A'); binary search.
 */
static const char countries[][4] = {
	"ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM",
	"ASM", "ATA", "ATF", "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN",
	"BES", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH", "BLM", "BLR", "BLZ",
	"BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF", "CAN",
	"CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL",
	"COM", "CPV", "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "D<<",
	"DEU", "DJI", "DMA", "DNK", "DOM", "DZA", "ECU", "EGY", "ERI", "ESH",
	"ESP", "EST", "ETH", "EUE", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
	"GAB", "GBD", "GBN", "GBO", "GBP", "GBR", "GBS", "GEO", "GGY", "GHA",
	"GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD", "GRL", "GTM",
	"GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN",
	"IMN", "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM",
	"JEY", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR",
	"KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE", "LKA", "LSO", "LTU",
	"LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
	"MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT",
	"MSR", "MTQ", "MUS", "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK",
	"NGA", "NIC", "NIU", "NLD", "NOR", "NPL", "NRU", "NZL", "OMN", "PAK",
	"PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK", "PRT",
	"PRY", "PSE", "PYF", "QAT", "REU", "RKS", "ROU", "RUS", "RWA", "SAU",
	"SDN", "SEN", "SGP", "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR",
	"SOM", "SPM", "SRB", "SSD", "STP", "SUR", "SVK", "SVN", "SWE", "SWZ",
	"SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL", "TKM",
	"TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR",
	"UMI", "UNA", "UNK", "UNO", "URY", "USA", "UZB", "VAT", "VCT", "VEN",
	"VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "XBA", "XBT", "XCC", "XCE",
	"XCO", "XDC", "XEC", "XES", "XIM", "XMP", "XOM", "XPO", "XXA", "XXB",
	"XXC", "XXX", "YEM", "ZAF", "ZMB", "ZWE",
};

/* What a position of a field may hold. */
enum kind { KIND_ALPHA, KIND_NUM, KIND_ALNUM };

static const struct field_info {
	const char *name;
	const char *label;
	const char *short_label;  /* the table's first column */
	enum kind kind;
} field_info[RCMS_MRZ_F__COUNT] = {
	[RCMS_MRZ_F_DOC_CODE] = {"document_code", "document code",
				 "document code", KIND_ALPHA},
	[RCMS_MRZ_F_ISSUING_STATE] = {"issuing_state", "issuing state",
				      "issuing state", KIND_ALPHA},
	[RCMS_MRZ_F_NAME] = {"name", "name", "name", KIND_ALPHA},
	[RCMS_MRZ_F_SURNAMES] = {"surnames", "surnames", " surnames",
				 KIND_ALPHA},
	[RCMS_MRZ_F_GIVEN_NAMES] = {"given_names", "given names",
				    " given names", KIND_ALPHA},
	[RCMS_MRZ_F_DOC_NUMBER] = {"document_number", "document number",
				   "document number", KIND_ALNUM},
	[RCMS_MRZ_F_DOC_NUMBER_CHECK] = {"document_number_check",
		"check digit of the document number", " check digit",
		KIND_NUM},
	[RCMS_MRZ_F_NATIONALITY] = {"nationality", "nationality",
				    "nationality", KIND_ALPHA},
	[RCMS_MRZ_F_BIRTH_DATE] = {"birth_date", "birth date", "birth date",
				   KIND_NUM},
	[RCMS_MRZ_F_BIRTH_DATE_CHECK] = {"birth_date_check",
		"check digit of the birth date", " check digit", KIND_NUM},
	[RCMS_MRZ_F_SEX] = {"sex", "sex", "sex", KIND_ALPHA},
	[RCMS_MRZ_F_EXPIRY_DATE] = {"expiry_date", "expiry date",
				    "expiry date", KIND_NUM},
	[RCMS_MRZ_F_EXPIRY_DATE_CHECK] = {"expiry_date_check",
		"check digit of the expiry date", " check digit", KIND_NUM},
	[RCMS_MRZ_F_OPTIONAL1] = {"optional_data_1", "optional data",
				  "optional data 1", KIND_ALNUM},
	[RCMS_MRZ_F_OPTIONAL2] = {"optional_data_2",
		"optional data of line 2", "optional data 2", KIND_ALNUM},
	[RCMS_MRZ_F_PERSONAL_NUMBER] = {"personal_number", "personal number",
					"personal number", KIND_ALNUM},
	[RCMS_MRZ_F_PERSONAL_NUMBER_CHECK] = {"personal_number_check",
		"check digit of the personal number", " check digit",
		KIND_NUM},
	[RCMS_MRZ_F_COMPOSITE_CHECK] = {"composite_check",
		"composite check digit", "composite check", KIND_NUM},
};

/* Where a field stands: 0-based line and start. */
struct slot {
	unsigned char field, line, start, len;
};

#define F(x) RCMS_MRZ_F_##x
static const struct slot layout_td1[] = {
	{F(DOC_CODE), 0, 0, 2}, {F(ISSUING_STATE), 0, 2, 3},
	{F(DOC_NUMBER), 0, 5, 9}, {F(DOC_NUMBER_CHECK), 0, 14, 1},
	{F(OPTIONAL1), 0, 15, 15},
	{F(BIRTH_DATE), 1, 0, 6}, {F(BIRTH_DATE_CHECK), 1, 6, 1},
	{F(SEX), 1, 7, 1}, {F(EXPIRY_DATE), 1, 8, 6},
	{F(EXPIRY_DATE_CHECK), 1, 14, 1}, {F(NATIONALITY), 1, 15, 3},
	{F(OPTIONAL2), 1, 18, 11}, {F(COMPOSITE_CHECK), 1, 29, 1},
	{F(NAME), 2, 0, 30},
};
static const struct slot layout_td2[] = {
	{F(DOC_CODE), 0, 0, 2}, {F(ISSUING_STATE), 0, 2, 3},
	{F(NAME), 0, 5, 31},
	{F(DOC_NUMBER), 1, 0, 9}, {F(DOC_NUMBER_CHECK), 1, 9, 1},
	{F(NATIONALITY), 1, 10, 3}, {F(BIRTH_DATE), 1, 13, 6},
	{F(BIRTH_DATE_CHECK), 1, 19, 1}, {F(SEX), 1, 20, 1},
	{F(EXPIRY_DATE), 1, 21, 6}, {F(EXPIRY_DATE_CHECK), 1, 27, 1},
	{F(OPTIONAL1), 1, 28, 7}, {F(COMPOSITE_CHECK), 1, 35, 1},
};
static const struct slot layout_td3[] = {
	{F(DOC_CODE), 0, 0, 2}, {F(ISSUING_STATE), 0, 2, 3},
	{F(NAME), 0, 5, 39},
	{F(DOC_NUMBER), 1, 0, 9}, {F(DOC_NUMBER_CHECK), 1, 9, 1},
	{F(NATIONALITY), 1, 10, 3}, {F(BIRTH_DATE), 1, 13, 6},
	{F(BIRTH_DATE_CHECK), 1, 19, 1}, {F(SEX), 1, 20, 1},
	{F(EXPIRY_DATE), 1, 21, 6}, {F(EXPIRY_DATE_CHECK), 1, 27, 1},
	{F(PERSONAL_NUMBER), 1, 28, 14}, {F(PERSONAL_NUMBER_CHECK), 1, 42, 1},
	{F(COMPOSITE_CHECK), 1, 43, 1},
};
static const struct slot layout_mrva[] = {
	{F(DOC_CODE), 0, 0, 2}, {F(ISSUING_STATE), 0, 2, 3},
	{F(NAME), 0, 5, 39},
	{F(DOC_NUMBER), 1, 0, 9}, {F(DOC_NUMBER_CHECK), 1, 9, 1},
	{F(NATIONALITY), 1, 10, 3}, {F(BIRTH_DATE), 1, 13, 6},
	{F(BIRTH_DATE_CHECK), 1, 19, 1}, {F(SEX), 1, 20, 1},
	{F(EXPIRY_DATE), 1, 21, 6}, {F(EXPIRY_DATE_CHECK), 1, 27, 1},
	{F(OPTIONAL1), 1, 28, 16},
};
static const struct slot layout_mrvb[] = {
	{F(DOC_CODE), 0, 0, 2}, {F(ISSUING_STATE), 0, 2, 3},
	{F(NAME), 0, 5, 31},
	{F(DOC_NUMBER), 1, 0, 9}, {F(DOC_NUMBER_CHECK), 1, 9, 1},
	{F(NATIONALITY), 1, 10, 3}, {F(BIRTH_DATE), 1, 13, 6},
	{F(BIRTH_DATE_CHECK), 1, 19, 1}, {F(SEX), 1, 20, 1},
	{F(EXPIRY_DATE), 1, 21, 6}, {F(EXPIRY_DATE_CHECK), 1, 27, 1},
	{F(OPTIONAL1), 1, 28, 8},
};
#undef F

static const struct format_info {
	const char *name;
	const char *what;
	int lines, width;
	const struct slot *slots;
	int nslots;
} formats[RCMS_MRZ_FORMAT__COUNT] = {
	[RCMS_MRZ_UNKNOWN] = {"unknown", "unreadable", 0, 0, NULL, 0},
	[RCMS_MRZ_TD1] = {"TD1", "identity card, 3 lines of 30", 3, 30,
			  layout_td1, (int)(sizeof layout_td1 / sizeof layout_td1[0])},
	[RCMS_MRZ_TD2] = {"TD2", "identity document, 2 lines of 36", 2, 36,
			  layout_td2, (int)(sizeof layout_td2 / sizeof layout_td2[0])},
	[RCMS_MRZ_TD3] = {"TD3", "passport, 2 lines of 44", 2, 44,
			  layout_td3, (int)(sizeof layout_td3 / sizeof layout_td3[0])},
	[RCMS_MRZ_MRVA] = {"MRV-A", "visa type A, 2 lines of 44", 2, 44,
			   layout_mrva, (int)(sizeof layout_mrva / sizeof layout_mrva[0])},
	[RCMS_MRZ_MRVB] = {"MRV-B", "visa type B, 2 lines of 36", 2, 36,
			   layout_mrvb, (int)(sizeof layout_mrvb / sizeof layout_mrvb[0])},
};

static const char *const month_names[13] = {
	"", "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

const char *rcms_mrz_format_name(enum rcms_mrz_format fmt)
{
	if ((unsigned)fmt >= RCMS_MRZ_FORMAT__COUNT)
		return "unknown";
	return formats[fmt].name;
}

const char *rcms_mrz_field_name(enum rcms_mrz_field_id id)
{
	if ((unsigned)id >= RCMS_MRZ_F__COUNT)
		return "?";
	return field_info[id].name;
}

const char *rcms_mrz_field_label(enum rcms_mrz_field_id id)
{
	if ((unsigned)id >= RCMS_MRZ_F__COUNT)
		return "?";
	return field_info[id].label;
}

static bool country_known(const char *code3)
{
	size_t lo = 0, hi = sizeof countries / sizeof countries[0];

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = countries[mid];
		int c = code3[0] != k[0] ? (unsigned char)code3[0] - (unsigned char)k[0]
			: code3[1] != k[1] ? (unsigned char)code3[1] - (unsigned char)k[1]
			: (unsigned char)code3[2] - (unsigned char)k[2];

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* ---- dates ------------------------------------------------------------ */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char dim[13] = {0, 31, 28, 31, 30, 31, 30,
					      31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m];
}

/* -1, 0, 1 as a is before, on, after b (full dates). */
static int date_cmp(int ay, int am, int ad, const struct rcms_pdate *b)
{
	if (ay != b->year)
		return ay < b->year ? -1 : 1;
	if (am != b->month)
		return am < b->month ? -1 : 1;
	if (ad != b->day)
		return ad < b->day ? -1 : 1;
	return 0;
}

/* "1974-08-12", "1974-08", "1974" or "" into out (11 bytes or more). */
static void pdate_text(const struct rcms_pdate *d, char *out)
{
	int y = d->year, i = 0;

	if (y <= 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	out[i++] = (char)('0' + y / 1000);
	out[i++] = (char)('0' + y / 100 % 10);
	out[i++] = (char)('0' + y / 10 % 10);
	out[i++] = (char)('0' + y % 10);
	if (d->month > 0) {
		out[i++] = '-';
		out[i++] = (char)('0' + d->month / 10);
		out[i++] = (char)('0' + d->month % 10);
		if (d->day > 0) {
			out[i++] = '-';
			out[i++] = (char)('0' + d->day / 10);
			out[i++] = (char)('0' + d->day % 10);
		}
	}
	out[i] = '\0';
}

static bool today_valid(const struct rcms_pdate *t)
{
	return t->year >= 1900 && t->year <= 9999 && t->month >= 1 &&
	       t->month <= 12 && t->day >= 1 &&
	       t->day <= days_in_month(t->year, t->month);
}

/* ---- check digits ----------------------------------------------------- */

/* A check digit computed over several ranges, weights running on. */
struct cd_acc {
	unsigned sum;
	unsigned w;     /* position modulo 3 */
	bool bad;       /* a character outside A-Z 0-9 < */
};

static void cd_add(struct cd_acc *a, const char *s, size_t len)
{
	/* weights from each phase on, for three characters at a time */
	static const unsigned char weight[5] = {7, 3, 1, 7, 3};
	const unsigned char *u = (const unsigned char *)s;
	const unsigned char *w = weight + a->w;
	unsigned sum = 0, wsum = 0, zero = 0;
	size_t i = 0;

	/* cval1 is the value + 1: sum (value + 1) * w, then take the w off */
	for (; i + 3 <= len; i += 3) {
		unsigned v0 = cval1[u[i]], v1 = cval1[u[i + 1]];
		unsigned v2 = cval1[u[i + 2]];

		zero |= (v0 == 0) | (v1 == 0) | (v2 == 0);
		sum += v0 * w[0] + v1 * w[1] + v2 * w[2];
		wsum += 11u;
	}
	for (; i < len; i++) {
		unsigned v = cval1[u[i]];

		zero |= v == 0;
		sum += v * w[i % 3];
		wsum += w[i % 3];
	}
	a->sum += sum - wsum;
	a->w = (unsigned)((a->w + len) % 3);
	if (zero)
		a->bad = true;
}

/*
 * The weighted sum of len characters known to be MRZ characters, the
 * first weighted as position phase (0, 1, 2) of 7 3 1.  The parser's
 * path for zones without a stray character: no validity tests.
 */
static unsigned wsum(const char *s, size_t len, unsigned phase)
{
	static const unsigned char weight[3] = {7, 3, 1};
	const unsigned char *u = (const unsigned char *)s;
	unsigned sum = 0;
	size_t i = 0;

	for (; phase != 0 && i < len; i++) {
		sum += (cval1[u[i]] - 1u) * weight[phase];
		phase = phase == 2 ? 0 : phase + 1;
	}
	for (; i + 3 <= len; i += 3)
		sum += 7u * cval1[u[i]] + 3u * cval1[u[i + 1]] +
		       cval1[u[i + 2]] - 11u;
	if (i < len)
		sum += 7u * (cval1[u[i]] - 1u);
	if (i + 1 < len)
		sum += 3u * (cval1[u[i + 1]] - 1u);
	return sum;
}

int rcms_mrz_check_digit(const char *s, size_t len)
{
	struct cd_acc a = {0, 0, false};

	if (!s)
		return -1;
	cd_add(&a, s, len);
	return a.bad ? -1 : (int)(a.sum % 10);
}

/* The composite over clean lines (see wsum). */
static int composite_clean(enum rcms_mrz_format fmt, const char *l1,
			   const char *l2)
{
	unsigned sum;

	switch (fmt) {
	case RCMS_MRZ_TD1:
		sum = wsum(l1 + 5, 25, 0) + wsum(l2, 7, 25 % 3) +
		      wsum(l2 + 8, 7, 32 % 3) + wsum(l2 + 18, 11, 39 % 3);
		break;
	case RCMS_MRZ_TD2:
		sum = wsum(l2, 10, 0) + wsum(l2 + 13, 7, 10 % 3) +
		      wsum(l2 + 21, 14, 17 % 3);
		break;
	case RCMS_MRZ_TD3:
		sum = wsum(l2, 10, 0) + wsum(l2 + 13, 7, 10 % 3) +
		      wsum(l2 + 21, 22, 17 % 3);
		break;
	default:
		return -1;
	}
	return (int)(sum % 10);
}

/* The composite check digit of a zone, -1 when it cannot be computed. */
static int composite_digit(enum rcms_mrz_format fmt, const char *l1,
			   const char *l2)
{
	struct cd_acc a = {0, 0, false};

	switch (fmt) {
	case RCMS_MRZ_TD1:
		cd_add(&a, l1 + 5, 25);
		cd_add(&a, l2, 7);
		cd_add(&a, l2 + 8, 7);
		cd_add(&a, l2 + 18, 11);
		break;
	case RCMS_MRZ_TD2:
		cd_add(&a, l2, 10);
		cd_add(&a, l2 + 13, 7);
		cd_add(&a, l2 + 21, 14);
		break;
	case RCMS_MRZ_TD3:
		cd_add(&a, l2, 10);
		cd_add(&a, l2 + 13, 7);
		cd_add(&a, l2 + 21, 22);
		break;
	default:
		return -1;
	}
	return a.bad ? -1 : (int)(a.sum % 10);
}

/* ---- reporting -------------------------------------------------------- */

struct ctx {
	struct rcms_mrz *m;
	struct rcms_pdate today;
	bool quiet;     /* count only: no messages (the suggestion search) */
	int nbad;       /* characters outside A-Z 0-9 < in the zone's lines */
	/*
	 * The working copy of the lines (m->line gets them at the end),
	 * with room to copy any field at a fixed size.
	 */
	char pad[3][RCMS_MRZ_LINE_MAX + RCMS_MRZ_FIELD_MAX];
};

ATTR_PRINTF(6, 7) ATTR_COLD
static void report(struct ctx *c, enum rcms_mrz_severity sev,
		   enum rcms_mrz_field_id f, int line, int col,
		   const char *fmt, ...)
{
	struct rcms_mrz *m = c->m;
	struct rcms_mrz_issue *is;
	va_list ap;
	int n = 0;

	if (sev == RCMS_MRZ_ERROR) {
		m->nerrors++;
		if (f < RCMS_MRZ_F__COUNT)
			m->field[f].valid = false;
	} else {
		m->nwarnings++;
		if (f < RCMS_MRZ_F__COUNT)
			m->field[f].warned = true;
	}
	if (c->quiet || m->nissues >= RCMS_MRZ_MAX_ISSUES)
		return;
	is = &m->issue[m->nissues++];
	is->severity = sev;
	is->field = f;
	is->line = line;
	is->col = col;
	if (line > 0 && col > 0)
		n = snprintf(is->msg, sizeof is->msg, "line %d, column %d: ",
			     line, col);
	else if (line > 0)
		n = snprintf(is->msg, sizeof is->msg, "line %d: ", line);
	if (n < 0 || (size_t)n >= sizeof is->msg)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(is->msg + n, sizeof is->msg - (size_t)n, fmt, ap);
	va_end(ap);
}

#define ERR(c, f, line, col, ...) \
	report((c), RCMS_MRZ_ERROR, (f), (line), (col), __VA_ARGS__)
#define WARN(c, f, line, col, ...) \
	report((c), RCMS_MRZ_WARNING, (f), (line), (col), __VA_ARGS__)

/* ---- reading ---------------------------------------------------------- */

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	/* the project's one UTF-8 decoder (app/text.c) */
	int k = n ? rcms_utf8_decode((const char *)s, n, cp) : -1;

	return k > 0 ? (size_t)k : 0;
}

/* Bytes of the character at s: a UTF-8 sequence, or 1 for a stray byte. */
static size_t char_step(const char *s, size_t n)
{
	uint32_t cp;
	size_t len = utf8_seq((const unsigned char *)s, n, &cp);

	return len ? len : 1;
}

static int count_chars(const char *s, size_t n)
{
	size_t i = 0;
	int chars = 0;

	/* ASCII eight bytes at a time: one byte, one character */
	while (i + 8 <= n) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
		i += 8;
		chars += 8;
	}
	while (i < n) {
		if ((unsigned char)s[i] < 0x80)
			i++;
		else
			i += char_step(s + i, n - i);
		chars++;
	}
	return chars;
}

/* Name the character at s for a message; returns its length in bytes. */
ATTR_COLD
static size_t describe_char(const char *s, size_t n, char *buf, size_t size)
{
	uint32_t cp;
	size_t len = utf8_seq((const unsigned char *)s, n, &cp);
	unsigned char b = (unsigned char)s[0];

	if (len == 0) {
		snprintf(buf, size, "the byte 0x%02X (not UTF-8)", b);
		return 1;
	}
	if (cp == ' ')
		snprintf(buf, size, "a space");
	else if (cp == '\t')
		snprintf(buf, size, "a tab");
	else if (cp < 0x20 || cp == 0x7F)
		snprintf(buf, size, "the control character 0x%02X", b);
	else if (cp < 0x80)
		snprintf(buf, size, "the character '%c'", (char)cp);
	else if (cp >= 0x80 && cp < 0xA0)
		snprintf(buf, size, "the control character U+%04X",
			 (unsigned)cp);
	else if ((cp > 0xA0 && cp < 0x250) || (cp >= 0x400 && cp < 0x500))
		/* Latin and Cyrillic letters are shown as they are */
		snprintf(buf, size, "the character '%.*s' (U+%04X)", (int)len,
			 s, (unsigned)cp);
	else
		/* not echoed: it could be invisible or turn text around */
		snprintf(buf, size, "the character U+%04X", (unsigned)cp);
	return len;
}

/*
 * Copy one line of the zone into c->pad[li] (at most RCMS_MRZ_LINE_MAX
 * characters kept), capitals for lower case, '?' for characters outside
 * the MRZ set, which are reported (the first three of a line one by one).
 */
static void normalise_line(struct ctx *c, int li, const char *s, size_t n)
{
	char *out = c->pad[li];
	size_t i = 0, len;
	int col = 0, bad = 0;
	bool lower = false;
	char what[64], ch;

	/* the usual case: MRZ characters only, copied as they are */
	if (n <= RCMS_MRZ_LINE_MAX) {
		const unsigned char *u = (const unsigned char *)s;
		unsigned ok = 1;

		memcpy(out, s, n);
		out[n] = '\0';
		for (; i + 4 <= n; i += 4)
			ok &= (cval1[u[i]] != 0) & (cval1[u[i + 1]] != 0) &
			      (cval1[u[i + 2]] != 0) & (cval1[u[i + 3]] != 0);
		for (; i < n; i++)
			ok &= cval1[u[i]] != 0;
		if (ok)
			return;
		i = 0;
	}
	while (i < n) {
		unsigned char b = (unsigned char)s[i];

		len = 1;
		if (cval1[b]) {
			ch = (char)b;
		} else if (b >= 'a' && b <= 'z') {
			ch = (char)(b - 'a' + 'A');
			if (!lower)
				WARN(c, RCMS_MRZ_F_NONE, li + 1, col + 1,
				     "lower-case letters were read as "
				     "capitals");
			lower = true;
		} else {
			len = describe_char(s + i, n - i, what, sizeof what);
			c->nbad++;
			if (++bad <= 3)
				ERR(c, RCMS_MRZ_F_NONE, li + 1, col + 1,
				    "%s is not allowed in an MRZ (only A-Z, "
				    "0-9 and <)", what);
			ch = '?';
		}
		if (col < RCMS_MRZ_LINE_MAX)
			out[col] = ch;
		col++;
		i += len;
	}
	out[col < RCMS_MRZ_LINE_MAX ? col : RCMS_MRZ_LINE_MAX] = '\0';
	if (bad > 3) {
		c->m->nerrors += bad - 4;  /* report() counts one more */
		ERR(c, RCMS_MRZ_F_NONE, li + 1, 0,
		    "%d more characters are not allowed in an MRZ", bad - 3);
	}
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

struct rawline {
	const char *s;
	size_t n;    /* bytes */
	int chars;
};

/* Byte offset of character number k (0-based) of s. */
static size_t char_offset(const char *s, size_t n, int k)
{
	size_t i = 0;

	while (k-- > 0 && i < n)
		i += char_step(s + i, n - i);
	return i;
}

/*
 * Find the lines of the zone in text and the format.  Returns true when
 * the structure (line count and lengths) is right and the fields can be
 * read.
 */
static bool read_zone(struct ctx *c, const char *text)
{
	struct rcms_mrz *m = c->m;
	struct rawline rl[4];
	const char *p = text;
	int n = 0, i, width, parts;
	bool ok = true;

	for (;;) {
		const char *e = strchr(p, '\n');
		const char *s = p;
		size_t len = e ? (size_t)(e - p) : strlen(p);

		while (len > 0 && is_blank(s[0])) {
			s++;
			len--;
		}
		while (len > 0 && is_blank(s[len - 1]))
			len--;
		if (len > 0) {
			if (n < 4) {
				rl[n].s = s;
				rl[n].n = len;
				rl[n].chars = count_chars(s, len);
			}
			n++;
		}
		if (!e)
			break;
		p = e + 1;
	}

	if (n == 0) {
		ERR(c, RCMS_MRZ_F_NONE, 0, 0, "the MRZ is empty");
		return false;
	}
	if (n == 1) {
		int ch = rl[0].chars;

		parts = ch == 90 ? 3 : (ch == 88 || ch == 72) ? 2 : 0;
		if (parts == 0) {
			m->nlines = 1;
			normalise_line(c, 0, rl[0].s, rl[0].n);
			ERR(c, RCMS_MRZ_F_NONE, 0, 0,
			    "the MRZ has 1 line of %d characters, expected 2 "
			    "lines of 44 or 36 characters, or 3 lines of 30",
			    ch);
			return false;
		}
		WARN(c, RCMS_MRZ_F_NONE, 0, 0,
		     "the MRZ was given as one line of %d characters and read "
		     "as %d lines of %d", ch, parts, ch / parts);
		{
			const char *s = rl[0].s;
			size_t total = rl[0].n;

			for (i = 0; i < parts; i++) {
				size_t a = char_offset(s, total, i * ch / parts);
				size_t b = char_offset(s, total,
						       (i + 1) * ch / parts);

				rl[i].s = s + a;
				rl[i].n = b - a;
				rl[i].chars = ch / parts;
			}
		}
		n = parts;
	}
	m->nlines = n < 3 ? n : 3;
	for (i = 0; i < m->nlines; i++)
		normalise_line(c, i, rl[i].s, rl[i].n);
	if (n > 3) {
		ERR(c, RCMS_MRZ_F_NONE, 0, 0,
		    "the MRZ has %d lines, expected 2 (of 44 or 36 "
		    "characters) or 3 (of 30)", n);
		return false;
	}

	if (n == 3) {
		width = 30;
		m->format = RCMS_MRZ_TD1;
	} else {
		int l0 = rl[0].chars, l1 = rl[1].chars;
		bool visa = c->pad[0][0] == 'V';

		if (l0 == 44 || l0 == 36)
			width = l0;
		else if (l1 == 44 || l1 == 36)
			width = l1;
		else
			width = l0 >= 40 ? 44 : 36;
		if (width == 44)
			m->format = visa ? RCMS_MRZ_MRVA : RCMS_MRZ_TD3;
		else
			m->format = visa ? RCMS_MRZ_MRVB : RCMS_MRZ_TD2;
	}
	for (i = 0; i < n; i++) {
		if (rl[i].chars != width) {
			ERR(c, RCMS_MRZ_F_NONE, i + 1, 0,
			    "%d characters, expected %d (%s: %s)",
			    rl[i].chars, width, formats[m->format].name,
			    formats[m->format].what);
			ok = false;
		}
	}
	return ok;
}

/* ---- analysis --------------------------------------------------------- */

static void fields_reset(struct rcms_mrz *m)
{
	int i;

	for (i = 0; i < RCMS_MRZ_F__COUNT; i++) {
		struct rcms_mrz_field *f = &m->field[i];

		f->present = false;
		f->valid = false;
		f->warned = false;
		f->line = f->col = f->len = 0;
		f->raw[0] = '\0';
		f->value[0] = '\0';
	}
}

static void set_field(struct ctx *c, int id, int line, int start, int len)
{
	struct rcms_mrz_field *f = &c->m->field[id];

	f->present = true;
	f->valid = true;
	f->warned = false;
	f->line = (unsigned char)(line + 1);
	f->col = (unsigned char)(start + 1);
	f->len = (unsigned char)len;
	/* a copy of constant size is a few vector moves, not a call */
	memcpy(f->raw, c->pad[line] + start, RCMS_MRZ_FIELD_MAX);
	f->raw[len] = '\0';
	f->value[0] = '\0';
}

/* The field at 0-based line and position, RCMS_MRZ_F_NONE if none. */
static enum rcms_mrz_field_id field_at(enum rcms_mrz_format fmt, int line,
				       int pos)
{
	const struct format_info *fi = &formats[fmt];
	int k;

	for (k = 0; k < fi->nslots; k++) {
		const struct slot *s = &fi->slots[k];

		if (s->line == line && pos >= s->start &&
		    pos < s->start + s->len)
			return (enum rcms_mrz_field_id)s->field;
	}
	return RCMS_MRZ_F_NONE;
}

static bool has_bad(const char *s)
{
	for (; *s; s++)
		if (!is_mrz_char(*s))
			return true;
	return false;
}

static bool all_fillers(const char *s)
{
	for (; *s; s++)
		if (*s != '<')
			return false;
	return true;
}

static int first_digit(const char *s)
{
	int i;

	for (i = 0; s[i]; i++)
		if (is_digit(s[i]))
			return i;
	return -1;
}

static int first_letter(const char *s)
{
	int i;

	for (i = 0; s[i]; i++)
		if (is_upper(s[i]))
			return i;
	return -1;
}

/* value = raw without its trailing fillers */
static void value_trim(struct rcms_mrz_field *f)
{
	size_t n = f->len;

	while (n > 0 && f->raw[n - 1] == '<')
		n--;
	/* constant size: compilers make a variable one a slow string move */
	memcpy(f->value, f->raw, sizeof f->value);
	f->value[n] = '\0';
}

/*
 * s[0..n) with each run of fillers one space, none at the ends.  Returns
 * the index of the first digit, -1 when there is none.
 */
static int name_value(const char *s, size_t n, char *out)
{
	size_t i, o = 0;
	bool sep = false;
	int dig = -1;

	for (i = 0; i < n; i++) {
		if (s[i] == '<') {
			sep = o > 0;
			continue;
		}
		if (sep)
			out[o++] = ' ';
		sep = false;
		if (dig < 0 && is_digit(s[i]))
			dig = (int)i;
		out[o++] = s[i];
	}
	out[o] = '\0';
	return dig;
}

static void v_doc_code(struct ctx *c)
{
	struct rcms_mrz *m = c->m;
	struct rcms_mrz_field *f = &m->field[RCMS_MRZ_F_DOC_CODE];
	int i;
	char k;

	if (c->nbad && has_bad(f->raw)) {
		f->valid = false;
		return;
	}
	i = first_digit(f->raw);
	if (i >= 0) {
		ERR(c, RCMS_MRZ_F_DOC_CODE, f->line, f->col + i,
		    "the document code must be letters, found the digit '%c'",
		    f->raw[i]);
		return;
	}
	if (f->raw[0] == '<') {
		ERR(c, RCMS_MRZ_F_DOC_CODE, f->line, f->col,
		    "the document code must start with a letter");
		return;
	}
	value_trim(f);
	k = f->raw[0];
	switch (m->format) {
	case RCMS_MRZ_TD3:
		if (k != 'P')
			WARN(c, RCMS_MRZ_F_DOC_CODE, f->line, f->col,
			     "passports have codes that start with P, not %c",
			     k);
		break;
	case RCMS_MRZ_TD1:
	case RCMS_MRZ_TD2:
		if (k != 'A' && k != 'C' && k != 'I')
			WARN(c, RCMS_MRZ_F_DOC_CODE, f->line, f->col,
			     "identity documents have codes that start with "
			     "A, C or I, not %c", k);
		break;
	default:
		break;
	}
}

static void v_state(struct ctx *c, enum rcms_mrz_field_id id)
{
	struct rcms_mrz_field *f = &c->m->field[id];
	const char *label = field_info[id].label;
	int i;

	if (c->nbad && has_bad(f->raw)) {
		f->valid = false;
		return;
	}
	i = first_digit(f->raw);
	if (i >= 0) {
		ERR(c, id, f->line, f->col + i,
		    "the %s must be letters, found the digit '%c'", label,
		    f->raw[i]);
		return;
	}
	value_trim(f);
	if (f->value[0] == '\0' || strchr(f->value, '<')) {
		ERR(c, id, f->line, f->col, "the %s %s is not a code", label,
		    f->raw);
		f->value[0] = '\0';
		return;
	}
	if (!country_known(f->raw))
		WARN(c, id, f->line, f->col,
		     "the %s %s is not on ICAO's list of codes", label,
		     f->value);
}

static void v_name(struct ctx *c)
{
	struct rcms_mrz *m = c->m;
	struct rcms_mrz_field *f = &m->field[RCMS_MRZ_F_NAME];
	int li = f->line - 1, start = f->col - 1, len = f->len;
	const char *s = f->raw;
	const char *dd = strstr(s, "<<");
	int p, end = len, g, i, dig, dig2;
	bool bad = c->nbad && has_bad(s);

	/*
	 * The primary identifier ends at the first "<<", or at a filler in
	 * the last position; the name at its last letter.
	 */
	if (dd)
		p = (int)(dd - s);
	else
		p = len > 0 && s[len - 1] == '<' ? len - 1 : len;
	while (end > 0 && s[end - 1] == '<')
		end--;
	g = p + 2 < end ? p + 2 : end;
	while (g < end && s[g] == '<')
		g++;
	set_field(c, RCMS_MRZ_F_SURNAMES, li, start, p);
	set_field(c, RCMS_MRZ_F_GIVEN_NAMES, li, start + g, end - g);
	dig = name_value(s, (size_t)p, m->field[RCMS_MRZ_F_SURNAMES].value);
	dig2 = name_value(s + g, (size_t)(end - g),
			  m->field[RCMS_MRZ_F_GIVEN_NAMES].value);
	if (dig < 0 && dig2 >= 0)
		dig = g + dig2;
	memcpy(f->value, f->raw, sizeof f->value);
	f->value[end] = '\0';

	if (bad) {
		for (i = 0; i < len; i++) {
			if (!is_mrz_char(s[i])) {
				m->field[i < p ? RCMS_MRZ_F_SURNAMES
					       : RCMS_MRZ_F_GIVEN_NAMES]
					.valid = false;
			}
		}
		f->valid = false;
		return;
	}
	i = dig;
	if (i >= 0) {
		ERR(c, i < p ? RCMS_MRZ_F_SURNAMES : RCMS_MRZ_F_GIVEN_NAMES,
		    f->line, f->col + i,
		    "names must be letters, found the digit '%c'", s[i]);
		f->valid = false;
		return;
	}
	if (end == 0) {
		ERR(c, RCMS_MRZ_F_NAME, f->line, f->col, "the name is empty");
		m->field[RCMS_MRZ_F_SURNAMES].valid = false;
		return;
	}
	if (p == 0) {
		ERR(c, RCMS_MRZ_F_SURNAMES, f->line, f->col,
		    "the name starts with a filler: the surname (primary "
		    "identifier) is missing");
		f->valid = false;
		return;
	}
	if (end == len)
		WARN(c, RCMS_MRZ_F_NAME, f->line, f->col + len - 1,
		     "the name fills its field and may have been truncated");
}

static void v_doc_number(struct ctx *c)
{
	struct rcms_mrz_field *f = &c->m->field[RCMS_MRZ_F_DOC_NUMBER];

	if (c->nbad && has_bad(f->raw)) {
		f->valid = false;
		return;
	}
	value_trim(f);
	if (f->value[0] == '\0')
		ERR(c, RCMS_MRZ_F_DOC_NUMBER, f->line, f->col,
		    "the document number is empty");
}

static void v_optional(struct ctx *c, enum rcms_mrz_field_id id)
{
	struct rcms_mrz_field *f = &c->m->field[id];

	if (c->nbad && has_bad(f->raw)) {
		f->valid = false;
		return;
	}
	value_trim(f);
}

/*
 * A check digit over a field.  filler_ok: a data field of fillers only
 * may have '<' as its check digit.
 */
static void v_check(struct ctx *c, enum rcms_mrz_field_id chk,
		    enum rcms_mrz_field_id data, bool filler_ok)
{
	struct rcms_mrz_field *cf = &c->m->field[chk];
	const struct rcms_mrz_field *df = &c->m->field[data];
	char got = cf->raw[0];
	int want;

	if (!is_mrz_char(got)) {
		cf->valid = false;
		return;
	}
	want = c->nbad ? rcms_mrz_check_digit(df->raw, df->len)
		: (int)(wsum(df->raw, df->len, 0) % 10);
	if (want < 0)
		return;  /* the field's own error says why */
	cf->value[0] = got;
	cf->value[1] = '\0';
	if (is_digit(got) && got - '0' == want)
		return;
	if (got == '<' && filler_ok && all_fillers(df->raw))
		return;
	cf->value[0] = '\0';
	if (is_digit(got))
		ERR(c, chk, cf->line, cf->col, "%s is %c, expected %d",
		    field_info[chk].label, got, want);
	else
		ERR(c, chk, cf->line, cf->col, "%s is '%c', expected %d",
		    field_info[chk].label, got, want);
}

static void v_composite(struct ctx *c)
{
	struct rcms_mrz *m = c->m;
	struct rcms_mrz_field *cf = &m->field[RCMS_MRZ_F_COMPOSITE_CHECK];
	char got = cf->raw[0];
	int want;

	if (!is_mrz_char(got)) {
		cf->valid = false;
		return;
	}
	want = c->nbad ? composite_digit(m->format, c->pad[0], c->pad[1])
		: composite_clean(m->format, c->pad[0], c->pad[1]);
	if (want < 0)
		return;
	if (is_digit(got) && got - '0' == want) {
		cf->value[0] = got;
		cf->value[1] = '\0';
		return;
	}
	if (is_digit(got))
		ERR(c, RCMS_MRZ_F_COMPOSITE_CHECK, cf->line, cf->col,
		    "composite check digit is %c, expected %d", got, want);
	else
		ERR(c, RCMS_MRZ_F_COMPOSITE_CHECK, cf->line, cf->col,
		    "composite check digit is '%c', expected %d", got, want);
}

/* 0: two digits, 1: two fillers, 2: mixed */
static int pair_kind(const char *s)
{
	if (is_digit(s[0]) && is_digit(s[1]))
		return 0;
	if (s[0] == '<' && s[1] == '<')
		return 1;
	return 2;
}

static const char *const part_names[3] = {"year", "month", "day"};

/*
 * Read a YYMMDD date field.  birth: partial dates allowed and the century
 * is the past's; else the expiry window.  Returns true with *d set.
 */
static bool v_date(struct ctx *c, enum rcms_mrz_field_id id, bool birth,
		   struct rcms_pdate *d)
{
	struct rcms_mrz_field *f = &c->m->field[id];
	const char *s = f->raw;
	const char *label = field_info[id].label;
	const struct rcms_pdate *t = &c->today;
	int k[3], i, yy, mm, dd, y, base;

	d->year = d->month = d->day = 0;
	if (c->nbad && has_bad(s)) {
		f->valid = false;
		return false;
	}
	i = first_letter(s);
	if (i >= 0) {
		ERR(c, id, f->line, f->col + i,
		    "the %s must be digits (YYMMDD), found the letter '%c'",
		    label, s[i]);
		return false;
	}
	for (i = 0; i < 3; i++) {
		k[i] = pair_kind(s + 2 * i);
		if (k[i] == 2) {
			ERR(c, id, f->line, f->col + 2 * i,
			    "the %s %s mixes digits and fillers in its %s",
			    label, s, part_names[i]);
			return false;
		}
	}
	if (k[0] == 1 && k[1] == 1 && k[2] == 1) {
		if (birth)
			WARN(c, id, f->line, f->col,
			     "the birth date is unknown (<<<<<<)");
		else
			WARN(c, id, f->line, f->col,
			     "the document has no expiry date (<<<<<<)");
		return true;
	}
	if (!birth && (k[0] | k[1] | k[2])) {
		ERR(c, id, f->line, f->col,
		    "the expiry date %s must be a full date (YYMMDD) or "
		    "<<<<<<", s);
		return false;
	}
	if (k[0] == 1) {
		ERR(c, id, f->line, f->col,
		    "the %s %s has a month or day but no year", label, s);
		return false;
	}
	if (k[1] == 1 && k[2] == 0) {
		ERR(c, id, f->line, f->col + 4,
		    "the %s %s has a day but no month", label, s);
		return false;
	}
	yy = (s[0] - '0') * 10 + (s[1] - '0');
	mm = k[1] == 0 ? (s[2] - '0') * 10 + (s[3] - '0') : 0;
	dd = k[2] == 0 ? (s[4] - '0') * 10 + (s[5] - '0') : 0;
	if (k[1] == 0 && (mm < 1 || mm > 12)) {
		ERR(c, id, f->line, f->col + 2,
		    "the %s %s is not a date: there is no month %d", label, s,
		    mm);
		return false;
	}
	base = t->year - t->year % 100;
	y = base + yy;
	if (birth) {
		if (date_cmp(y, mm ? mm : 1, dd ? dd : 1, t) > 0)
			y -= 100;
	} else if (y > t->year + 50) {
		y -= 100;
	} else if (y < t->year - 50) {
		y += 100;
	}
	if (k[2] == 0 && (dd < 1 || dd > days_in_month(y, mm))) {
		ERR(c, id, f->line, f->col + 4,
		    "the %s %s is not a date: %s %d has no day %d", label, s,
		    month_names[mm], y, dd);
		return false;
	}
	if (y < 1)
		return false;  /* only with a "today" in the first century */
	d->year = y;
	d->month = mm;
	d->day = dd;
	pdate_text(d, f->value);
	return true;
}

static void v_sex(struct ctx *c)
{
	struct rcms_mrz *m = c->m;
	struct rcms_mrz_field *f = &m->field[RCMS_MRZ_F_SEX];

	switch (f->raw[0]) {
	case 'M':
		m->sex = RCMS_SEX_M;
		break;
	case 'F':
		m->sex = RCMS_SEX_F;
		break;
	case 'X':
		m->sex = RCMS_SEX_X;
		break;
	case '<':
		m->sex = RCMS_SEX_UNKNOWN;
		return;
	default:
		if (is_mrz_char(f->raw[0]))
			ERR(c, RCMS_MRZ_F_SEX, f->line, f->col,
			    "sex must be M, F, X or <, found '%c'",
			    f->raw[0]);
		else
			f->valid = false;
		return;
	}
	f->value[0] = f->raw[0];
	f->value[1] = '\0';
}

/* TD1: a document number that continues in the optional data 1. */
static void td1_long_number(struct ctx *c)
{
	struct rcms_mrz *m = c->m;
	const char *l = c->pad[0];
	struct rcms_mrz_field *nf = &m->field[RCMS_MRZ_F_DOC_NUMBER];
	int k, start;

	if (l[14] != '<' || l[15] == '<' || !is_mrz_char(l[15]))
		return;
	for (k = 0; k < 15 && l[15 + k] != '<'; k++)
		;
	if (k < 2) {
		ERR(c, RCMS_MRZ_F_DOC_NUMBER_CHECK, 1, 16,
		    "the document number continues in the optional data but "
		    "its check digit is missing");
		return;
	}
	if (k == 15) {
		/* Doc 9303: the check digit is followed by a filler */
		ERR(c, RCMS_MRZ_F_OPTIONAL1, 1, 30,
		    "the document number fills the optional data: no filler "
		    "after its check digit (22 characters at most)");
		return;
	}
	m->long_document_number = true;
	/* the number: 9 characters, then k - 1 more; the check digit after */
	memcpy(nf->raw + 9, l + 15, (size_t)(k - 1));
	nf->raw[9 + k - 1] = '\0';
	nf->len = (unsigned char)(9 + k - 1);
	set_field(c, RCMS_MRZ_F_DOC_NUMBER_CHECK, 0, 15 + k - 1, 1);
	start = k < 15 ? 15 + k + 1 : 30;
	set_field(c, RCMS_MRZ_F_OPTIONAL1, 0, start, 30 - start);
}

static void analyse(struct ctx *c)
{
	struct rcms_mrz *m = c->m;
	const struct format_info *fi = &formats[m->format];
	int k, li, pos;

	m->long_document_number = false;
	for (k = 0; k < fi->nslots; k++) {
		const struct slot *s = &fi->slots[k];

		set_field(c, s->field, s->line, s->start, s->len);
	}
	/* characters outside the set, reported while reading */
	for (li = 0; c->nbad && li < fi->lines; li++) {
		for (pos = 0; pos < fi->width; pos++) {
			if (is_mrz_char(c->pad[li][pos]))
				continue;
			k = field_at(m->format, li, pos);
			if (k < RCMS_MRZ_F__COUNT)
				m->field[k].valid = false;
		}
	}
	if (m->format == RCMS_MRZ_TD1)
		td1_long_number(c);

	for (k = 0; k < fi->nslots; k++) {
		switch ((enum rcms_mrz_field_id)fi->slots[k].field) {
		case RCMS_MRZ_F_DOC_CODE:
			v_doc_code(c);
			break;
		case RCMS_MRZ_F_ISSUING_STATE:
		case RCMS_MRZ_F_NATIONALITY:
			v_state(c, fi->slots[k].field);
			break;
		case RCMS_MRZ_F_NAME:
			v_name(c);
			break;
		case RCMS_MRZ_F_DOC_NUMBER:
			v_doc_number(c);
			break;
		case RCMS_MRZ_F_DOC_NUMBER_CHECK:
			v_check(c, RCMS_MRZ_F_DOC_NUMBER_CHECK,
				RCMS_MRZ_F_DOC_NUMBER, false);
			break;
		case RCMS_MRZ_F_BIRTH_DATE:
			v_date(c, RCMS_MRZ_F_BIRTH_DATE, true, &m->birth_date);
			break;
		case RCMS_MRZ_F_BIRTH_DATE_CHECK:
			v_check(c, RCMS_MRZ_F_BIRTH_DATE_CHECK,
				RCMS_MRZ_F_BIRTH_DATE, true);
			break;
		case RCMS_MRZ_F_SEX:
			v_sex(c);
			break;
		case RCMS_MRZ_F_EXPIRY_DATE:
			v_date(c, RCMS_MRZ_F_EXPIRY_DATE, false,
			       &m->expiry_date);
			break;
		case RCMS_MRZ_F_EXPIRY_DATE_CHECK:
			v_check(c, RCMS_MRZ_F_EXPIRY_DATE_CHECK,
				RCMS_MRZ_F_EXPIRY_DATE, true);
			break;
		case RCMS_MRZ_F_OPTIONAL1:
		case RCMS_MRZ_F_OPTIONAL2:
		case RCMS_MRZ_F_PERSONAL_NUMBER:
			v_optional(c, fi->slots[k].field);
			break;
		case RCMS_MRZ_F_PERSONAL_NUMBER_CHECK:
			v_check(c, RCMS_MRZ_F_PERSONAL_NUMBER_CHECK,
				RCMS_MRZ_F_PERSONAL_NUMBER, true);
			break;
		case RCMS_MRZ_F_COMPOSITE_CHECK:
			v_composite(c);
			break;
		default:
			break;
		}
	}

	/* what the dates say together, and against today */
	if (m->field[RCMS_MRZ_F_EXPIRY_DATE].valid && m->expiry_date.year) {
		const struct rcms_pdate *e = &m->expiry_date;
		const struct rcms_pdate *b = &m->birth_date;
		const struct rcms_mrz_field *f =
			&m->field[RCMS_MRZ_F_EXPIRY_DATE];

		if (date_cmp(e->year, e->month, e->day, &c->today) < 0)
			WARN(c, RCMS_MRZ_F_EXPIRY_DATE, f->line, f->col,
			     "the document expired on %s", f->value);
		if (m->field[RCMS_MRZ_F_BIRTH_DATE].valid && b->year &&
		    (e->year < b->year ||
		     (e->year == b->year && b->month &&
		      (e->month < b->month ||
		       (e->month == b->month && b->day && e->day < b->day)))))
			WARN(c, RCMS_MRZ_F_EXPIRY_DATE, f->line, f->col,
			     "the expiry date is before the birth date");
	}
}

/* ---- suggestions ------------------------------------------------------ */

/* In the name field, the part a 1-based column falls in. */
static enum rcms_mrz_field_id name_part(const struct rcms_mrz *m,
					enum rcms_mrz_field_id f, int col)
{
	const struct rcms_mrz_field *s = &m->field[RCMS_MRZ_F_SURNAMES];

	if (f != RCMS_MRZ_F_NAME)
		return f;
	return col < s->col + s->len ? RCMS_MRZ_F_SURNAMES
				     : RCMS_MRZ_F_GIVEN_NAMES;
}

/* The character ch may have been mistaken for, in a field of kind k. */
static char confusion(char ch, enum kind k)
{
	if (k != KIND_ALPHA) {
		switch (ch) {
		case 'O': return '0';
		case 'I': return '1';
		case 'Z': return '2';
		case 'S': return '5';
		case 'B': return '8';
		default: break;
		}
	}
	if (k != KIND_NUM) {
		switch (ch) {
		case '0': return 'O';
		case '1': return 'I';
		case '2': return 'Z';
		case '5': return 'S';
		case '8': return 'B';
		default: break;
		}
	}
	return '\0';
}

static void suggest(struct ctx *c)
{
	struct rcms_mrz *m = c->m;
	const struct format_info *fi = &formats[m->format];
	struct rcms_mrz scratch;
	struct ctx q;
	int li, pos;

	/* a character outside the set stays an error whatever else changes */
	if (c->nbad)
		return;
	q.m = &scratch;
	q.today = c->today;
	q.quiet = true;
	q.nbad = 0;

	fields_reset(&scratch);
	scratch.format = m->format;
	scratch.nlines = m->nlines;
	memcpy(q.pad, c->pad, sizeof q.pad);
	for (li = 0; li < fi->lines; li++) {
		for (pos = 0; pos < fi->width; pos++) {
			char from = c->pad[li][pos], to;
			enum rcms_mrz_field_id f = field_at(m->format, li, pos);
			struct rcms_mrz_suggestion *sg;

			if (f >= RCMS_MRZ_F__COUNT)
				continue;
			to = confusion(from, field_info[f].kind);
			if (!to)
				continue;
			q.pad[li][pos] = to;
			scratch.nerrors = scratch.nwarnings = 0;
			scratch.nissues = 0;
			analyse(&q);
			q.pad[li][pos] = from;
			if (scratch.nerrors != 0 ||
			    m->nsuggestions >= RCMS_MRZ_MAX_SUGGESTIONS)
				continue;
			sg = &m->suggestion[m->nsuggestions++];
			sg->line = (unsigned char)(li + 1);
			sg->col = (unsigned char)(pos + 1);
			sg->from = from;
			sg->to = to;
			sg->field = name_part(m, f, pos + 1);
			memcpy(sg->corrected, c->pad[li], sizeof sg->corrected);
			sg->corrected[pos] = to;
		}
	}
}

/* ---- parse ------------------------------------------------------------ */

/* Errors before warnings, each in the order found. */
static void order_issues(struct rcms_mrz *m)
{
	struct rcms_mrz_issue tmp[RCMS_MRZ_MAX_ISSUES];
	int i, n = 0;
	bool need = false;

	for (i = 1; i < m->nissues; i++)
		if (m->issue[i].severity == RCMS_MRZ_ERROR &&
		    m->issue[i - 1].severity == RCMS_MRZ_WARNING)
			need = true;
	if (!need)
		return;
	for (i = 0; i < m->nissues; i++)
		if (m->issue[i].severity == RCMS_MRZ_ERROR)
			tmp[n++] = m->issue[i];
	for (i = 0; i < m->nissues; i++)
		if (m->issue[i].severity != RCMS_MRZ_ERROR)
			tmp[n++] = m->issue[i];
	memcpy(m->issue, tmp, sizeof tmp[0] * (size_t)n);
}

enum rcms_status rcms_mrz_parse(const char *text, struct rcms_pdate today,
				struct rcms_mrz *out)
{
	struct ctx c;
	int i;
	bool ok;

	if (!out)
		return RCMS_ERR_INVALID;
	c.m = out;
	c.today = today;
	c.quiet = false;
	c.nbad = 0;
	memset(c.pad, 0, sizeof c.pad);
	out->format = RCMS_MRZ_UNKNOWN;
	out->nlines = 0;
	for (i = 0; i < 3; i++)
		out->line[i][0] = '\0';
	fields_reset(out);
	out->sex = RCMS_SEX_UNKNOWN;
	out->birth_date.year = out->birth_date.month = 0;
	out->birth_date.day = 0;
	out->expiry_date = out->birth_date;
	out->long_document_number = false;
	out->nerrors = out->nwarnings = 0;
	out->nissues = 0;
	out->nsuggestions = 0;

	if (!today_valid(&today)) {
		ERR(&c, RCMS_MRZ_F_NONE, 0, 0,
		    "today's date %d-%02d-%02d is not a valid date",
		    today.year, today.month, today.day);
		return RCMS_ERR_INVALID;
	}
	if (!text) {
		ERR(&c, RCMS_MRZ_F_NONE, 0, 0, "no MRZ was given");
		return RCMS_ERR_INVALID;
	}
	ok = read_zone(&c, text);
	for (i = 0; i < 3; i++) {
		memcpy(out->line[i], c.pad[i], sizeof out->line[i]);
		out->line[i][RCMS_MRZ_LINE_MAX] = '\0';
	}
	if (ok) {
		analyse(&c);
		for (i = 0; i < out->nissues; i++) {
			struct rcms_mrz_issue *is = &out->issue[i];

			if (is->field != RCMS_MRZ_F_NONE || !is->line ||
			    !is->col || is->severity != RCMS_MRZ_ERROR)
				continue;
			is->field = name_part(out, field_at(out->format,
							    is->line - 1,
							    is->col - 1),
					      is->col);
		}
		if (out->nerrors)
			suggest(&c);
	}
	order_issues(out);
	return out->nerrors ? RCMS_ERR_INVALID : RCMS_OK;
}

/* ---- generation ------------------------------------------------------- */

/*
 * Write a code of 1..width letters into dst, padded with fillers; fillers
 * are accepted after the first letter ("D<<", "P<"), lower case too.
 */
static bool put_code(char *dst, const char *code, int width)
{
	int n;

	if (!code || !code[0])
		return false;
	for (n = 0; code[n]; n++) {
		char ch = code[n];

		if (n >= width)
			return false;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!is_upper(ch) && !(n > 0 && ch == '<'))
			return false;
		dst[n] = ch;
	}
	for (; n < width; n++)
		dst[n] = '<';
	return true;
}

/* Free optional data: MRZ characters, lower case, space as filler. */
static bool put_free(char *dst, const char *src, int width, int *used)
{
	int n = 0;

	for (; src && *src; src++) {
		char ch = *src;

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		else if (ch == ' ')
			ch = '<';
		if (!is_mrz_char(ch) || n >= width)
			return false;
		dst[n++] = ch;
	}
	*used = n;
	return true;
}

/* A document number in MRZ characters: spaces, - / . dropped. */
static bool clean_number(const char *src, char *out, size_t size,
			 size_t *len)
{
	size_t n = 0;

	for (; *src; src++) {
		char ch = *src;

		if (ch == ' ' || ch == '-' || ch == '/' || ch == '.')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!is_mrz_char(ch) || n + 1 >= size)
			return false;
		out[n++] = ch;
	}
	while (n > 0 && out[n - 1] == '<')
		n--;
	out[n] = '\0';
	*len = n;
	return true;
}

static void put2(char *dst, int v)
{
	dst[0] = (char)('0' + v / 10 % 10);
	dst[1] = (char)('0' + v % 10);
}

/* YYMMDD; partial_ok lets month and day be unknown ('<'). */
static bool put_date(char *dst, const struct rcms_pdate *d, bool partial_ok)
{
	if (d->year == 0) {
		if (d->month || d->day)
			return false;
		memset(dst, '<', 6);
		return true;
	}
	if (d->year < 0 || d->year > 9999 || d->month < 0 || d->month > 12 ||
	    d->day < 0 || (d->month == 0 && d->day != 0))
		return false;
	if (!partial_ok && (d->month == 0 || d->day == 0))
		return false;
	if (d->day > 0 && d->day > days_in_month(d->year, d->month))
		return false;
	put2(dst, d->year % 100);
	if (d->month)
		put2(dst + 2, d->month);
	else
		memcpy(dst + 2, "<<", 2);
	if (d->day)
		put2(dst + 4, d->day);
	else
		memcpy(dst + 4, "<<", 2);
	return true;
}

static char check_char(const char *s, size_t n)
{
	int d = rcms_mrz_check_digit(s, n);

	return d < 0 ? '<' : (char)('0' + d);
}

/* Room for a transliterated name: translit.h promises 2 bytes a byte. */
#define NAME_BUF (2 * RCMS_NAME_LEN + 1)

/*
 * The name field: PRIMARY<<SECONDARY<COMPONENTS, padded, truncated by the
 * rule in mrz.h.
 */
static enum rcms_status gen_name(const char *surnames, const char *given,
				 enum rcms_translit_lang lang, char *field,
				 int width, struct rcms_err *err)
{
	char pri[NAME_BUF], sec[NAME_BUF];
	/* components of the given names: start, length kept, length */
	int cs[NAME_BUF / 2 + 1], cl[NAME_BUF / 2 + 1], orig[NAME_BUF / 2 + 1];
	int plen, nc = 0, total, i, k, o = 0;

	if (rcms_translit_mrz_lang(surnames, lang, pri, sizeof pri) != RCMS_OK)
		return rcms_err_set(err, RCMS_ERR_INVALID, "surnames",
				    "the surnames hold characters that cannot "
				    "be written in an MRZ");
	if (rcms_translit_mrz_lang(given, lang, sec, sizeof sec) != RCMS_OK)
		return rcms_err_set(err, RCMS_ERR_INVALID, "given_names",
				    "the given names hold characters that "
				    "cannot be written in an MRZ");
	plen = (int)strlen(pri);
	if (plen == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "surnames",
				    "the surnames are empty: an MRZ needs a "
				    "primary identifier");
	/* the components of the secondary identifier */
	for (i = 0; sec[i];) {
		cs[nc] = i;
		while (sec[i] && sec[i] != '<')
			i++;
		cl[nc] = orig[nc] = i - cs[nc];
		nc++;
		if (sec[i] == '<')
			i++;
	}
	total = plen;
	for (k = 0; k < nc; k++)
		total += cl[k] + (k == 0 ? 2 : 1);
	/* 1. given names shorten from the end, the last first, to initials */
	for (k = nc - 1; k >= 0 && total > width; k--) {
		while (cl[k] > 1 && total > width) {
			cl[k]--;
			total--;
		}
	}
	/* 2. given names go, the last first, keeping the first initial */
	while (total > width && nc > 1) {
		total -= cl[nc - 1] + 1;
		nc--;
	}
	/* and the last one left takes back what it can of the room freed */
	while (nc > 0 && total < width && cl[nc - 1] < orig[nc - 1]) {
		cl[nc - 1]++;
		total++;
	}
	/* 3. the surnames are cut: SURNAMES<<I fills the field */
	if (total > width) {
		plen = nc > 0 ? width - 3 : width;
		while (plen > 0 && pri[plen - 1] == '<')
			plen--;
	}
	memcpy(field, pri, (size_t)plen);
	o = plen;
	for (k = 0; k < nc; k++) {
		if (k == 0) {
			field[o++] = '<';
			field[o++] = '<';
		} else {
			field[o++] = '<';
		}
		memcpy(field + o, sec + cs[k], (size_t)cl[k]);
		o += cl[k];
	}
	while (o < width)
		field[o++] = '<';
	return RCMS_OK;
}

enum rcms_status rcms_mrz_generate(enum rcms_mrz_format fmt,
				   const struct rcms_person *p,
				   const struct rcms_document *d,
				   const struct rcms_mrz_gen_opts *opts,
				   char *out, size_t size,
				   struct rcms_err *err)
{
	static const struct rcms_mrz_gen_opts none = {NULL, NULL, NULL,
						      RCMS_TRANSLIT_AUTO};
	char l[3][RCMS_MRZ_LINE_MAX + 1];
	char num[sizeof d->number];
	const struct format_info *fi;
	const char *code;
	size_t nlen, o = 0;
	int i, used = 0, w;
	char *l1, *l2, *name, *nat, *birth, *sex, *expiry;
	enum rcms_status st;

	rcms_err_clear(err);
	if (!out || size == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no buffer for the MRZ");
	out[0] = '\0';
	if (!p || !d)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no person or no document to write an "
				    "MRZ for");
	if (fmt <= RCMS_MRZ_UNKNOWN || fmt >= RCMS_MRZ_FORMAT__COUNT)
		return rcms_err_set(err, RCMS_ERR_INVALID, "format",
				    "unknown MRZ format %d", (int)fmt);
	if (!opts)
		opts = &none;
	fi = &formats[fmt];
	if (size < (size_t)(fi->lines * (fi->width + 1)))
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "the buffer for the MRZ is too small");
	for (i = 0; i < 3; i++) {
		memset(l[i], '<', RCMS_MRZ_LINE_MAX);
		l[i][fi->width] = '\0';
	}
	l1 = l[0];
	l2 = l[1];

	code = opts->doc_code && opts->doc_code[0] ? opts->doc_code
		: fmt == RCMS_MRZ_TD3 ? "P"
		: (fmt == RCMS_MRZ_MRVA || fmt == RCMS_MRZ_MRVB) ? "V" : "I";
	if (!put_code(l1, code, 2))
		return rcms_err_set(err, RCMS_ERR_INVALID, "doc_code",
				    "the document code must be 1 or 2 letters");
	/* in two lines a V makes a visa; three lines are TD1 whatever */
	if (fi->lines == 2 &&
	    (fmt == RCMS_MRZ_MRVA || fmt == RCMS_MRZ_MRVB) != (l1[0] == 'V'))
		return rcms_err_set(err, RCMS_ERR_INVALID, "doc_code",
				    "the document code starts with V for "
				    "visas and only for them");
	if (!put_code(l1 + 2, d->issuing_state, 3))
		return rcms_err_set(err, RCMS_ERR_INVALID, "issuing_state",
				    "the issuing state must be a code of 1 to "
				    "3 letters");

	if (fmt == RCMS_MRZ_TD1) {
		name = l[2];
		w = 30;
		birth = l2;
		sex = l2 + 7;
		expiry = l2 + 8;
		nat = l2 + 15;
	} else {
		name = l1 + 5;
		w = fi->width - 5;
		birth = l2 + 13;
		sex = l2 + 20;
		expiry = l2 + 21;
		nat = l2 + 10;
	}
	if (!put_code(nat, p->nationality, 3))
		return rcms_err_set(err, RCMS_ERR_INVALID, "nationality",
				    "the nationality must be a code of 1 to 3 "
				    "letters");
	if (!put_date(birth, &p->birth_date, true))
		return rcms_err_set(err, RCMS_ERR_INVALID, "birth_date",
				    "the birth date is not a date");
	birth[6] = check_char(birth, 6);
	if (!put_date(expiry, &d->expiry_date, false))
		return rcms_err_set(err, RCMS_ERR_INVALID, "expiry_date",
				    "the expiry date must be a full date, or "
				    "none");
	expiry[6] = check_char(expiry, 6);
	switch (p->sex) {
	case RCMS_SEX_M: *sex = 'M'; break;
	case RCMS_SEX_F: *sex = 'F'; break;
	case RCMS_SEX_X: *sex = 'X'; break;
	default: *sex = '<'; break;
	}
	st = gen_name(p->surnames, p->given_names, opts->lang, name, w, err);
	if (st != RCMS_OK)
		return st;

	if (!clean_number(d->number, num, sizeof num, &nlen) || nlen == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "number",
				    "the document number must be letters and "
				    "digits");
	if (fmt == RCMS_MRZ_TD1) {
		char *opt = l1 + 15;
		int room = 15;

		if (nlen <= 9) {
			memcpy(l1 + 5, num, nlen);
			l1[14] = check_char(l1 + 5, 9);
		} else {
			size_t ov = nlen - 9;

			if (ov > 13 || memchr(num + 9, '<', ov))
				return rcms_err_set(err, RCMS_ERR_INVALID,
					"number",
					"the document number is too long for "
					"a TD1 zone (22 characters at most)");
			memcpy(l1 + 5, num, 9);
			l1[14] = '<';
			memcpy(opt, num + 9, ov);
			opt[ov] = check_char(num, nlen);
			opt += ov + 2;
			room -= (int)ov + 2;
		}
		if (!put_free(opt, opts->optional1, room, &used))
			return rcms_err_set(err, RCMS_ERR_INVALID, "optional1",
					    "the optional data does not fit "
					    "or holds characters an MRZ has "
					    "not");
		if (!put_free(l2 + 18, opts->optional2, 11, &used))
			return rcms_err_set(err, RCMS_ERR_INVALID, "optional2",
					    "the optional data 2 does not fit "
					    "or holds characters an MRZ has "
					    "not");
		l2[29] = (char)('0' + composite_digit(fmt, l1, l2));
	} else {
		if (nlen > 9)
			return rcms_err_set(err, RCMS_ERR_INVALID, "number",
					    "a document number longer than 9 "
					    "characters fits a TD1 zone only");
		memcpy(l2, num, nlen);
		l2[9] = check_char(l2, 9);
		if (opts->optional2 && opts->optional2[0])
			return rcms_err_set(err, RCMS_ERR_INVALID, "optional2",
					    "only TD1 zones have optional "
					    "data 2");
		w = fmt == RCMS_MRZ_TD3 ? 14 : fi->width - 28 -
			(fmt == RCMS_MRZ_TD2 ? 1 : 0);
		if (!put_free(l2 + 28, opts->optional1, w, &used))
			return rcms_err_set(err, RCMS_ERR_INVALID, "optional1",
					    "the optional data does not fit "
					    "or holds characters an MRZ has "
					    "not");
		if (fmt == RCMS_MRZ_TD3) {
			l2[42] = used ? check_char(l2 + 28, 14) : '<';
			l2[43] = (char)('0' + composite_digit(fmt, l1, l2));
		} else if (fmt == RCMS_MRZ_TD2) {
			l2[35] = (char)('0' + composite_digit(fmt, l1, l2));
		}
	}

	for (i = 0; i < fi->lines; i++) {
		if (i > 0)
			out[o++] = '\n';
		memcpy(out + o, l[i], (size_t)fi->width);
		o += (size_t)fi->width;
	}
	out[o] = '\0';
	return RCMS_OK;
}

/* ---- rendering -------------------------------------------------------- */

/* Text into a caller's buffer; len counts what did not fit too. */
struct sbuf {
	char *buf;
	size_t size, len;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + 1 < b->size) {
		size_t room = b->size - 1 - b->len;
		size_t k = n < room ? n : room;

		memcpy(b->buf + b->len, s, k);
		b->buf[b->len + k] = '\0';
	}
	b->len += n;
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

ATTR_PRINTF(2, 3)
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_putn(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static enum rcms_status sb_finish(struct sbuf *b, size_t *needed)
{
	if (needed)
		*needed = b->len;
	return b->len < b->size ? RCMS_OK : RCMS_ERR_INVALID;
}

static void sb_verdict(struct sbuf *b, const struct rcms_mrz *m)
{
	if (m->nerrors == 0)
		sb_puts(b, "valid");
	else
		sb_printf(b, "invalid: %d error%s", m->nerrors,
			  m->nerrors == 1 ? "" : "s");
	if (m->nwarnings)
		sb_printf(b, ", %d warning%s", m->nwarnings,
			  m->nwarnings == 1 ? "" : "s");
}

enum rcms_status rcms_mrz_render_table(const struct rcms_mrz *m, char *buf,
				       size_t size, size_t *needed)
{
	struct sbuf b = {buf, size, 0};
	int i, shown;

	if (needed)
		*needed = 0;
	if (!buf || size == 0)
		return RCMS_ERR_INVALID;
	buf[0] = '\0';
	if (!m)
		return RCMS_ERR_INVALID;
	if (m->format > RCMS_MRZ_UNKNOWN && m->format < RCMS_MRZ_FORMAT__COUNT)
		sb_printf(&b, "MRZ %s (%s): ", formats[m->format].name,
			  formats[m->format].what);
	else
		sb_puts(&b, "MRZ: ");
	sb_verdict(&b, m);
	sb_puts(&b, "\n");
	for (i = 0; i < m->nlines && i < 3; i++)
		sb_printf(&b, "  %s\n", m->line[i]);

	shown = 0;
	for (i = 0; i < RCMS_MRZ_F__COUNT; i++) {
		const struct rcms_mrz_field *f = &m->field[i];
		const char *v;
		char where[16];

		if (!f->present)
			continue;
		if (!shown++)
			sb_printf(&b, "\n%-18s %-6s %-40s %s\n", "field",
				  "where", "value", "status");
		snprintf(where, sizeof where, "%d:%d", f->line, f->col);
		v = f->value[0] ? f->value
			: (f->raw[0] && !all_fillers(f->raw)) ? f->raw : "-";
		sb_printf(&b, "%-18s %-6s %-40s %s\n",
			  field_info[i].short_label, where, v,
			  !f->valid ? "ERROR" : f->warned ? "warning" : "ok");
	}
	for (shown = 0, i = 0; i < m->nissues; i++) {
		if (m->issue[i].severity != RCMS_MRZ_ERROR)
			continue;
		if (!shown++)
			sb_puts(&b, "\nerrors:\n");
		sb_printf(&b, "  %s\n", m->issue[i].msg);
	}
	for (shown = 0, i = 0; i < m->nissues; i++) {
		if (m->issue[i].severity != RCMS_MRZ_WARNING)
			continue;
		if (!shown++)
			sb_puts(&b, "\nwarnings:\n");
		sb_printf(&b, "  %s\n", m->issue[i].msg);
	}
	if (m->nissues < m->nerrors + m->nwarnings)
		sb_printf(&b, "  (%d more not shown)\n",
			  m->nerrors + m->nwarnings - m->nissues);
	for (i = 0; i < m->nsuggestions && i < RCMS_MRZ_MAX_SUGGESTIONS; i++) {
		const struct rcms_mrz_suggestion *s = &m->suggestion[i];

		if (i == 0)
			sb_puts(&b, "\nsuggestions (not applied):\n");
		sb_printf(&b, "  line %d, column %d: %c instead of %c in the %s "
			  "makes the MRZ valid:\n    %s\n", s->line, s->col,
			  s->to, s->from, rcms_mrz_field_label(s->field),
			  s->corrected);
	}
	return sb_finish(&b, needed);
}

/* A JSON string; invalid UTF-8 becomes U+FFFD. */
static void sb_json_str(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s), i = 0, len;
	uint32_t cp;

	sb_putn(b, "\"", 1);
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		size_t run = i;

		/* plain ASCII goes out in one piece */
		while (run < n && (unsigned char)s[run] >= 0x20 &&
		       (unsigned char)s[run] < 0x7F && s[run] != '"' &&
		       s[run] != '\\')
			run++;
		if (run > i) {
			sb_putn(b, s + i, run - i);
			i = run;
			continue;
		}
		if (ch == '"' || ch == '\\') {
			char e[2] = {'\\', (char)ch};

			sb_putn(b, e, 2);
			i++;
		} else if (ch == '\n') {
			sb_putn(b, "\\n", 2);
			i++;
		} else if (ch == '\t') {
			sb_putn(b, "\\t", 2);
			i++;
		} else if (ch == '\r') {
			sb_putn(b, "\\r", 2);
			i++;
		} else if (ch < 0x20 || ch == 0x7F) {
			char e[6] = {'\\', 'u', '0', '0', hex[ch >> 4],
				     hex[ch & 15]};

			sb_putn(b, e, 6);
			i++;
		} else {
			len = utf8_seq((const unsigned char *)s + i, n - i, &cp);
			if (len) {
				sb_putn(b, s + i, len);
				i += len;
			} else {
				sb_putn(b, "\\ufffd", 6);
				i++;
			}
		}
	}
	sb_putn(b, "\"", 1);
}

static void sb_json_pdate(struct sbuf *b, const char *key,
			  const struct rcms_pdate *d)
{
	sb_printf(b, ",\"%s\":", key);
	if (d->year == 0)
		sb_puts(b, "null");
	else
		sb_printf(b, "{\"year\":%d,\"month\":%d,\"day\":%d}", d->year,
			  d->month, d->day);
}

enum rcms_status rcms_mrz_render_json(const struct rcms_mrz *m, char *buf,
				      size_t size, size_t *needed)
{
	struct sbuf b = {buf, size, 0};
	int i, n;
	char one[2] = {0, 0};

	if (needed)
		*needed = 0;
	if (!buf || size == 0)
		return RCMS_ERR_INVALID;
	buf[0] = '\0';
	if (!m)
		return RCMS_ERR_INVALID;
	sb_puts(&b, "{\"format\":");
	sb_json_str(&b, rcms_mrz_format_name(m->format));
	sb_printf(&b, ",\"valid\":%s,\"errors\":%d,\"warnings\":%d",
		  m->nerrors ? "false" : "true", m->nerrors, m->nwarnings);
	sb_puts(&b, ",\"lines\":[");
	for (i = 0; i < m->nlines && i < 3; i++) {
		if (i)
			sb_puts(&b, ",");
		sb_json_str(&b, m->line[i]);
	}
	sb_puts(&b, "],\"fields\":{");
	for (n = 0, i = 0; i < RCMS_MRZ_F__COUNT; i++) {
		const struct rcms_mrz_field *f = &m->field[i];

		if (!f->present)
			continue;
		if (n++)
			sb_puts(&b, ",");
		sb_printf(&b, "\"%s\":{\"line\":%d,\"column\":%d,"
			  "\"length\":%d,\"raw\":", field_info[i].name,
			  f->line, f->col, f->len);
		sb_json_str(&b, f->raw);
		sb_puts(&b, ",\"value\":");
		sb_json_str(&b, f->value);
		sb_printf(&b, ",\"valid\":%s,\"warning\":%s}",
			  f->valid ? "true" : "false",
			  f->warned ? "true" : "false");
	}
	sb_puts(&b, "}");
	if (m->format != RCMS_MRZ_UNKNOWN) {
		sb_puts(&b, ",\"sex\":");
		sb_json_str(&b, m->sex == RCMS_SEX_M ? "M"
			    : m->sex == RCMS_SEX_F ? "F"
			    : m->sex == RCMS_SEX_X ? "X" : "");
		sb_json_pdate(&b, "birth_date", &m->birth_date);
		sb_json_pdate(&b, "expiry_date", &m->expiry_date);
	}
	sb_printf(&b, ",\"long_document_number\":%s",
		  m->long_document_number ? "true" : "false");
	sb_puts(&b, ",\"issues\":[");
	for (i = 0; i < m->nissues && i < RCMS_MRZ_MAX_ISSUES; i++) {
		const struct rcms_mrz_issue *is = &m->issue[i];

		if (i)
			sb_puts(&b, ",");
		sb_printf(&b, "{\"severity\":\"%s\",\"field\":",
			  is->severity == RCMS_MRZ_ERROR ? "error" : "warning");
		if (is->field < RCMS_MRZ_F__COUNT)
			sb_json_str(&b, field_info[is->field].name);
		else
			sb_puts(&b, "null");
		sb_printf(&b, ",\"line\":%d,\"column\":%d,\"message\":",
			  is->line, is->col);
		sb_json_str(&b, is->msg);
		sb_puts(&b, "}");
	}
	sb_puts(&b, "],\"suggestions\":[");
	for (i = 0; i < m->nsuggestions && i < RCMS_MRZ_MAX_SUGGESTIONS; i++) {
		const struct rcms_mrz_suggestion *s = &m->suggestion[i];

		if (i)
			sb_puts(&b, ",");
		sb_printf(&b, "{\"line\":%d,\"column\":%d,\"from\":", s->line,
			  s->col);
		one[0] = s->from;
		sb_json_str(&b, one);
		sb_puts(&b, ",\"to\":");
		one[0] = s->to;
		sb_json_str(&b, one);
		sb_puts(&b, ",\"field\":");
		sb_json_str(&b, rcms_mrz_field_name(s->field));
		sb_puts(&b, ",\"corrected_line\":");
		sb_json_str(&b, s->corrected);
		sb_puts(&b, "}");
	}
	sb_puts(&b, "]}");
	return sb_finish(&b, needed);
}
