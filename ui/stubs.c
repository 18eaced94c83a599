/* stubs.c - screens still to come. */
#include "ui/ui_priv.h"

#include <stdlib.h>

struct view *ui_form_new(struct ui *ui, const char *ref)
{
	(void)ref;
	ui_error(ui, "forms are not built yet");
	return NULL;
}

struct view *ui_conflicts_new(struct ui *ui)
{
	ui_error(ui, "the conflicts screen is not built yet");
	return NULL;
}

struct view *ui_reports_new(struct ui *ui)
{
	ui_error(ui, "the reports menu is not built yet");
	return NULL;
}

int ui_complete_path(const char *prefix, char out[][256], int max)
{
	(void)prefix;
	(void)out;
	(void)max;
	return 0;
}

int ui_complete_country(const char *prefix, char out[][256], int max)
{
	(void)prefix;
	(void)out;
	(void)max;
	return 0;
}
