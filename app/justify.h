/*
 * justify.h - why a case's personal data is consulted.
 *
 * Every consultation of a case (rcms case show, note list, attachments,
 * idchecks, duplicates, the workstation's case view) records in the audit
 * log a justification chosen from the agency's list, as the EU Law
 * Enforcement Directive (2016/680, Art. 25) asks of the logs of
 * consultation: the code goes into the case.view entry's detail
 * ("processing: case show").  The list below is the default; an agency
 * replaces it in rcms.conf (justifications = code=Label;code=Label).
 */
#ifndef RCMS_APP_JUSTIFY_H
#define RCMS_APP_JUSTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "app/status.h"

#define RCMS_JUSTIFY_MAX 32        /* codes in a list */
#define RCMS_JUSTIFY_CODE_LEN 32   /* a code: [a-z0-9_-], 1 to 31 */
#define RCMS_JUSTIFY_LABEL_LEN 96  /* a label: printable, 1 to 95 bytes */

struct rcms_justify {
	char code[RCMS_JUSTIFY_CODE_LEN];
	char label[RCMS_JUSTIFY_LABEL_LEN];
};

struct rcms_justify_list {
	struct rcms_justify items[RCMS_JUSTIFY_MAX];
	size_t n;
};

/* The default list (processing, idcheck, supervision, subject_request,
 * legal, audit). */
void rcms_justify_defaults(struct rcms_justify_list *l);
/* Parse "code=Label;code=Label" into l (replacing it only on success):
 * codes of [a-z0-9_-], unique, labels not empty, no control characters;
 * at most RCMS_JUSTIFY_MAX.  RCMS_ERR_INVALID with a message otherwise. */
enum rcms_status rcms_justify_parse(const char *spec,
				    struct rcms_justify_list *l,
				    struct rcms_err *err);
/* The entry of code in l, or NULL (code may be NULL). */
const struct rcms_justify *rcms_justify_find(const struct rcms_justify_list *l,
					     const char *code);
/* The codes as "processing, idcheck, ..." into buf (always terminated). */
const char *rcms_justify_codes(const struct rcms_justify_list *l, char *buf,
			       size_t size);

#endif
