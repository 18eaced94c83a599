/*
 * gen.c - the benchmark's data generator: a fresh replica holding N
 * realistic readmission cases of a Serbian border police workstation
 * (RS-MUP, W01), written through the real use cases.
 *
 *   gen --db PATH --data DIR --cases N [--seed S] [--batch B]
 *       [--moved PERMILLE] [--open-days D] [--cache-mib M]
 *       [--password-file F] [--quiet]
 *
 * Every case is made by db_case_create (validation, outbox operation,
 * audit entry, documents) and moved on by db_case_transition, inside
 * db_batch_begin/db_batch_commit batches of B use cases.  A discrete-event
 * clock runs from 2024-01-01 to 2026-11-20: cases are opened in time order
 * and each case's next step waits in a priority queue until its time, so
 * every use case sees a later "now" than the one before (created_at,
 * updated_at, the audit log and the outbox all advance together).
 *
 * The steps of the requested agency (extend, accept, reject, issue) are
 * taken by a user of that agency, as db_case_side allows.  The exchange's
 * two steps, the receipt of an application (received_at, which starts the
 * reply clock) and deemed acceptance, have no workstation use case: the
 * exchange does them and a pull brings them in.  Until sync exists the
 * generator writes them as a pull would, with the deadline code of
 * app/deadline.h (see exchange_receive, exchange_deem).
 *
 * Deterministic for a seed: one xoshiro256** stream, seeded by splitmix64,
 * drives every choice (UUIDs still come from the kernel, as in use).
 *
 * Prints, on stdout, exactly:
 *   gen_cases N
 *   gen_seconds S
 *   gen_cases_per_s R
 * and progress and a status count on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "app/app.h"
#include "app/translit.h"
#include "db/db.h"

#include "bench/names.h"

#define DEFAULT_PASSWORD "bench-password-2026"
#define DEFAULT_BATCH 20000
#define DEFAULT_CACHE_MIB 512
/* The share of cases (per mille) that take steps after their creation;
 * the rest stay drafts.  Every step is a full use case (about 7 a case
 * that goes all the way), so this is what the generator's time depends
 * on: see BENCHMARKS.md. */
#define DEFAULT_MOVED_PM 100
#define MAX_ACTIONS 12
#define MAX_DOCS 3

/* ---- random numbers ---------------------------------------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* 0 .. n-1 (n > 0); the bias of a 64-bit modulo is negligible here. */
static uint64_t rnd(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

/* lo .. hi inclusive */
static int64_t rnd_range(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)rnd(r, (uint64_t)(hi - lo + 1));
}

/* true with probability pm per mille */
static bool chance(struct rng *r, int pm)
{
	return (int)rnd(r, 1000) < pm;
}

#define PICK(r, arr) ((arr)[rnd((r), sizeof(arr) / sizeof((arr)[0]))])

/* Pick from a NULL-terminated list. */
static const char *pick_list(struct rng *r, const char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return n ? list[rnd(r, n)] : "";
}

/* ---- the world: states, agencies, groups of people --------------------- */

#define DAY INT64_C(86400)
#define HOUR INT64_C(3600)
#define MINUTE INT64_C(60)

/* The states whose agencies are asked, each also a nationality. */
enum gen_state { S_AL, S_BA, S_ME, S_MK, S_PK, S_AF, S_BD, S_MA, S__COUNT };

struct gen_state_info {
	const char *agency;          /* the requested agency */
	const char *alpha3;
	const char *name;
	bool origin;                 /* a country of origin (not the Balkans) */
	bool neighbour;              /* borders Serbia: accelerated procedure */
	const char *passport_authority;
	const char *id_authority;
	const char *crossing;        /* where a transfer goes */
	const char *reception;       /* where third-country nationals stayed */
	const char *via;             /* the itinerary's leg through it */
	const char *border[7];       /* Serbian places near its border */
	const char *cities[9];       /* its towns, for the last residence */
};

static const struct gen_state_info states[S__COUNT] = {
	[S_AL] = {"AL-MOI", "ALB", "Albania", false, false,
		  "Ministry of Interior, General Directorate of Civil Status",
		  "Ministry of Interior, General Directorate of Civil Status",
		  "Belgrade Nikola Tesla Airport (BEG), flight to Tirana",
		  "Babrru reception centre, Tirana",
		  "Tirana (AL) – Shkodër (AL) – Podgorica (ME) – Rožaje (ME)",
		  {"Belgrade, Nikola Tesla Airport", "Novi Pazar", "Tutin",
		   "Belgrade, Lasta bus station", NULL},
		  {"Tirana", "Durrës", "Shkodër", "Elbasan", "Vlorë", "Korçë",
		   "Fier", "Kukës", NULL}},
	[S_BA] = {"BA-MS", "BIH", "Bosnia and Herzegovina", false, true,
		  "Agency for Identification Documents (IDDEEA)",
		  "Agency for Identification Documents (IDDEEA)",
		  "Mali Zvornik – Karakaj border crossing",
		  "Temporary reception centre Lipa, Bihać",
		  "Sarajevo (BA) – Zvornik (BA)",
		  {"Mali Zvornik", "Loznica", "Sremska Rača", "Bajina Bašta",
		   "Ljubovija", "Badovinci", NULL},
		  {"Sarajevo", "Tuzla", "Zenica", "Bihać", "Banja Luka",
		   "Bijeljina", "Mostar", "Zvornik", NULL}},
	[S_ME] = {"ME-MUP", "MNE", "Montenegro", false, true,
		  "Ministry of Interior of Montenegro",
		  "Ministry of Interior of Montenegro",
		  "Dobrakovo border crossing",
		  "Asylum centre Spuž, Danilovgrad",
		  "Podgorica (ME) – Rožaje (ME)",
		  {"Priboj", "Prijepolje", "Sjenica", "Tutin", "Novi Pazar",
		   NULL},
		  {"Podgorica", "Nikšić", "Bar", "Bijelo Polje", "Pljevlja",
		   "Berane", "Rožaje", "Herceg Novi", NULL}},
	[S_MK] = {"MK-MVR", "MKD", "North Macedonia", false, true,
		  "Ministry of Internal Affairs, Skopje",
		  "Ministry of Internal Affairs, Skopje",
		  "Preševo – Tabanovce border crossing",
		  "Vinojug transit centre, Gevgelija",
		  "Thessaloniki (GR) – Gevgelija (MK) – Kumanovo (MK) – Lojane (MK)",
		  {"Preševo", "Miratovac", "Bujanovac", "Trgovište", "Vranje",
		   NULL},
		  {"Skopje", "Kumanovo", "Tetovo", "Bitola", "Gostivar",
		   "Prilep", "Štip", "Ohrid", NULL}},
	[S_PK] = {"PK-MOI", "PAK", "Pakistan", true, false,
		  "Directorate General of Immigration and Passports",
		  "National Database and Registration Authority (NADRA)",
		  "Belgrade Nikola Tesla Airport (BEG), flight to Islamabad",
		  NULL, NULL, {NULL}, {NULL}},
	[S_AF] = {"AF-MOI", "AFG", "Afghanistan", true, false,
		  "Ministry of Interior Affairs, General Directorate of Passports",
		  "National Statistics and Information Authority (NSIA)",
		  "Belgrade Nikola Tesla Airport (BEG), flight to Kabul",
		  NULL, NULL, {NULL}, {NULL}},
	[S_BD] = {"BD-MOHA", "BGD", "Bangladesh", true, false,
		  "Department of Immigration and Passports",
		  "Election Commission, National Identity Registration Wing",
		  "Belgrade Nikola Tesla Airport (BEG), flight to Dhaka",
		  NULL, NULL, {NULL}, {NULL}},
	[S_MA] = {"MA-DGSN", "MAR", "Morocco", true, false,
		  "Direction Générale de la Sûreté Nationale",
		  "Direction Générale de la Sûreté Nationale",
		  "Belgrade Nikola Tesla Airport (BEG), flight to Casablanca",
		  NULL, NULL, {NULL}, {NULL}},
};

/* Serbian places far from those borders. */
static const char *const inland_places[] = {
	"Belgrade, Nikola Tesla Airport", "Subotica", "Horgoš", "Kelebija",
	"Šid", "Sombor", "Kikinda", "Belgrade, main bus station", "Niš",
	"Dimitrovgrad", "Zaječar", "Obrenovac, asylum centre", NULL};

enum gen_group {
	G_SERBIAN, G_ALBANIAN, G_BOSNIAN, G_MACEDONIAN, G_MONTENEGRIN,
	G_AFGHAN, G_PAKISTANI, G_BANGLADESHI, G_MOROCCAN, G__COUNT
};

struct gen_origin {
	enum gen_state state;        /* nationality */
	int pm;                      /* share of the group */
	const char *birth_country;   /* alpha-3; NULL: the nationality's */
	const char *places[9];       /* birth places */
};

struct gen_group_info {
	int pm;                      /* share of all cases, per mille */
	int male_pm;
	int year_only_pm, year_month_pm;   /* partial birth dates */
	bool feminine_surnames;      /* Macedonian -ski/-ska */
	const char *languages[4];      /* NULL-terminated */
	struct gen_origin origin[2];
};

/* Partial dates: ~15 % year only and ~10 % year-month over all cases. */
static const struct gen_group_info groups[G__COUNT] = {
	[G_SERBIAN] = {60, 620, 40, 30, false,
		       {"Serbian", "Serbian; English", NULL},
		       {{S_BA, 700, NULL, {"Banja Luka", "Bijeljina", "Trebinje",
					   "Doboj", "Prijedor", "Zvornik",
					   "Foča", NULL}},
			{S_ME, 300, NULL, {"Pljevlja", "Nikšić", "Herceg Novi",
					   "Berane", "Andrijevica", NULL}}}},
	[G_ALBANIAN] = {100, 640, 40, 30, false,
			{"Albanian", "Albanian; Italian", "Albanian; Greek"},
			{{S_AL, 850, NULL, {"Tirana", "Durrës", "Shkodër",
					    "Elbasan", "Vlorë", "Korçë", "Fier",
					    "Berat", NULL}},
			 {S_MK, 150, NULL, {"Tetovo", "Gostivar", "Struga",
					    "Kičevo", "Debar", NULL}}}},
	[G_BOSNIAN] = {80, 620, 40, 30, false,
		       {"Bosnian", "Bosnian; German", NULL},
		       {{S_BA, 850, NULL, {"Sarajevo", "Tuzla", "Zenica",
					   "Bihać", "Cazin", "Travnik",
					   "Velika Kladuša", "Srebrenica", NULL}},
			{S_ME, 150, NULL, {"Rožaje", "Plav", "Bijelo Polje",
					   "Gusinje", NULL}}}},
	[G_MACEDONIAN] = {100, 600, 40, 30, true,
			  {"Macedonian", "Macedonian; English", NULL},
			  {{S_MK, 1000, NULL, {"Skopje", "Bitola", "Kumanovo",
					       "Prilep", "Ohrid", "Veles",
					       "Štip", "Strumica", NULL}},
			   {S_MK, 0, NULL, {NULL}}}},
	[G_MONTENEGRIN] = {80, 600, 40, 30, false,
			   {"Montenegrin", "Montenegrin; Serbian", NULL},
			   {{S_ME, 1000, NULL, {"Podgorica", "Nikšić", "Cetinje",
						"Bar", "Budva", "Kotor",
						"Bijelo Polje", NULL}},
			    {S_ME, 0, NULL, {NULL}}}},
	[G_AFGHAN] = {200, 880, 240, 150, false,
		      {"Dari; Pashto", "Pashto", "Dari"},
		      {{S_AF, 850, NULL, {"Kabul", "Herat", "Kandahar",
					  "Mazar-i-Sharif", "Jalalabad",
					  "Kunduz", "Ghazni", "Baghlan", NULL}},
		       {S_AF, 150, "IRN", {"Mashhad", "Tehran", "Isfahan",
					   "Shiraz", "Qom", NULL}}}},
	[G_PAKISTANI] = {180, 950, 210, 130, false,
			 {"Urdu; Punjabi", "Urdu; Pashto", "Urdu; English"},
			 {{S_PK, 1000, NULL, {"Gujrat", "Gujranwala", "Sialkot",
					      "Mandi Bahauddin", "Lahore",
					      "Faisalabad", "Jhelum", "Peshawar",
					      NULL}},
			  {S_PK, 0, NULL, {NULL}}}},
	[G_BANGLADESHI] = {100, 950, 200, 130, false,
			   {"Bengali", "Bengali; English", "Bengali; Sylheti"},
			   {{S_BD, 1000, NULL, {"Dhaka", "Sylhet", "Chattogram",
						"Cumilla", "Noakhali", "Khulna",
						"Sunamganj", "Moulvibazar", NULL}},
			    {S_BD, 0, NULL, {NULL}}}},
	[G_MOROCCAN] = {100, 900, 180, 120, false,
			{"Arabic (Darija); French", "Tarifit; Arabic",
			 "Arabic; Spanish"},
			{{S_MA, 1000, NULL, {"Casablanca", "Tangier", "Fès",
					     "Oujda", "Nador", "Béni Mellal",
					     "Khouribga", "Al Hoceima", NULL}},
			 {S_MA, 0, NULL, {NULL}}}},
};

/* ---- agreements and holidays -------------------------------------------- */

enum { AGR_WB, AGR_PK, AGR_AF, AGR_BD, AGR__COUNT };

#define PERIOD(n, u) {(n), RCMS_PERIOD_##u}

static const struct rcms_agreement agreements[AGR__COUNT] = {
	[AGR_WB] = {
		.code = "EU-WB-2007",
		.name = "EU–Western Balkans readmission agreements (2007 model)",
		.countries = "AL BA ME MK RS",
		.reply = PERIOD(10, CALENDAR_DAYS),
		.reply_accelerated = PERIOD(2, WORKING_DAYS),
		.extension_max_days = 6,
		.silence_accepts = true,
		.transfer = PERIOD(3, MONTHS),
		.transit_reply = PERIOD(5, CALENDAR_DAYS),
		.transit = PERIOD(30, CALENDAR_DAYS),
		.source = "Agreements of 2007 with AL, BA, ME, MK, RS, Art. 10",
		.note = "benchmark data"},
	[AGR_PK] = {
		.code = "EU-PK-2010",
		.name = "EU–Pakistan readmission agreement",
		.countries = "PK",
		.reply = PERIOD(30, CALENDAR_DAYS),
		.reply_accelerated = PERIOD(0, NONE),
		.extension_max_days = 0,
		.silence_accepts = true,
		.transfer = PERIOD(3, MONTHS),
		.transit_reply = PERIOD(0, NONE),
		.transit = PERIOD(0, NONE),
		.source = "reported figures",
		.note = "benchmark data; check against the agreement's text"},
	[AGR_AF] = {
		.code = "EU-AF-JWF-2016",
		.name = "EU–Afghanistan Joint Way Forward (non-binding)",
		.countries = "AF",
		.reply = PERIOD(30, CALENDAR_DAYS),
		.reply_accelerated = PERIOD(0, NONE),
		.extension_max_days = 0,
		.silence_accepts = false,
		.transfer = PERIOD(0, NONE),
		.transit_reply = PERIOD(0, NONE),
		.transit = PERIOD(0, NONE),
		.source = "non-binding arrangement",
		.note = "benchmark data; no deemed acceptance"},
	[AGR_BD] = {
		.code = "EU-BD-SOP-2017",
		.name = "EU–Bangladesh standard operating procedures "
			"(non-binding)",
		.countries = "BD",
		.reply = PERIOD(30, CALENDAR_DAYS),
		.reply_accelerated = PERIOD(0, NONE),
		.extension_max_days = 0,
		.silence_accepts = false,
		.transfer = PERIOD(0, NONE),
		.transit_reply = PERIOD(0, NONE),
		.transit = PERIOD(0, NONE),
		.source = "non-binding arrangement",
		.note = "benchmark data; no deemed acceptance"},
};

/* The agreement of a requested state, or -1 (Morocco has none). */
static int agreement_of(enum gen_state s)
{
	switch (s) {
	case S_AL: case S_BA: case S_ME: case S_MK: return AGR_WB;
	case S_PK: return AGR_PK;
	case S_AF: return AGR_AF;
	case S_BD: return AGR_BD;
	default: return -1;
	}
}

/*
 * A sample of public holidays (fixed dates, and Orthodox Easter where it
 * moves the working days of Serbia's neighbours), 2024-2026.
 */
static const struct {
	const char *country;
	const char *dates;   /* MM-DD, every year */
} fixed_holidays[] = {
	{"RS", "01-01 01-02 01-07 02-15 02-16 05-01 05-02 11-11"},
	{"MK", "01-01 01-07 05-01 05-24 08-02 09-08 10-11 10-23 12-08"},
	{"ME", "01-01 01-02 01-06 01-07 01-08 05-01 05-02 05-21 05-22 07-13 "
	       "07-14"},
	{"BA", "01-01 01-02 05-01 05-02"},
	{"AL", "01-01 01-02 03-14 03-22 05-01 11-28 11-29 12-08 12-25"},
};
static const struct {
	const char *country;
	const char *dates;   /* YYYY-MM-DD */
} moving_holidays[] = {
	{"RS", "2024-05-03 2024-05-06 2025-04-18 2025-04-21 2026-04-10 "
	       "2026-04-13"},
	{"ME", "2024-05-03 2024-05-06 2025-04-18 2025-04-21 2026-04-10 "
	       "2026-04-13"},
	{"MK", "2024-05-06 2025-04-21 2026-04-13 2024-04-10 2025-03-30 "
	       "2026-03-20"},
};

#define MAX_HOLIDAYS 256

static size_t build_holidays(struct rcms_holiday *h, size_t max)
{
	size_t n = 0, i;
	int y;

	for (i = 0; i < sizeof(fixed_holidays) / sizeof(fixed_holidays[0]);
	     i++) {
		for (y = 2024; y <= 2026; y++) {
			const char *p = fixed_holidays[i].dates;
			int m, d, used;
			while (sscanf(p, "%d-%d%n", &m, &d, &used) == 2 &&
			       n < max) {
				memcpy(h[n].country, fixed_holidays[i].country,
				       3);
				h[n].year = y;
				h[n].month = m;
				h[n].day = d;
				n++;
				p += used;
			}
		}
	}
	for (i = 0; i < sizeof(moving_holidays) / sizeof(moving_holidays[0]);
	     i++) {
		const char *p = moving_holidays[i].dates;
		int m, d, used;
		while (sscanf(p, "%d-%d-%d%n", &y, &m, &d, &used) == 3 &&
		       n < max) {
			memcpy(h[n].country, moving_holidays[i].country, 3);
			h[n].year = y;
			h[n].month = m;
			h[n].day = d;
			n++;
			p += used;
		}
	}
	return n;
}

/* ---- ICAO 9303 check digits and the TD3 zone ------------------------------ */

static int mrz_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	return 0;   /* '<' */
}

static char check_digit(const char *s, size_t n)
{
	static const int weight[3] = {7, 3, 1};
	int sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += mrz_value(s[i]) * weight[i % 3];
	return (char)('0' + sum % 10);
}

/* Known good vectors of Doc 9303. */
static bool check_digit_selftest(void)
{
	return check_digit("L898902C3", 9) == '6' &&
	       check_digit("740812", 6) == '2' &&
	       check_digit("120415", 6) == '9' &&
	       check_digit("520727", 6) == '3';
}

/* Copy MRZ characters of s into out[0..n), filled with '<'. */
static void mrz_field(char *out, size_t n, const char *s)
{
	size_t i = 0;

	for (; s && *s && i < n; s++) {
		char ch = *s;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '<')
			out[i++] = ch;
	}
	for (; i < n; i++)
		out[i] = '<';
}

/* YYMMDD with '<' for the unknown parts of a partial date. */
static void mrz_date(char out[6], const struct rcms_pdate *d)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "%02d", d->year % 100);
	out[0] = buf[0];
	out[1] = buf[1];
	if (d->month) {
		snprintf(buf, sizeof(buf), "%02d", d->month);
		out[2] = buf[0];
		out[3] = buf[1];
	} else {
		out[2] = out[3] = '<';
	}
	if (d->day) {
		snprintf(buf, sizeof(buf), "%02d", d->day);
		out[4] = buf[0];
		out[5] = buf[1];
	} else {
		out[4] = out[5] = '<';
	}
}

/*
 * The TD3 zone of a passport: two lines of 44, '\n' between them.  Names
 * go through the project's Doc 9303 Part 3 transliteration; a name longer
 * than the field is cut at its end.  personal may be "".
 */
static int mrz_td3(char *out, size_t size, const struct rcms_person *p,
		   const struct rcms_document *d, const char *personal)
{
	char l1[45], l2[45], sur[2 * RCMS_NAME_LEN + 1],
		giv[2 * RCMS_NAME_LEN + 1], name[2 * RCMS_NAME_LEN * 2 + 4];

	if (rcms_translit_mrz(p->surnames, sur, sizeof(sur)) != RCMS_OK ||
	    rcms_translit_mrz(p->given_names, giv, sizeof(giv)) != RCMS_OK)
		return -1;
	snprintf(name, sizeof(name), "%s<<%s", sur, giv);
	l1[0] = 'P';
	l1[1] = '<';
	mrz_field(l1 + 2, 3, d->issuing_state);
	mrz_field(l1 + 5, 39, name);
	l1[44] = '\0';

	mrz_field(l2, 9, d->number);
	l2[9] = check_digit(l2, 9);
	mrz_field(l2 + 10, 3, p->nationality);
	mrz_date(l2 + 13, &p->birth_date);
	l2[19] = check_digit(l2 + 13, 6);
	l2[20] = p->sex == RCMS_SEX_M ? 'M' : p->sex == RCMS_SEX_F ? 'F' : '<';
	mrz_date(l2 + 21, &d->expiry_date);
	l2[27] = check_digit(l2 + 21, 6);
	mrz_field(l2 + 28, 14, personal);
	l2[42] = personal && *personal ? check_digit(l2 + 28, 14) : '<';
	{
		char comp[64];
		memcpy(comp, l2, 10);
		memcpy(comp + 10, l2 + 13, 7);
		memcpy(comp + 17, l2 + 21, 22);
		l2[43] = check_digit(comp, 39);
	}
	l2[44] = '\0';
	return snprintf(out, size, "%s\n%s", l1, l2) < (int)size ? 0 : -1;
}

/* ---- dates ------------------------------------------------------------------ */

static struct rcms_pdate pdate_of_days(int64_t days)
{
	struct rcms_pdate d;

	rcms_days_to_civil(days, &d.year, &d.month, &d.day);
	return d;
}

static struct rcms_pdate pdate_of_time(int64_t t)
{
	struct rcms_pdate d;

	rcms_utc_to_ymd(t, &d.year, &d.month, &d.day);
	return d;
}

static int64_t days_of(int64_t t)
{
	return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

/* The day before the same date n years later (a validity period). */
static struct rcms_pdate add_years_minus_day(struct rcms_pdate d, int n)
{
	int64_t days;

	d.year += n;
	if (d.month == 2 && d.day == 29 && !rcms_is_leap_year(d.year))
		d.day = 28;
	days = rcms_days_from_civil(d.year, d.month, d.day) - 1;
	return pdate_of_days(days);
}

/* ---- national numbers ------------------------------------------------------- */

static void digits(struct rng *r, char *out, int n)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = (char)('0' + rnd(r, 10));
	out[n] = '\0';
}

static void letters(struct rng *r, char *out, int n)
{
	static const char az[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
	int i;

	for (i = 0; i < n; i++)
		out[i] = az[rnd(r, sizeof(az) - 1)];
	out[n] = '\0';
}

/*
 * JMBG / EMBG of the former Yugoslavia: DDMMYYYRRBBBK, K by modulo 11.
 * Needs a full birth date; "" otherwise or when K would be 10.
 */
static void jmbg(struct rng *r, char out[14], const struct rcms_pdate *b,
		 int region_lo, int region_hi, bool male)
{
	static const int w[6] = {7, 6, 5, 4, 3, 2};
	int i, sum = 0, k;

	out[0] = '\0';
	if (!rcms_pdate_is_full(b))
		return;
	for (;;) {
		snprintf(out, 14, "%02d%02d%03d%02d%03d", b->day, b->month,
			 b->year % 1000,
			 (int)rnd_range(r, region_lo, region_hi),
			 (int)(male ? rnd(r, 500) : 500 + rnd(r, 500)));
		for (i = 0, sum = 0; i < 6; i++)
			sum += w[i] * ((out[i] - '0') + (out[i + 6] - '0'));
		k = 11 - sum % 11;
		if (k == 11)
			k = 0;
		if (k <= 9)
			break;
	}
	out[12] = (char)('0' + k);
	out[13] = '\0';
}

/* ---- users -------------------------------------------------------------- */

static const char *const officer_names[][2] = {
	{"officer", "Marko Jovanović"},
	{"n.ilic", "Nikola Ilić"},
	{"j.petrovic", "Jelena Petrović"},
	{"s.stojanovic", "Stefan Stojanović"},
};
static const char *const supervisor_names[][2] = {
	{"supervisor", "Dragana Nikolić"},
	{"m.lazic", "Milan Lazić"},
};
#define N_OFFICERS 4
#define N_SUPERVISORS 2

/* ---- the plan of a case ---------------------------------------------------- */

enum act {
	ACT_SUBMIT, ACT_RETURN, ACT_APPROVE, ACT_RECEIVE, ACT_EXTEND,
	ACT_ACCEPT, ACT_REJECT, ACT_DEEM, ACT_ISSUE, ACT_SCHEDULE,
	ACT_TRANSFER, ACT_CLOSE, ACT_CLOSE_SUP, ACT_WITHDRAW,
	ACT_WITHDRAW_SENT, ACT__COUNT
};

/* What the generator remembers of a case between its steps. */
struct gcase {
	char ref[RCMS_REF_LEN];
	int64_t received_at;
	int64_t reply_due;
	uint8_t act[MAX_ACTIONS];
	uint8_t nact, next;
	int32_t transfer_day;        /* the day scheduled, days since 1970 */
	uint8_t officer, state, procedure, ext_days;
};

struct event {
	int64_t t;
	uint32_t idx;
};

struct heap {
	struct event *ev;
	size_t n, cap;
};

static bool ev_less(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->idx < b->idx);
}

static int heap_push(struct heap *h, int64_t t, uint32_t idx)
{
	size_t i;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 4096;
		struct event *ev = realloc(h->ev, cap * sizeof(*ev));
		if (!ev)
			return -1;
		h->ev = ev;
		h->cap = cap;
	}
	i = h->n++;
	h->ev[i].t = t;
	h->ev[i].idx = idx;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		struct event tmp;
		if (!ev_less(&h->ev[i], &h->ev[parent]))
			break;
		tmp = h->ev[i];
		h->ev[i] = h->ev[parent];
		h->ev[parent] = tmp;
		i = parent;
	}
	return 0;
}

static struct event heap_pop(struct heap *h)
{
	struct event top = h->ev[0];
	size_t i = 0;

	h->ev[0] = h->ev[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct event tmp;
		if (l < h->n && ev_less(&h->ev[l], &h->ev[m]))
			m = l;
		if (r < h->n && ev_less(&h->ev[r], &h->ev[m]))
			m = r;
		if (m == i)
			break;
		tmp = h->ev[i];
		h->ev[i] = h->ev[m];
		h->ev[m] = tmp;
		i = m;
	}
	return top;
}

/* ---- the generator ------------------------------------------------------- */

struct gen {
	struct rcms_db *db;
	struct rng rng;
	struct rcms_err err;
	struct db_user officers[N_OFFICERS];
	struct db_user supervisors[N_SUPERVISORS];
	struct db_user remote[S__COUNT];     /* a user of each requested agency */
	struct rcms_holiday holidays[MAX_HOLIDAYS];
	size_t nholidays;
	struct gcase *cases;
	size_t ncases;
	struct heap heap;
	struct rcms_case *c;                 /* scratch */
	sqlite3_stmt *receive_stmt, *deem_stmt;
	int64_t t_start, t_end;
	int64_t t_open;                      /* the first case is opened */
	long long batch, in_batch;
	long long n_use_cases, n_steps;     /* creates + steps; steps */
	long long n_exchange;                /* receipts and deemings */
	bool quiet;
	long long cache_mib;                 /* 0: SQLite's default */
	long long moved_pm;                  /* cases that take steps */
	char cache_pragma[64];
};

static int fail(struct gen *g, const char *what)
{
	fprintf(stderr, "gen: %s: %s (%s)\n", what, rcms_err_msg(&g->err),
		rcms_status_name(g->err.status));
	return 1;
}

/* One write done (a use case or the exchange's): commit the batch when it
 * is full. */
static int batch_tick(struct gen *g)
{
	if (++g->in_batch < g->batch)
		return 0;
	if (db_batch_commit(g->db, &g->err) != RCMS_OK)
		return fail(g, "commit");
	g->in_batch = 0;
	if (db_batch_begin(g->db, &g->err) != RCMS_OK)
		return fail(g, "begin");
	return 0;
}

/* ---- making a person and a case --------------------------------------------- */

static enum gen_group pick_group(struct rng *r)
{
	int x = (int)rnd(r, 1000), i;

	for (i = 0; i < G__COUNT; i++) {
		if (x < groups[i].pm)
			return (enum gen_group)i;
		x -= groups[i].pm;
	}
	return G_AFGHAN;
}

/* Macedonian surnames are written in the masculine: -ски/-ski → -ска/-ska,
 * -ов/-ov → -ова/-ova, -ев/-ev → -ева/-eva, -ин/-in → -ина/-ina. */
static void feminine(char *s, size_t size, bool cyrillic)
{
	size_t n = strlen(s);

	if (cyrillic) {
		/* UTF-8: и is 0xD0 0xB8, а is 0xD0 0xB0 */
		if (n >= 2 && (unsigned char)s[n - 2] == 0xD0 &&
		    (unsigned char)s[n - 1] == 0xB8) {
			s[n - 1] = (char)0xB0;     /* -ски → -ска */
			return;
		}
		if (n + 2 < size) {
			s[n] = (char)0xD0;
			s[n + 1] = (char)0xB0;     /* -ов → -ова ... */
			s[n + 2] = '\0';
		}
		return;
	}
	if (n >= 1 && s[n - 1] == 'i') {
		s[n - 1] = 'a';
		return;
	}
	if (n + 1 < size) {
		s[n] = 'a';
		s[n + 1] = '\0';
	}
}

struct person_extra {
	enum gen_group group;
	enum gen_state nat;
	char personal[24];           /* the national number, "" none */
	bool minor;
};

static void make_person(struct gen *g, int64_t now, struct rcms_person *p,
			struct person_extra *x)
{
	struct rng *r = &g->rng;
	const struct gen_group_info *gi;
	const struct gen_pool *pool;
	const struct gen_origin *o;
	const struct gen_name *sur, *given, *given2 = NULL;
	char sur_lat[RCMS_NAME_LEN], sur_nat[RCMS_NAME_LEN];
	bool male, cyr;
	int64_t today = days_of(now), born;
	int age, k;

	x->group = pick_group(r);
	gi = &groups[x->group];
	pool = &gen_pools[x->group];
	o = &gi->origin[chance(r, gi->origin[0].pm) ? 0 : 1];
	x->nat = o->state;
	male = chance(r, gi->male_pm);
	p->sex = male ? RCMS_SEX_M : RCMS_SEX_F;

	sur = &pool->surnames[rnd(r, pool->nsurnames)];
	if (male) {
		given = &pool->male[rnd(r, pool->nmale)];
		if (states[x->nat].origin && chance(r, 200))
			given2 = &pool->male[rnd(r, pool->nmale)];
	} else {
		given = &pool->female[rnd(r, pool->nfemale)];
		if (states[x->nat].origin && chance(r, 120))
			given2 = &pool->female[rnd(r, pool->nfemale)];
	}
	if (given2 == given)
		given2 = NULL;
	snprintf(sur_lat, sizeof(sur_lat), "%s", sur->latin);
	snprintf(sur_nat, sizeof(sur_nat), "%s", sur->native);
	cyr = (unsigned char)sur->native[0] == 0xD0 ||
	      (unsigned char)sur->native[0] == 0xD1;
	if (!male && gi->feminine_surnames) {
		feminine(sur_lat, sizeof(sur_lat), false);
		feminine(sur_nat, sizeof(sur_nat), cyr);
	}
	snprintf(p->surnames, sizeof(p->surnames), "%s", sur_lat);
	if (given2) {
		snprintf(p->given_names, sizeof(p->given_names), "%s %s",
			 given->latin, given2->latin);
		snprintf(p->name_native, sizeof(p->name_native), "%.80s %.80s %.90s",
			 given->native, given2->native, sur_nat);
	} else {
		snprintf(p->given_names, sizeof(p->given_names), "%s",
			 given->latin);
		snprintf(p->name_native, sizeof(p->name_native), "%.120s %.120s",
			 given->native, sur_nat);
	}

	/* age at apprehension: mostly young adults; some minors */
	x->minor = states[x->nat].origin && chance(r, 45);
	if (x->minor)
		age = (int)rnd_range(r, 14, 17);
	else if (chance(r, 700))
		age = (int)rnd_range(r, 18, 34);
	else
		age = (int)rnd_range(r, 35, 64);
	born = today - (int64_t)age * 365 - rnd(r, 365) - 1;
	p->birth_date = pdate_of_days(born);
	k = (int)rnd(r, 1000);
	if (k < gi->year_only_pm) {
		p->birth_date.month = p->birth_date.day = 0;
	} else if (k < gi->year_only_pm + gi->year_month_pm) {
		p->birth_date.day = 0;
	} else if (x->nat == S_AF && chance(r, 150)) {
		p->birth_date.month = p->birth_date.day = 1;  /* tazkira style */
	}
	snprintf(p->birth_place, sizeof(p->birth_place), "%s",
		 pick_list(r, o->places));
	snprintf(p->birth_country, sizeof(p->birth_country), "%s",
		 o->birth_country ? o->birth_country : states[x->nat].alpha3);
	snprintf(p->nationality, sizeof(p->nationality), "%s",
		 states[x->nat].alpha3);
	if (x->nat == S_MK && x->group == G_ALBANIAN && chance(r, 100))
		snprintf(p->previous_nationality,
			 sizeof(p->previous_nationality), "ALB");
	snprintf(p->father_name, sizeof(p->father_name), "%s",
		 pool->male[rnd(r, pool->nmale)].latin);
	if (chance(r, 850))
		snprintf(p->mother_name, sizeof(p->mother_name), "%s",
			 pool->female[rnd(r, pool->nfemale)].latin);
	if (x->minor || age < 20)
		p->civil_status = RCMS_CIVIL_SINGLE;
	else {
		static const enum rcms_civil_status cs[] = {
			RCMS_CIVIL_SINGLE, RCMS_CIVIL_SINGLE, RCMS_CIVIL_SINGLE,
			RCMS_CIVIL_MARRIED, RCMS_CIVIL_MARRIED,
			RCMS_CIVIL_DIVORCED, RCMS_CIVIL_WIDOWED,
			RCMS_CIVIL_UNKNOWN};
		p->civil_status = PICK(r, cs);
	}
	if (!male && p->civil_status == RCMS_CIVIL_MARRIED &&
	    !states[x->nat].origin && chance(r, 300)) {
		const struct gen_name *maiden =
			&pool->surnames[rnd(r, pool->nsurnames)];
		snprintf(p->previous_names, sizeof(p->previous_names), "%s",
			 maiden->latin);
	}
	if (states[x->nat].origin && chance(r, 120)) {
		const struct gen_name *alias =
			male ? &pool->male[rnd(r, pool->nmale)]
			     : &pool->female[rnd(r, pool->nfemale)];
		snprintf(p->aliases, sizeof(p->aliases), "%.120s %.120s",
			 alias->latin, p->surnames);
	}
	snprintf(p->languages, sizeof(p->languages), "%s",
		 pick_list(r, gi->languages));
	{
		static const char *const build[] = {"slim", "medium build",
						    "stocky", "athletic"};
		static const char *const hair[] = {"black hair",
						   "dark brown hair",
						   "brown hair", "fair hair",
						   "grey hair", "shaved head"};
		static const char *const eyes[] = {"brown eyes",
						   "dark brown eyes",
						   "green eyes", "hazel eyes",
						   "blue eyes"};
		static const char *const marks[] = {
			"scar on the left forearm", "tattoo on the right hand",
			"scar above the right eyebrow", "missing upper incisor",
			"burn mark on the left hand"};
		int height = male ? (int)rnd_range(r, 160, 194)
				  : (int)rnd_range(r, 150, 180);
		if (x->minor)
			height -= (int)rnd(r, 15);
		snprintf(p->description, sizeof(p->description),
			 "about %d cm, %s, %s, %s", height, PICK(r, build),
			 PICK(r, hair), PICK(r, eyes));
		if (chance(r, 120)) {
			size_t n = strlen(p->description);
			snprintf(p->description + n,
				 sizeof(p->description) - n, "; %s",
				 PICK(r, marks));
		}
	}
	/* special needs, only with consent */
	if (x->minor && chance(r, 800)) {
		p->needs_consent = true;
		p->unaccompanied_minor = true;
		p->needs_escort = true;
		snprintf(p->special_needs, sizeof(p->special_needs),
			 "unaccompanied minor: hand over to the guardianship "
			 "authority of the requested state");
	} else if (!male && age < 42 && chance(r, 50)) {
		p->needs_consent = true;
		p->pregnant = true;
		snprintf(p->special_needs, sizeof(p->special_needs),
			 "pregnant (about %d weeks); medical escort",
			 (int)rnd_range(r, 8, 30));
	} else if (chance(r, 30)) {
		static const char *const med[] = {
			"insulin-dependent diabetes; carries medication",
			"needs a wheelchair", "epilepsy; needs medication",
			"recovering from a leg fracture; walks with crutches",
			"hepatitis B; under treatment"};
		p->needs_consent = true;
		p->needs_medical_care = true;
		snprintf(p->special_needs, sizeof(p->special_needs), "%s",
			 PICK(r, med));
	} else if (chance(r, 8)) {
		p->needs_consent = true;
		p->trafficking_victim = true;
		p->needs_escort = true;
		snprintf(p->special_needs, sizeof(p->special_needs),
			 "identified as a victim of trafficking; referred to "
			 "the Centre for Protection of Victims of Trafficking");
	}

	/* the personal number the documents carry */
	x->personal[0] = '\0';
	switch (x->nat) {
	case S_BA:
		jmbg(r, x->personal, &p->birth_date, 10, 19, male);
		break;
	case S_ME:
		jmbg(r, x->personal, &p->birth_date, 21, 29, male);
		break;
	case S_MK:
		jmbg(r, x->personal, &p->birth_date, 41, 49, male);
		break;
	case S_AL: {
		char d8[9], l1[2], l2[2];
		letters(r, l1, 1);
		digits(r, d8, 8);
		letters(r, l2, 1);
		snprintf(x->personal, sizeof(x->personal), "%s%s%s", l1, d8,
			 l2);
		break;
	}
	case S_PK:
		digits(r, x->personal, 13);
		break;
	default:
		break;
	}
}

enum gen_doc_kind { DK_NONE, DK_PASSPORT, DK_PASSPORT_COPY, DK_ID,
		    DK_ID_COPY, DK_BIRTH };

/* The document a person of nationality s mostly carries. */
static enum gen_doc_kind pick_doc(struct rng *r, enum gen_state s)
{
	int x = (int)rnd(r, 1000);

	switch (s) {
	case S_PK:
		return x < 450 ? DK_PASSPORT : x < 700 ? DK_ID
			: x < 850 ? DK_PASSPORT_COPY : DK_NONE;
	case S_AF:
		return x < 250 ? DK_PASSPORT : x < 600 ? DK_ID
			: x < 800 ? DK_ID_COPY : DK_NONE;
	case S_BD:
		return x < 450 ? DK_PASSPORT : x < 650 ? DK_BIRTH
			: x < 750 ? DK_ID : x < 850 ? DK_PASSPORT_COPY
			: DK_NONE;
	case S_MA:
		return x < 450 ? DK_PASSPORT : x < 700 ? DK_ID
			: x < 800 ? DK_PASSPORT_COPY : DK_NONE;
	default:
		return x < 650 ? DK_PASSPORT : x < 900 ? DK_ID
			: x < 970 ? DK_PASSPORT_COPY : DK_NONE;
	}
}

static void passport_number(struct rng *r, enum gen_state s, char *out,
			    size_t size)
{
	char a[4], d[10];

	switch (s) {
	case S_AL: case S_PK: case S_MA:
		letters(r, a, 2);
		digits(r, d, 7);
		break;
	case S_ME:
		a[0] = '\0';
		digits(r, d, 8);
		break;
	case S_AF:
		snprintf(a, sizeof(a), "P");
		digits(r, d, 8);
		break;
	case S_BD:
		if (chance(r, 500)) {
			snprintf(a, sizeof(a), "A");
			digits(r, d, 8);
		} else {
			snprintf(a, sizeof(a), "EB");
			digits(r, d, 7);
		}
		break;
	default:   /* BA, MK */
		letters(r, a, 1);
		digits(r, d, 7);
		break;
	}
	snprintf(out, size, "%s%s", a, d);
}

static void id_number(struct rng *r, enum gen_state s, char *out, size_t size,
		      const char *personal, enum rcms_doc_type *type)
{
	char a[4], d[20], e[8];

	*type = RCMS_DOC_ID_CARD;
	switch (s) {
	case S_PK:
		*type = RCMS_DOC_CNIC;
		snprintf(out, size, "%.5s-%.7s-%.1s", personal, personal + 5,
			 personal + 12);
		return;
	case S_AF:   /* e-tazkira */
		digits(r, d, 5);
		snprintf(out, size, "%d-%04d-%s",
			 (int)rnd_range(r, 1396, 1403),
			 (int)rnd_range(r, 101, 3412), d);
		return;
	case S_BD:   /* national identity card, 10 digits */
		digits(r, d, 10);
		snprintf(out, size, "%s", d);
		return;
	case S_MA:   /* CNIE */
		letters(r, a, chance(r, 500) ? 1 : 2);
		digits(r, d, 6);
		snprintf(out, size, "%s%s", a, d);
		return;
	case S_AL:
		snprintf(out, size, "%s", personal);
		return;
	case S_BA:   /* 9 characters, letters and digits */
		digits(r, d, 1);
		letters(r, a, 2);
		digits(r, e, 6);
		snprintf(out, size, "%s%c%s%c", d, a[0], e, a[1]);
		return;
	default:   /* ME, MK */
		letters(r, a, 1);
		digits(r, d, 7);
		snprintf(out, size, "%s%s", a, d);
		return;
	}
}

/* Issue and expiry dates of a document of n years' validity. */
static void doc_dates(struct rng *r, struct rcms_document *d,
		      const struct rcms_person *p, int64_t now, int years)
{
	int64_t today = days_of(now);
	int64_t born = rcms_pdate_to_days(&p->birth_date);
	int64_t lo = today - (int64_t)(years + 2) * 365;
	int64_t issued;

	if (born != RCMS_PDATE_NONE && lo < born + 366)
		lo = born + 366;
	if (lo > today - 30)
		lo = today - 30;
	issued = rnd_range(r, lo, today - 30);
	d->issue_date = pdate_of_days(issued);
	d->expiry_date = add_years_minus_day(d->issue_date, years);
}

/* The documents of a person; returns how many, and whether the best one
 * is proof of nationality (Annex 1) and a valid passport. */
static size_t make_documents(struct gen *g, int64_t now,
			     const struct rcms_person *p,
			     const struct person_extra *x,
			     struct rcms_document *docs, bool *proof,
			     bool *valid_passport)
{
	struct rng *r = &g->rng;
	const struct gen_state_info *si = &states[x->nat];
	enum gen_doc_kind k = pick_doc(r, x->nat);
	struct rcms_pdate today = pdate_of_time(now);
	size_t n = 0;

	*proof = false;
	*valid_passport = false;
	if (k == DK_PASSPORT || k == DK_PASSPORT_COPY) {
		struct rcms_document *d = &docs[n++];
		int years = x->minor ? 5 : (x->nat == S_PK || x->nat == S_AF)
						   ? 5 : 10;
		rcms_document_init(d);
		d->type = RCMS_DOC_PASSPORT;
		passport_number(r, x->nat, d->number, sizeof(d->number));
		snprintf(d->issuing_state, sizeof(d->issuing_state), "%s",
			 si->alpha3);
		snprintf(d->issuing_authority, sizeof(d->issuing_authority),
			 "%s", si->passport_authority);
		snprintf(d->issue_place, sizeof(d->issue_place), "%s",
			 p->birth_place);
		doc_dates(r, d, p, now, years);
		d->is_copy = k == DK_PASSPORT_COPY;
		if (mrz_td3(d->mrz, sizeof(d->mrz), p, d, x->personal) != 0)
			d->mrz[0] = '\0';
		if (rcms_pdate_cmp(&d->expiry_date, &today) >= 0 &&
		    !d->is_copy) {
			*proof = true;
			*valid_passport = true;
		}
	}
	if (k == DK_ID || k == DK_ID_COPY ||
	    (k == DK_PASSPORT && !si->origin && chance(r, 250))) {
		struct rcms_document *d = &docs[n++];
		char personal[24];
		rcms_document_init(d);
		snprintf(personal, sizeof(personal), "%s", x->personal);
		if (x->nat == S_PK && !personal[0])
			digits(r, personal, 13);
		id_number(r, x->nat, d->number, sizeof(d->number), personal,
			  &d->type);
		snprintf(d->issuing_state, sizeof(d->issuing_state), "%s",
			 si->alpha3);
		snprintf(d->issuing_authority, sizeof(d->issuing_authority),
			 "%s", si->id_authority);
		doc_dates(r, d, p, now, 10);
		d->is_copy = k == DK_ID_COPY;
		if (!d->is_copy && rcms_pdate_cmp(&d->expiry_date, &today) >= 0)
			*proof = true;
	}
	if (k == DK_BIRTH) {
		struct rcms_document *d = &docs[n++];
		rcms_document_init(d);
		d->type = RCMS_DOC_BIRTH_CERT;
		digits(r, d->number, 17);
		snprintf(d->issuing_state, sizeof(d->issuing_state), "%s",
			 si->alpha3);
		snprintf(d->issuing_authority, sizeof(d->issuing_authority),
			 "Office of the Registrar General, Birth and Death "
			 "Registration");
		snprintf(d->issue_place, sizeof(d->issue_place), "%s",
			 p->birth_place);
		{
			int64_t b = rcms_pdate_to_days(&p->birth_date);
			int64_t t = days_of(now);
			d->issue_date = pdate_of_days(
				rnd_range(&g->rng, b + 30 < t ? b + 30 : t - 1,
					  t - 1));
		}
		d->is_copy = chance(r, 400);
	}
	return n;
}

static const char *const reasons_return[] = {
	"Please add the mother's name and the place of birth.",
	"The scan of the passport is not legible; attach a better copy.",
	"The itinerary is incomplete: add the stop-overs and dates.",
	"Evidence basis does not match the documents attached.",
	"Check the transliteration of the name against the passport.",
};
static const char *const reasons_reject[] = {
	"Identity could not be confirmed in the national population register.",
	"The person is not a national of the requested state.",
	("The evidence submitted does not prove entry from the territory of "
	 "the requested state."),
	"The document presented is not authentic.",
	"The person holds a valid residence permit of a third state.",
};
static const char *const reasons_extend[] = {
	("Verification with the civil registry takes longer than the time "
	 "limit."),
	"An interview with a consular officer has been scheduled.",
	"The fingerprints are being checked against the national database.",
};
static const char *const reasons_withdraw[] = {
	"The person applied for asylum in Serbia.",
	"The person absconded from the reception centre.",
	"The person left voluntarily; departure confirmed at the border.",
};
static const char *const reasons_close[] = {
	"The person absconded before the transfer.",
	"The person was granted international protection.",
	"Transfer impossible: long-term hospital treatment.",
};

/* What the case should go through, decided when it is opened. */
static void make_plan(struct gen *g, struct gcase *gc, int agr,
		      bool valid_passport)
{
	struct rng *r = &g->rng;
	const struct rcms_agreement *a = agr >= 0 ? &agreements[agr] : NULL;
	int n = 0, x = (int)rnd(r, 1000);
	bool origin = states[gc->state].origin;

	if (!chance(r, g->moved_pm))
		goto done;

#define ADD(act_) (gc->act[n++] = (uint8_t)(act_))
	if (x < 40)
		goto done;                       /* an abandoned draft */
	if (x < 60) {
		ADD(ACT_WITHDRAW);
		goto done;
	}
	if (chance(r, 40)) {
		ADD(ACT_SUBMIT);
		ADD(ACT_RETURN);
	}
	ADD(ACT_SUBMIT);
	if (chance(r, 10)) {
		ADD(ACT_WITHDRAW);
		goto done;
	}
	ADD(ACT_APPROVE);
	ADD(ACT_RECEIVE);
	if (chance(r, 20)) {
		ADD(ACT_WITHDRAW_SENT);
		goto done;
	}
	if (a && a->silence_accepts && chance(r, 50)) {
		ADD(ACT_DEEM);
	} else {
		if (a && a->extension_max_days > 0 && chance(r, 70)) {
			gc->ext_days = (uint8_t)rnd_range(
				r, 2, a->extension_max_days);
			ADD(ACT_EXTEND);
		}
		if (chance(r, gc->state == S_MA ? 350 : origin ? 250 : 120)) {
			ADD(ACT_REJECT);
			if (chance(r, 800))
				ADD(ACT_CLOSE);
			goto done;
		}
		ADD(ACT_ACCEPT);
	}
	if (chance(r, 50)) {
		ADD(ACT_CLOSE_SUP);
		goto done;
	}
	if (!valid_passport || chance(r, 100))
		ADD(ACT_ISSUE);
	ADD(ACT_SCHEDULE);
	ADD(ACT_TRANSFER);
	if (chance(r, 900))
		ADD(ACT_CLOSE);
done:
	gc->nact = (uint8_t)n;
	gc->next = 0;
#undef ADD
}

static int create_case(struct gen *g, uint32_t idx, int64_t now)
{
	struct rng *r = &g->rng;
	struct rcms_case *c = g->c;
	struct rcms_person *p = &c->person;
	struct rcms_document docs[MAX_DOCS];
	struct person_extra x;
	struct gcase *gc = &g->cases[idx];
	struct db_ctx ctx;
	const struct gen_state_info *req;
	enum gen_state rs;
	size_t ndocs;
	bool proof, valid_passport, transit_state;
	int agr;

	rcms_case_init(c);
	memset(&x, 0, sizeof(x));
	make_person(g, now, p, &x);
	ndocs = make_documents(g, now, p, &x, docs, &proof, &valid_passport);

	/* whom to ask: nationals go home; third-country nationals to their
	 * country or to the state they came through */
	rs = x.nat;
	transit_state = false;
	if (states[x.nat].origin && !chance(r, 550)) {
		static const enum gen_state via[] = {
			S_MK, S_MK, S_MK, S_MK, S_BA, S_BA, S_BA,
			S_ME, S_ME, S_AL};
		rs = PICK(r, via);
		transit_state = true;
	}
	req = &states[rs];
	snprintf(c->requested_agency, sizeof(c->requested_agency), "%s",
		 req->agency);
	agr = agreement_of(rs);

	c->procedure = RCMS_PROC_NORMAL;
	if (req->neighbour && chance(r, transit_state ? 300 : 100))
		c->procedure = RCMS_PROC_ACCELERATED;
	else if (transit_state && chance(r, 60))
		c->procedure = RCMS_PROC_TRANSIT;
	c->evidence_basis = transit_state ? RCMS_EVID_CONDITIONS
			    : proof ? RCMS_EVID_PROOF : RCMS_EVID_PRIMA_FACIE;

	/* apprehension: in the border region for the accelerated procedure */
	{
		int64_t ago = c->procedure == RCMS_PROC_ACCELERATED
				      ? (int64_t)rnd(r, 2)
				      : (int64_t)rnd(r, 20);
		const char *place =
			c->procedure == RCMS_PROC_ACCELERATED || (req->border[0] &&
								  chance(r, 500))
				? pick_list(r, req->border)
				: pick_list(r, inland_places);
		if (c->procedure == RCMS_PROC_ACCELERATED)
			snprintf(c->apprehension_place,
				 sizeof(c->apprehension_place),
				 "%s, border region with %s", place, req->name);
		else
			snprintf(c->apprehension_place,
				 sizeof(c->apprehension_place), "%s", place);
		c->apprehension_date = pdate_of_days(days_of(now) - ago);
		if (rcms_pdate_cmp(&c->apprehension_date, &p->birth_date) < 0)
			c->apprehension_date = pdate_of_time(now);
	}
	/* itinerary and last residence */
	if (states[x.nat].origin) {
		static const char *const hubs[] = {
			"Istanbul (TR) – Edirne (TR) – Sofia (BG)",
			"Istanbul (TR) – Athens (GR)",
			"Tehran (IR) – Van (TR) – Istanbul (TR) – Thessaloniki (GR)",
			"Dubai (AE) – Istanbul (TR) – Sofia (BG)"};
		const char *hub = x.nat == S_MA
			? "Casablanca (MA) – Istanbul (TR) – Belgrade (RS), flight"
			: PICK(r, hubs);
		if (transit_state)
			snprintf(c->itinerary, sizeof(c->itinerary),
				 "%.60s (%s) – %.100s – %.100s – %.60s (RS)",
				 p->birth_place,
				 states[x.nat].alpha3, hub, req->via,
				 pick_list(r, req->border));
		else
			snprintf(c->itinerary, sizeof(c->itinerary),
				 "%.60s (%s) – %.200s – Dimitrovgrad (RS)",
				 p->birth_place, states[x.nat].alpha3, hub);
		snprintf(p->last_residence, sizeof(p->last_residence), "%s",
			 transit_state ? req->reception : p->birth_place);
	} else {
		if (chance(r, 400))
			snprintf(c->itinerary, sizeof(c->itinerary),
				 "%s – %s (RS)", pick_list(r, req->cities),
				 pick_list(r, inland_places));
		snprintf(p->last_residence, sizeof(p->last_residence), "%s",
			 pick_list(r, req->cities));
	}
	if (chance(r, 300)) {
		c->transfer_date = pdate_of_days(days_of(now) +
						 rnd_range(r, 20, 60));
		snprintf(c->crossing_point, sizeof(c->crossing_point), "%s",
			 req->crossing);
		snprintf(c->escort, sizeof(c->escort), "%s",
			 p->needs_escort || chance(r, 300)
				 ? "two officers of the Border Police "
				   "Administration"
				 : "none");
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.db = g->db;
	gc->officer = (uint8_t)rnd(r, N_OFFICERS);
	ctx.user = g->officers[gc->officer];
	ctx.now = now;
	if (db_case_create(&ctx, c, docs, ndocs, &g->err) != RCMS_OK)
		return fail(g, "case create");
	snprintf(gc->ref, sizeof(gc->ref), "%s", c->local_ref);
	gc->state = (uint8_t)rs;
	gc->procedure = (uint8_t)c->procedure;
	gc->ext_days = 0;
	gc->received_at = gc->reply_due = 0;
	make_plan(g, gc, agr, valid_passport);
	g->n_use_cases++;
	return batch_tick(g);
}

/* ---- the steps ------------------------------------------------------------ */

/* The exchange receives an approved application: the reply clock starts. */
static int exchange_receive(struct gen *g, struct gcase *gc, int64_t now)
{
	struct rcms_holidays hs = {g->holidays, g->nholidays};
	struct rcms_deadline_in in;
	struct rcms_deadlines d;
	int agr = agreement_of((enum gen_state)gc->state);
	int rc;
	char cc[3] = {states[gc->state].agency[0], states[gc->state].agency[1],
		      '\0'};

	memset(&in, 0, sizeof(in));
	memset(&d, 0, sizeof(d));
	in.agreement = agr >= 0 ? &agreements[agr] : NULL;
	in.procedure = (enum rcms_procedure)gc->procedure;
	in.requested_country = cc;
	in.holidays = &hs;
	in.received_at = now;
	if (in.agreement &&
	    rcms_deadlines_compute(&in, now, &d, &g->err) != RCMS_OK)
		return fail(g, "deadlines");
	gc->received_at = now;
	gc->reply_due = d.reply_due;
	sqlite3_reset(g->receive_stmt);
	sqlite3_bind_text(g->receive_stmt, 1, gc->ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(g->receive_stmt, 2, now);
	sqlite3_bind_int64(g->receive_stmt, 3, d.reply_due);
	rc = sqlite3_step(g->receive_stmt);
	sqlite3_reset(g->receive_stmt);
	if (rc != SQLITE_DONE || sqlite3_changes(db_raw(g->db)) != 1) {
		fprintf(stderr, "gen: receive %s: %s\n", gc->ref,
			sqlite3_errmsg(db_raw(g->db)));
		return 1;
	}
	g->n_exchange++;
	return batch_tick(g);
}

/* The exchange's clock: no reply in time, the transfer is deemed accepted. */
static int exchange_deem(struct gen *g, struct gcase *gc, int64_t now)
{
	int rc;

	sqlite3_reset(g->deem_stmt);
	sqlite3_bind_text(g->deem_stmt, 1, gc->ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(g->deem_stmt, 2, now);
	rc = sqlite3_step(g->deem_stmt);
	sqlite3_reset(g->deem_stmt);
	if (rc != SQLITE_DONE || sqlite3_changes(db_raw(g->db)) != 1) {
		fprintf(stderr, "gen: deem %s: %s\n", gc->ref,
			sqlite3_errmsg(db_raw(g->db)));
		return 1;
	}
	g->n_exchange++;
	return batch_tick(g);
}

static const char *const act_names[ACT__COUNT] = {
	[ACT_SUBMIT] = "submit", [ACT_RETURN] = "return",
	[ACT_APPROVE] = "approve", [ACT_RECEIVE] = "receive",
	[ACT_EXTEND] = "extend", [ACT_ACCEPT] = "accept",
	[ACT_REJECT] = "reject", [ACT_DEEM] = "deem", [ACT_ISSUE] = "issue",
	[ACT_SCHEDULE] = "schedule", [ACT_TRANSFER] = "transfer",
	[ACT_CLOSE] = "close", [ACT_CLOSE_SUP] = "close",
	[ACT_WITHDRAW] = "withdraw", [ACT_WITHDRAW_SENT] = "withdraw",
};

static int run_step(struct gen *g, uint32_t idx, int64_t now)
{
	struct rng *r = &g->rng;
	struct gcase *gc = &g->cases[idx];
	enum act a = (enum act)gc->act[gc->next];
	struct rcms_transition_args args;
	struct db_ctx ctx;
	char tdoc[64];

	if (a == ACT_RECEIVE)
		return exchange_receive(g, gc, now);
	if (a == ACT_DEEM)
		return exchange_deem(g, gc, now);

	memset(&args, 0, sizeof(args));
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = g->db;
	ctx.now = now;
	switch (a) {
	case ACT_APPROVE:
	case ACT_RETURN:
	case ACT_CLOSE_SUP:
		ctx.user = g->supervisors[rnd(r, N_SUPERVISORS)];
		break;
	case ACT_EXTEND:
	case ACT_ACCEPT:
	case ACT_REJECT:
	case ACT_ISSUE:
		ctx.user = g->remote[gc->state];
		break;
	default:
		ctx.user = g->officers[gc->officer];
	}
	switch (a) {
	case ACT_RETURN:
		args.reason = PICK(r, reasons_return);
		break;
	case ACT_REJECT:
		args.reason = PICK(r, reasons_reject);
		break;
	case ACT_EXTEND:
		args.reason = PICK(r, reasons_extend);
		args.days = gc->ext_days;
		break;
	case ACT_WITHDRAW_SENT:
		args.reason = PICK(r, reasons_withdraw);
		break;
	case ACT_CLOSE_SUP:
		args.reason = PICK(r, reasons_close);
		break;
	case ACT_ISSUE: {
		char d6[8];
		int y;
		digits(r, d6, 6);
		rcms_utc_to_ymd(now, &y, NULL, NULL);
		snprintf(tdoc, sizeof(tdoc), "ETD-%.2s-%04d-%s",
			 states[gc->state].agency, y, d6);
		args.travel_doc = tdoc;
		break;
	}
	case ACT_SCHEDULE:
		gc->transfer_day = (int32_t)(days_of(now) + rnd_range(r, 3, 21));
		args.transfer_date = pdate_of_days(gc->transfer_day);
		break;
	default:
		break;
	}
	if (db_case_transition(&ctx, gc->ref, act_names[a], &args, NULL,
			       &g->err) != RCMS_OK) {
		fprintf(stderr, "gen: case %s, step %s:\n", gc->ref,
			act_names[a]);
		return fail(g, "transition");
	}
	g->n_steps++;
	g->n_use_cases++;
	return batch_tick(g);
}

/* When the next step of a case comes, after the one taken at now. */
static int64_t next_time(struct gen *g, struct gcase *gc, int64_t now)
{
	struct rng *r = &g->rng;
	enum act a = (enum act)gc->act[gc->next];
	enum act prev = gc->next ? (enum act)gc->act[gc->next - 1] : ACT__COUNT;
	bool origin = states[gc->state].origin;
	int agr = agreement_of((enum gen_state)gc->state);
	bool silence = agr >= 0 && agreements[agr].silence_accepts;

	switch (a) {
	case ACT_SUBMIT:
		return now + rnd_range(r, HOUR, (prev == ACT_RETURN ? 2 : 3) *
						       DAY);
	case ACT_RETURN:
	case ACT_APPROVE:
		return now + rnd_range(r, 2 * HOUR, 3 * DAY);
	case ACT_RECEIVE:
		return now + rnd_range(r, MINUTE, 30 * MINUTE);
	case ACT_DEEM:
		return (gc->reply_due ? gc->reply_due : now + 30 * DAY) +
		       rnd_range(r, MINUTE, 6 * HOUR);
	case ACT_EXTEND:
	case ACT_ACCEPT:
	case ACT_REJECT:
	case ACT_WITHDRAW_SENT:
		if (prev == ACT_EXTEND)
			return now + rnd_range(r, HOUR, gc->ext_days * DAY);
		/* where silence accepts, a reply comes in time; countries
		 * of origin without that rule answer late, often */
		if (gc->reply_due > now &&
		    (silence || !origin))
			return now + (gc->reply_due - now) *
					     rnd_range(r, 10, 95) / 100;
		if (origin)
			return now + rnd_range(r, 5 * DAY, 80 * DAY);
		return now + rnd_range(r, DAY, 9 * DAY);
	case ACT_ISSUE:
		return now + rnd_range(r, 3 * DAY, 20 * DAY);
	case ACT_SCHEDULE:
		return now + rnd_range(r, 2 * DAY, 15 * DAY);
	case ACT_TRANSFER:   /* on the day scheduled, in working hours */
		return (int64_t)gc->transfer_day * DAY +
		       rnd_range(r, 6 * HOUR, 15 * HOUR);
	case ACT_CLOSE:
		return now + rnd_range(r, DAY, prev == ACT_REJECT ? 40 * DAY
								 : 10 * DAY);
	case ACT_CLOSE_SUP:
		return now + rnd_range(r, 10 * DAY, 60 * DAY);
	case ACT_WITHDRAW:
		return now + rnd_range(r, HOUR, 10 * DAY);
	default:
		return now + DAY;
	}
}

static int schedule_next(struct gen *g, uint32_t idx, int64_t now)
{
	struct gcase *gc = &g->cases[idx];

	if (gc->next >= gc->nact)
		return 0;
	if (heap_push(&g->heap, next_time(g, gc, now), idx) != 0) {
		fprintf(stderr, "gen: out of memory\n");
		return 1;
	}
	return 0;
}

/* Take every step due at or before t. */
static int run_until(struct gen *g, int64_t t)
{
	while (g->heap.n && g->heap.ev[0].t <= t) {
		struct event e = heap_pop(&g->heap);
		struct gcase *gc = &g->cases[e.idx];
		if (run_step(g, e.idx, e.t))
			return 1;
		gc->next++;
		if (schedule_next(g, e.idx, e.t))
			return 1;
	}
	return 0;
}

/* ---- setup ------------------------------------------------------------------- */

static int read_password(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

static void set_user(struct db_user *u, const char *name, const char *full,
		     enum rcms_role role, const char *agency)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->username, sizeof(u->username), "%s", name);
	snprintf(u->full_name, sizeof(u->full_name), "%s", full);
	u->role = role;
	snprintf(u->agency, sizeof(u->agency), "%s", agency);
	u->enabled = true;
}

static int setup(struct gen *g, const char *password)
{
	static const char receive_sql[] =
		"UPDATE cases SET received_at = ?2, reply_due = ?3"
		" WHERE local_ref = ?1";
	static const char deem_sql[] =
		"UPDATE cases SET status = 'deemed_accepted', updated_at = ?2,"
		" rev = rev + 1 WHERE local_ref = ?1"
		" AND status IN ('submitted', 'extension_requested')";
	struct db_init_args ia;
	struct db_password_cost cost = {.t_cost = 1, .m_cost_kib = 1024};
	struct db_ctx ctx;
	struct db_user admin;
	int i;

	g->nholidays = build_holidays(g->holidays, MAX_HOLIDAYS);
	memset(&ia, 0, sizeof(ia));
	ia.agency = "RS-MUP";
	ia.agency_name = "Ministry of Interior of Serbia, Border Police "
			 "Administration";
	ia.workstation = "W01";
	ia.admin_user = "admin";
	ia.admin_full_name = "Workstation administrator";
	ia.admin_password = password;
	ia.agreements = agreements;
	ia.n_agreements = AGR__COUNT;
	ia.holidays = g->holidays;
	ia.n_holidays = g->nholidays;
	ia.argon2_t_cost = cost.t_cost;
	ia.argon2_m_cost_kib = cost.m_cost_kib;
	ia.now = g->t_start - 7 * DAY;
	if (db_init(g->db, &ia, &g->err) != RCMS_OK)
		return fail(g, "init");

	set_user(&admin, "admin", "Workstation administrator", RCMS_ROLE_ADMIN,
		 "RS-MUP");
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = g->db;
	ctx.user = admin;
	ctx.now = ia.now + HOUR;
	for (i = 0; i < N_OFFICERS; i++) {
		set_user(&g->officers[i], officer_names[i][0],
			 officer_names[i][1], RCMS_ROLE_OFFICER, "RS-MUP");
		if (db_user_add(&ctx, &g->officers[i], password, &cost,
				&g->err) != RCMS_OK)
			return fail(g, "add officer");
	}
	for (i = 0; i < N_SUPERVISORS; i++) {
		set_user(&g->supervisors[i], supervisor_names[i][0],
			 supervisor_names[i][1], RCMS_ROLE_SUPERVISOR, "RS-MUP");
		if (db_user_add(&ctx, &g->supervisors[i], password, &cost,
				&g->err) != RCMS_OK)
			return fail(g, "add supervisor");
	}
	for (i = 0; i < S__COUNT; i++) {
		char name[RCMS_USER_LEN], *p;
		snprintf(name, sizeof(name), "%s.officer", states[i].agency);
		for (p = name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		set_user(&g->remote[i], name, "", RCMS_ROLE_OFFICER,
			 states[i].agency);
	}
	/* a bigger page cache, so that a batch's dirty pages stay in memory
	 * until its commit instead of spilling into the WAL half-done, and
	 * the savepoint journals of the batch's use cases in memory, not in
	 * a temporary file */
	if (g->cache_mib &&
	    sqlite3_exec(db_raw(g->db), g->cache_pragma, NULL, NULL, NULL) !=
		    SQLITE_OK) {
		fprintf(stderr, "gen: %s\n", sqlite3_errmsg(db_raw(g->db)));
		return 1;
	}
	if (sqlite3_prepare_v2(db_raw(g->db), receive_sql, -1,
			       &g->receive_stmt, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db_raw(g->db), deem_sql, -1, &g->deem_stmt,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "gen: %s\n", sqlite3_errmsg(db_raw(g->db)));
		return 1;
	}
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void report_counts(struct gen *g)
{
	int64_t counts[RCMS_CS__COUNT];
	int i;

	if (db_case_counts(g->db, counts, &g->err) != RCMS_OK)
		return;
	fprintf(stderr, "gen: statuses:");
	for (i = 0; i < RCMS_CS__COUNT; i++)
		fprintf(stderr, " %s=%" PRId64,
			rcms_enum_name(rcms_case_status_names, i), counts[i]);
	fprintf(stderr, "\n");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gen --db PATH --data DIR --cases N [--seed S]\n"
		"           [--batch B] [--moved PERMILLE] [--open-days D]\n"
		"           [--cache-mib M] [--password-file F] [--quiet]\n"
		"Create a fresh replica at PATH (agency RS-MUP, workstation "
		"W01) holding N\n"
		"generated cases.  Users: admin; officers officer, n.ilic, "
		"j.petrovic,\n"
		"s.stojanovic; supervisors supervisor, m.lazic.  Their password "
		"is the\n"
		"first line of F, or \"%s\".\n"
		"  --moved     cases per mille that take their steps "
"(default %d)\n"
		"  --open-days cases are opened over the clock's last D days "
		"(default: all\n"
		"              of them, from 2024-01-01 to 2026-11-20): more "
		"cases still open\n"
		"  --batch     use cases a transaction (default %d)\n"
		"  --cache-mib SQLite page cache in MiB (default %d)\n",
		DEFAULT_PASSWORD, DEFAULT_MOVED_PM, DEFAULT_BATCH,
		DEFAULT_CACHE_MIB);
}

static int parse_ll(const char *s, long long lo, long long hi,
		    long long *out)
{
	char *end = NULL;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || !end || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"data", required_argument, NULL, 'D'},
		{"cases", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"batch", required_argument, NULL, 'b'},
		{"password-file", required_argument, NULL, 'p'},
		{"quiet", no_argument, NULL, 'q'},
		{"cache-mib", required_argument, NULL, 'c'},
		{"moved", required_argument, NULL, 'm'},
		{"open-days", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct gen g;
	struct timespec t0;
	struct stat st;
	const char *db_path = NULL, *data_dir = NULL, *pw_file = NULL;
	char password[512] = DEFAULT_PASSWORD;
	long long ncases = -1, seed = 1, batch = DEFAULT_BATCH;
	long long open_days = 0;
	double secs;
	int o, rc = 1;
	uint32_t i;

	memset(&g, 0, sizeof(g));
	g.cache_mib = DEFAULT_CACHE_MIB;
	g.moved_pm = DEFAULT_MOVED_PM;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db_path = optarg; break;
		case 'D': data_dir = optarg; break;
		case 'p': pw_file = optarg; break;
		case 'q': g.quiet = true; break;
		case 'n':
			if (parse_ll(optarg, 0, 100000000, &ncases)) {
				fprintf(stderr, "gen: --cases: 0 to 100000000\n");
				return 64;
			}
			break;
		case 's':
			if (parse_ll(optarg, 0, INT64_MAX, &seed)) {
				fprintf(stderr, "gen: --seed: a number\n");
				return 64;
			}
			break;
		case 'b':
			if (parse_ll(optarg, 1, 10000000, &batch)) {
				fprintf(stderr, "gen: --batch: 1 to 10000000\n");
				return 64;
			}
			break;
		case 'c':
			if (parse_ll(optarg, 0, 65536, &g.cache_mib)) {
				fprintf(stderr, "gen: --cache-mib: 0 to 65536\n");
				return 64;
			}
			break;
		case 'm':
			if (parse_ll(optarg, 0, 1000, &g.moved_pm)) {
				fprintf(stderr, "gen: --moved: 0 to 1000\n");
				return 64;
			}
			break;
		case 'o':
			if (parse_ll(optarg, 1, 1054, &open_days)) {
				fprintf(stderr, "gen: --open-days: 1 to 1054\n");
				return 64;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (!db_path || !data_dir || ncases < 0 || optind != argc) {
		usage(stderr);
		return 64;
	}
	if (!check_digit_selftest()) {
		fprintf(stderr, "gen: the MRZ check digit self-test failed\n");
		return 70;
	}
	if (pw_file && read_password(pw_file, password, sizeof(password)))
		return 66;
	if (stat(db_path, &st) == 0) {
		fprintf(stderr, "gen: %s exists; the generator writes only a "
			"fresh replica\n", db_path);
		return 73;
	}
	if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", data_dir, strerror(errno));
		return 73;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rng_seed(&g.rng, (uint64_t)seed);
	g.batch = batch;
	snprintf(g.cache_pragma, sizeof(g.cache_pragma),
		 "PRAGMA cache_size = -%lld; PRAGMA temp_store = MEMORY",
		 g.cache_mib * 1024);
	g.ncases = (size_t)ncases;
	g.t_start = rcms_days_from_civil(2024, 1, 1) * DAY;
	g.t_end = rcms_days_from_civil(2026, 11, 20) * DAY;
	g.t_open = open_days > 0 ? g.t_end - open_days * DAY : g.t_start;
	g.cases = calloc(g.ncases ? g.ncases : 1, sizeof(*g.cases));
	g.c = malloc(sizeof(*g.c));
	if (!g.cases || !g.c) {
		fprintf(stderr, "gen: out of memory\n");
		goto out;
	}
	if (db_open(db_path, data_dir, DB_OPEN_CREATE, &g.db, &g.err) !=
	    RCMS_OK) {
		fail(&g, "open");
		goto out;
	}
	if (setup(&g, password))
		goto out;
	if (db_batch_begin(g.db, &g.err) != RCMS_OK) {
		fail(&g, "begin");
		goto out;
	}
	for (i = 0; i < g.ncases; i++) {
		/* cases opened evenly over the period, jittered in their slot */
		int64_t span = g.t_end - g.t_open;
		int64_t slot = span / (int64_t)g.ncases;
		int64_t t = g.t_open +
			    (int64_t)((double)span * i / (double)g.ncases) +
			    (slot > 1 ? (int64_t)rnd(&g.rng, (uint64_t)slot) : 0);
		if (run_until(&g, t) || create_case(&g, i, t) ||
		    schedule_next(&g, i, t))
			goto out;
		if (!g.quiet && (i + 1) % 100000 == 0)
			fprintf(stderr, "gen: %u cases, %lld steps, %.1f s\n",
				i + 1, g.n_steps, seconds_since(&t0));
	}
	if (run_until(&g, g.t_end))
		goto out;
	if (db_batch_commit(g.db, &g.err) != RCMS_OK) {
		fail(&g, "commit");
		goto out;
	}
	if (!g.quiet)
		report_counts(&g);
	rc = 0;
out:
	sqlite3_finalize(g.receive_stmt);
	sqlite3_finalize(g.deem_stmt);
	db_close(&g.db);   /* checkpoints the WAL into the file */
	secs = seconds_since(&t0);
	if (rc == 0) {
		if (!g.quiet)
			fprintf(stderr, "gen: %zu cases, %lld steps: %lld use "
				"cases (and %lld writes of the exchange) in "
				"%.2f s\n", g.ncases, g.n_steps, g.n_use_cases,
				g.n_exchange, secs);
		printf("gen_cases %zu\n", g.ncases);
		printf("gen_seconds %.2f\n", secs);
		printf("gen_cases_per_s %.0f\n",
		       secs > 0 ? (double)g.ncases / secs : 0.0);
	}
	free(g.heap.ev);
	free(g.cases);
	free(g.c);
	return rc;
}
