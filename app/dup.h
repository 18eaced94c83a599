/*
 * dup.h - is this the same person?  Two persons' records compared field
 * by field, each with a verdict an officer can read, and a score.
 *
 * Pure: no I/O, no allocation.  The names are compared as bags of folded
 * words (app/fold.h), so order does not matter (surname and given names
 * swapped), and a word matches another of the same text, of the same key
 * (romanisation variants), of the same skeleton when one is in Arabic
 * script, or one edit away (a typo: a letter changed, added, dropped, or
 * two swapped, in words of four letters or more).
 */
#ifndef RCMS_APP_DUP_H
#define RCMS_APP_DUP_H

#include <stdbool.h>

#include "app/domain.h"
#include "app/fold.h"

enum rcms_dup_verdict {
	RCMS_DUP_UNKNOWN,     /* one side does not say */
	RCMS_DUP_MATCH,       /* the same */
	RCMS_DUP_COMPATIBLE,  /* could be the same (a variant, a partial date) */
	RCMS_DUP_MISMATCH     /* not the same */
};
/* "unknown", "match", "compatible", "mismatch" */
extern const struct rcms_enum_name rcms_dup_verdict_names[];

/* What is compared of a person; fill with rcms_dup_person_set. */
struct rcms_dup_person {
	struct rcms_fold name;    /* surnames, then given names */
	struct rcms_fold other;   /* name in original script, previous names,
				     aliases */
	struct rcms_pdate birth;
	char nationality[4];
	char docs[512];           /* document numbers (rcms_fold_code), one
				     space between them */
};

/*
 * Fill p.  Every string may be NULL (unknown); docs are document numbers
 * separated by spaces (folded again here); birth may be NULL.
 */
void rcms_dup_person_set(struct rcms_dup_person *p, const char *surnames,
			 const char *given_names, const char *name_native,
			 const char *previous_names, const char *aliases,
			 const struct rcms_pdate *birth,
			 const char *nationality, const char *docs);

struct rcms_dup_score {
	double score;                 /* 0 .. 1 */
	double name_sim;              /* 0 .. 1 */
	enum rcms_dup_verdict name;
	enum rcms_dup_verdict birth;
	enum rcms_dup_verdict nationality;
	enum rcms_dup_verdict document;
};

/* From this score on, two records are shown as possibly one person. */
#define RCMS_DUP_THRESHOLD 0.62

/* Compare a and b (neither NULL) into out. */
void rcms_dup_compare(const struct rcms_dup_person *a,
		      const struct rcms_dup_person *b,
		      struct rcms_dup_score *out);

/*
 * Similarity of two bags of words, 0 .. 1, or -1 when either is empty:
 * each word of the smaller bag takes its best partner in the other (each
 * partner once), the mean of those, lowered a little for the words the
 * larger bag has in excess.
 */
double rcms_dup_name_sim(const struct rcms_fold *a, const struct rcms_fold *b);

#endif
