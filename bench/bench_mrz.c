/*
 * bench_mrz.c - how many zones a second rcms_mrz_parse reads and validates.
 *
 * Generates 200,000 valid zones of the five formats in memory (a fixed
 * pseudo-random sequence, so every run reads the same data), then times
 * parse + validate over several passes on one core with CLOCK_MONOTONIC.
 * Prints exactly one line:  mrz_parse_per_s <number>
 * (the best pass, to keep other processes' noise out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/mrz.h"

#define ZONES 200000
#define PASSES 10

static unsigned long long rng = 0x2545F4914F6CDD1DULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)((rng >> 11) % n);
}

static void random_text(char *out, int len, const char *set)
{
	size_t n = strlen(set);
	int i;

	for (i = 0; i < len; i++)
		out[i] = set[rnd((unsigned)n)];
	out[len] = '\0';
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	static const char *const sur[] = {
		"Petrović", "Hoxha", "Krasniqi", "Jovanovski", "Khan", "Rahman",
		"El Amrani", "Begić", "Nikolić", "Ahmadzai", "Müller", "Kovač",
	};
	static const char *const giv[] = {
		"Ana", "Marko", "Arben", "Besa", "Muhammad", "Fatima", "Emir",
		"Jovana Ivana", "Ahmad Shah", "Yusuf", "",
	};
	static const char *const nat[] = {
		"SRB", "MKD", "ALB", "BIH", "MNE", "RKS", "AFG", "PAK", "BGD",
		"MAR", "D", "AUT",
	};
	static const enum rcms_mrz_format fmts[] = {
		RCMS_MRZ_TD1, RCMS_MRZ_TD2, RCMS_MRZ_TD3, RCMS_MRZ_MRVA,
		RCMS_MRZ_MRVB,
	};
	const struct rcms_pdate today = {2026, 3, 1};
	struct rcms_person p;
	struct rcms_document d;
	struct rcms_mrz_gen_opts o;
	struct rcms_mrz *m;
	char (*zones)[RCMS_MRZ_TEXT_MAX];
	char opt[16];
	double best = 0, t0, t;
	long valid = 0;
	int i, pass;

	zones = malloc(sizeof *zones * ZONES);
	m = malloc(sizeof *m);
	if (!zones || !m) {
		fprintf(stderr, "bench_mrz: out of memory\n");
		return 1;
	}
	for (i = 0; i < ZONES; i++) {
		enum rcms_mrz_format fmt = fmts[i % 5];

		memset(&p, 0, sizeof p);
		memset(&d, 0, sizeof d);
		memset(&o, 0, sizeof o);
		snprintf(p.surnames, sizeof p.surnames, "%s",
			 sur[rnd(sizeof sur / sizeof sur[0])]);
		snprintf(p.given_names, sizeof p.given_names, "%s",
			 giv[rnd(sizeof giv / sizeof giv[0])]);
		snprintf(p.nationality, sizeof p.nationality, "%s",
			 nat[rnd(sizeof nat / sizeof nat[0])]);
		snprintf(d.issuing_state, sizeof d.issuing_state, "%s",
			 p.nationality);
		p.sex = (enum rcms_sex)rnd(4);
		p.birth_date.year = 1930 + (int)rnd(95);
		p.birth_date.month = 1 + (int)rnd(12);
		p.birth_date.day = 1 + (int)rnd(28);
		d.expiry_date.year = 2027 + (int)rnd(10);
		d.expiry_date.month = 1 + (int)rnd(12);
		d.expiry_date.day = 1 + (int)rnd(28);
		random_text(d.number, 9, "ABCDEFGHJKLMNPRTUVWXY0123456789");
		random_text(opt, (int)rnd(8), "0123456789");
		o.optional1 = opt;
		if (rcms_mrz_generate(fmt, &p, &d, &o, zones[i],
				      sizeof zones[i], NULL) != RCMS_OK) {
			fprintf(stderr, "bench_mrz: cannot generate zone %d\n",
				i);
			return 1;
		}
	}
	for (pass = 0; pass < PASSES; pass++) {
		t0 = now();
		for (i = 0; i < ZONES; i++)
			valid += rcms_mrz_parse(zones[i], today, m) == RCMS_OK;
		t = now() - t0;
		if (t > 0 && ZONES / t > best)
			best = ZONES / t;
	}
	if (valid != (long)ZONES * PASSES) {
		fprintf(stderr, "bench_mrz: %ld of %ld zones invalid\n",
			(long)ZONES * PASSES - valid, (long)ZONES * PASSES);
		return 1;
	}
	printf("mrz_parse_per_s %.0f\n", best);
	free(zones);
	free(m);
	return 0;
}
