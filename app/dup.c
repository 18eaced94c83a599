/* dup.c - the same person twice?  See dup.h. */
#include "app/dup.h"

#include <stdio.h>
#include <string.h>

#include "app/pdate.h"

const struct rcms_enum_name rcms_dup_verdict_names[] = {
	{RCMS_DUP_UNKNOWN, "unknown", "unknown"},
	{RCMS_DUP_MATCH, "match", "match"},
	{RCMS_DUP_COMPATIBLE, "compatible", "compatible"},
	{RCMS_DUP_MISMATCH, "mismatch", "mismatch"},
	{0, NULL, NULL},
};

void rcms_dup_person_set(struct rcms_dup_person *p, const char *surnames,
			 const char *given_names, const char *name_native,
			 const char *previous_names, const char *aliases,
			 const struct rcms_pdate *birth,
			 const char *nationality, const char *docs)
{
	size_t n = 0;
	const char *s;

	if (!p)
		return;
	rcms_fold_name(surnames, &p->name);
	rcms_fold_append(given_names, &p->name);
	rcms_fold_name(name_native, &p->other);
	rcms_fold_append(previous_names, &p->other);
	rcms_fold_append(aliases, &p->other);
	if (birth)
		p->birth = *birth;
	else
		memset(&p->birth, 0, sizeof(p->birth));
	snprintf(p->nationality, sizeof(p->nationality), "%s",
		 nationality ? nationality : "");
	p->docs[0] = '\0';
	/* each number folded on its own, separated by one space */
	for (s = docs; s && *s;) {
		char raw[128], one[128];
		size_t l = strcspn(s, " ,;");
		if (l && l < sizeof(raw)) {
			memcpy(raw, s, l);
			raw[l] = '\0';
			rcms_fold_code(raw, one, sizeof(one));
			l = strlen(one);
			if (l && n + l + 2 < sizeof(p->docs)) {
				if (n)
					p->docs[n++] = ' ';
				memcpy(p->docs + n, one, l + 1);
				n += l;
			}
		}
		s += strcspn(s, " ,;");
		s += strspn(s, " ,;");
	}
}

/* Optimal string alignment distance of two short words, stopping at
 * 2 (all that matters is 0, 1 or more). */
static int osa_close(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int d[RCMS_FOLD_WORD_LEN + 1][RCMS_FOLD_WORD_LEN + 1];

	if (la > RCMS_FOLD_WORD_LEN || lb > RCMS_FOLD_WORD_LEN)
		return 2;
	if (la > lb + 1 || lb > la + 1)
		return 2;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int c = a[i - 1] == b[j - 1] ? 0 : 1;
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb] > 2 ? 2 : d[la][lb];
}

static double word_sim(const struct rcms_fold_word *x,
		       const struct rcms_fold_word *y)
{
	if (strcmp(x->text, y->text) == 0)
		return 1.0;
	if (x->abjad || y->abjad) {
		/* Arabic script has no short vowels: the skeleton only */
		if (x->skel[0] && strcmp(x->skel, y->skel) == 0)
			return 0.95;
		return 0.3 * rcms_fold_jw(x->skel, y->skel);
	}
	if (x->key[0] && strcmp(x->key, y->key) == 0)
		return 0.97;
	/* a typo: one letter changed, added, dropped or two swapped, in a
	 * word long enough for that to leave it recognisable */
	if (strlen(x->text) >= 4 && strlen(y->text) >= 4 &&
	    (osa_close(x->text, y->text) <= 1 || osa_close(x->key, y->key) <= 1))
		return 0.9;
	return 0.5 * rcms_fold_jw(x->text, y->text);
}

double rcms_dup_name_sim(const struct rcms_fold *a, const struct rcms_fold *b)
{
	bool used[RCMS_FOLD_WORDS] = {false};
	const struct rcms_fold *s, *l;
	double sum = 0.0;
	size_t i, j;

	if (!a || !b || a->n == 0 || b->n == 0)
		return -1.0;
	s = a->n <= b->n ? a : b;
	l = s == a ? b : a;
	for (i = 0; i < s->n; i++) {
		double best = 0.0;
		size_t at = l->n;
		for (j = 0; j < l->n; j++) {
			double v;
			if (used[j])
				continue;
			v = word_sim(&s->w[i], &l->w[j]);
			if (v > best) {
				best = v;
				at = j;
			}
		}
		if (at < l->n)
			used[at] = true;
		sum += best;
	}
	sum /= (double)s->n;
	return sum * (0.9 + 0.1 * (double)s->n / (double)l->n);
}

static enum rcms_dup_verdict docs_verdict(const char *a, const char *b)
{
	const char *p;

	if (!a[0] || !b[0])
		return RCMS_DUP_UNKNOWN;
	for (p = a; *p;) {
		size_t l = strcspn(p, " ");
		const char *q;
		for (q = b; *q;) {
			size_t m = strcspn(q, " ");
			if (l == m && memcmp(p, q, l) == 0)
				return RCMS_DUP_MATCH;
			q += m;
			q += strspn(q, " ");
		}
		p += l;
		p += strspn(p, " ");
	}
	return RCMS_DUP_MISMATCH;
}

void rcms_dup_compare(const struct rcms_dup_person *a,
		      const struct rcms_dup_person *b,
		      struct rcms_dup_score *out)
{
	double sim, v, score;

	memset(out, 0, sizeof(*out));
	sim = rcms_dup_name_sim(&a->name, &b->name);
	v = rcms_dup_name_sim(&a->name, &b->other);
	if (v > sim)
		sim = v;
	v = rcms_dup_name_sim(&a->other, &b->name);
	if (v > sim)
		sim = v;
	if (sim < 0) {
		out->name = RCMS_DUP_UNKNOWN;
		sim = 0.0;
	} else if (sim >= 0.999) {
		out->name = RCMS_DUP_MATCH;
	} else if (sim >= 0.85) {
		out->name = RCMS_DUP_COMPATIBLE;
	} else {
		out->name = RCMS_DUP_MISMATCH;
	}
	out->name_sim = sim;

	if (!rcms_pdate_is_set(&a->birth) || !rcms_pdate_is_set(&b->birth))
		out->birth = RCMS_DUP_UNKNOWN;
	else if (rcms_pdate_cmp(&a->birth, &b->birth) == 0 &&
		 rcms_pdate_is_full(&a->birth))
		out->birth = RCMS_DUP_MATCH;
	else if (rcms_pdate_compatible(&a->birth, &b->birth))
		out->birth = RCMS_DUP_COMPATIBLE;
	else
		out->birth = RCMS_DUP_MISMATCH;

	if (!a->nationality[0] || !b->nationality[0])
		out->nationality = RCMS_DUP_UNKNOWN;
	else
		out->nationality = strcmp(a->nationality, b->nationality) == 0
					   ? RCMS_DUP_MATCH : RCMS_DUP_MISMATCH;
	out->document = docs_verdict(a->docs, b->docs);

	score = 0.5 * sim;
	score += out->birth == RCMS_DUP_MATCH ? 0.25
		 : out->birth == RCMS_DUP_COMPATIBLE ? 0.18
		 : out->birth == RCMS_DUP_UNKNOWN ? 0.08 : 0.0;
	score += out->nationality == RCMS_DUP_MATCH ? 0.1
		 : out->nationality == RCMS_DUP_UNKNOWN ? 0.05 : 0.0;
	score += out->document == RCMS_DUP_MATCH ? 0.3
		 : out->document == RCMS_DUP_UNKNOWN ? 0.05 : 0.0;
	/* a different birth date or a different name outweighs the rest,
	 * unless the same document says otherwise */
	if (out->document != RCMS_DUP_MATCH &&
	    (out->birth == RCMS_DUP_MISMATCH || out->name == RCMS_DUP_MISMATCH))
		score *= 0.5;
	out->score = score > 1.0 ? 1.0 : score;
}
