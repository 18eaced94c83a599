/* stubs.c - screens still to come. */
#include "ui/ui_priv.h"

#include <stdlib.h>

struct view *ui_reports_new(struct ui *ui)
{
	ui_error(ui, "the reports menu is not built yet");
	return NULL;
}
