/* audit.h - the audit entry's canonical content and hash, shared by the
 * workstation's log (db/) and the exchange's copy of it (exchange/). */
#ifndef RCMS_APP_AUDIT_H
#define RCMS_APP_AUDIT_H

#include <stdint.h>

#include "app/domain.h"

/*
 * The SHA-256 (64 lower-case hex digits) of an entry's canonical content:
 * every field length-prefixed, so that no two different entries share a
 * byte string, and the previous entry's hash, so that the entries form a
 * chain.  NULL strings count as empty.  The text fields are taken as the
 * workstation stores them (actor < RCMS_USER_LEN, action < 32, case id
 * < RCMS_ID_LEN, detail < RCMS_LINE_LEN bytes).
 */
void rcms_audit_hash(int64_t seq, int64_t at, const char *actor,
		     const char *action, const char *case_id,
		     const char *detail, const char *prev_hash,
		     char out[RCMS_SHA256_HEX]);

#endif
