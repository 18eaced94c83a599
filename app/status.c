/* status.c - the status table. */
#include "app/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int exit_code;
	const char *msg;
} status_table[] = {
#define RCMS_X_ROW(name, code, msg) {#name, code, msg},
	RCMS_STATUS_LIST(RCMS_X_ROW)
#undef RCMS_X_ROW
};

const char *rcms_status_str(enum rcms_status st)
{
	if ((unsigned)st >= RCMS_STATUS__COUNT)
		return "unknown status";
	return status_table[st].msg;
}

const char *rcms_status_name(enum rcms_status st)
{
	if ((unsigned)st >= RCMS_STATUS__COUNT)
		return "RCMS_ERR_UNKNOWN";
	return status_table[st].name;
}

int rcms_status_exit(enum rcms_status st)
{
	if ((unsigned)st >= RCMS_STATUS__COUNT)
		return 70;
	return status_table[st].exit_code;
}

enum rcms_status rcms_err_set(struct rcms_err *err, enum rcms_status st,
			      const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return st;
	err->status = st;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	} else {
		err->msg[0] = '\0';
	}
	return st;
}

void rcms_err_clear(struct rcms_err *err)
{
	if (!err)
		return;
	err->status = RCMS_OK;
	err->field[0] = '\0';
	err->msg[0] = '\0';
}

const char *rcms_err_msg(const struct rcms_err *err)
{
	if (!err)
		return "unknown error";
	if (err->msg[0])
		return err->msg;
	return rcms_status_str(err->status);
}
