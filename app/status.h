/*
 * status.h - the one status enum of rcms and its message table.
 *
 * Every layer returns an enum rcms_status.  Library codes (SQLITE_*,
 * CURLcode, HTTP statuses) are translated at the layer boundary and never
 * escape it.  A failing function that can say more fills a struct rcms_err
 * with a message a tired officer understands.
 */
#ifndef RCMS_APP_STATUS_H
#define RCMS_APP_STATUS_H

#include <stddef.h>

/* X(name, exit code (sysexits), message) */
#define RCMS_STATUS_LIST(X)                                                   \
	X(RCMS_OK, 0, "success")                                              \
	X(RCMS_ERR_USAGE, 64, "wrong usage")                                  \
	X(RCMS_ERR_INVALID, 65, "invalid data")                               \
	X(RCMS_ERR_NOT_FOUND, 65, "not found")                                \
	X(RCMS_ERR_EXISTS, 65, "already exists")                              \
	X(RCMS_ERR_TRANSITION, 65, "this step is not allowed in this state")  \
	X(RCMS_ERR_CONFLICT, 65, "conflicting change")                        \
	X(RCMS_ERR_UNAVAILABLE, 69, "service unavailable")                    \
	X(RCMS_ERR_NOMEM, 71, "out of memory")                                \
	X(RCMS_ERR_IO, 74, "input/output error")                              \
	X(RCMS_ERR_DB, 74, "database error")                                  \
	X(RCMS_ERR_TEMP, 75, "temporary failure, try again")                  \
	X(RCMS_ERR_BUSY, 75, "the database is busy, try again")               \
	X(RCMS_ERR_PERMISSION, 77, "permission denied")                       \
	X(RCMS_ERR_AUTH, 77, "wrong user name or password")                   \
	X(RCMS_ERR_CONFIG, 78, "configuration error")                         \
	X(RCMS_ERR_INTERNAL, 70, "internal error")

enum rcms_status {
#define RCMS_X_ENUM(name, code, msg) name,
	RCMS_STATUS_LIST(RCMS_X_ENUM)
#undef RCMS_X_ENUM
	RCMS_STATUS__COUNT
};

/* A status with the details a person needs: which field, what is wrong. */
struct rcms_err {
	enum rcms_status status;
	char field[64];  /* the field concerned, "" when none */
	char msg[512];   /* a full sentence, without personal data */
};

/* The generic message for a status; never NULL. */
const char *rcms_status_str(enum rcms_status st);
/* The status's symbolic name ("RCMS_ERR_INVALID"); never NULL. */
const char *rcms_status_name(enum rcms_status st);
/* The sysexits(3) exit code for a status. */
int rcms_status_exit(enum rcms_status st);

/*
 * Set err (which may be NULL) and return st.  The message is formatted with
 * printf rules; field may be NULL.
 */
enum rcms_status rcms_err_set(struct rcms_err *err, enum rcms_status st,
			      const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Clear err (may be NULL) to RCMS_OK. */
void rcms_err_clear(struct rcms_err *err);
/* The best message for err: its own text, else the status's. */
const char *rcms_err_msg(const struct rcms_err *err);

#endif
