/*
 * password.h - the password policy: what a new password must be.
 *
 * Pure: no I/O.  The list of common passwords is data/common-passwords.txt,
 * compiled in by the Makefile.  Checked when a password is set (rcms init,
 * user add, user passwd), never at login: an old password keeps working.
 */
#ifndef RCMS_APP_PASSWORD_H
#define RCMS_APP_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "app/status.h"

#define RCMS_PASSWORD_MIN_DEFAULT 12u /* characters */
#define RCMS_PASSWORD_MIN_LOWEST 8u   /* rcms.conf cannot go lower */
#define RCMS_PASSWORD_MIN_HIGHEST 64u
#define RCMS_PASSWORD_MAX_BYTES 256u
/* Below this many characters a password needs two kinds of character. */
#define RCMS_PASSWORD_LONG 16u
/* At least this many different characters. */
#define RCMS_PASSWORD_DISTINCT 5u

/*
 * Check a new password for user username (may be NULL: no name rule);
 * min_chars 0 is RCMS_PASSWORD_MIN_DEFAULT.  In order: valid UTF-8 and at
 * most 256 bytes; at least min_chars characters; with the user name taken
 * out (any case) still at least min_chars; below 16 characters, two kinds
 * of character (lower-case letters, capitals, digits, anything else); at
 * least 5 different characters; not a common password, nor one followed
 * by digits and punctuation only.  RCMS_ERR_INVALID on field "password"
 * with a message that says what to do; never quotes the password.
 */
enum rcms_status rcms_password_check(const char *pw, const char *username,
				     unsigned min_chars, struct rcms_err *err);

/* Is pw (any case of ASCII letters, digits and punctuation after it
 * ignored) on the list of common passwords? */
bool rcms_password_common(const char *pw);

/* A user name: 1 to 32 of a-z 0-9 . _ -, starting with a letter
 * (RCMS_ERR_INVALID on field "username"). */
enum rcms_status rcms_username_check(const char *u, struct rcms_err *err);

/* A password hash as the agency directory carries it: an Argon2id
 * encoding ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"), printable
 * ASCII without spaces, shorter than 256 bytes (RCMS_ERR_INVALID on field
 * "pw_hash").  The shape only: whether it is a good hash is argon2's. */
enum rcms_status rcms_pw_hash_check(const char *h, struct rcms_err *err);

/* How many entries the compiled-in list has. */
size_t rcms_password_common_count(void);

#endif
