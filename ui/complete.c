/* complete.c - completion for the questions and the forms: countries by
 * code or name (app/country.h), file paths (attach a file). */
#include "ui/ui_priv.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ui_complete_country(const char *prefix, char out[][256], int max)
{
	const struct rcms_country *c[32];
	size_t i, n = rcms_country_complete(prefix, c, max < 32 ? (size_t)max
							       : 32);

	for (i = 0; i < n; i++)
		snprintf(out[i], 256, "%s %s", c[i]->alpha3, c[i]->name);
	return (int)n;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int ui_complete_path(const char *prefix, char out[][256], int max)
{
	char dir[256], path[600];
	const char *slash = strrchr(prefix, '/'), *base;
	size_t dlen;
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (slash) {
		dlen = (size_t)(slash - prefix) + 1;
		if (dlen >= sizeof(dir))
			return 0;
		memcpy(dir, prefix, dlen);
		dir[dlen] = '\0';
		base = slash + 1;
	} else {
		dir[0] = '\0';
		dlen = 0;
		base = prefix;
	}
	d = opendir(dlen ? dir : ".");
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		struct stat sb;

		if (strncmp(de->d_name, base, strlen(base)) != 0)
			continue;
		if (de->d_name[0] == '.' && base[0] != '.')
			continue;
		size_t pl;
		snprintf(path, sizeof(path), "%s%s", dir, de->d_name);
		pl = strlen(path);
		if (pl >= 254)
			continue;
		memcpy(out[n], path, pl);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			out[n][pl++] = '/';
		out[n][pl] = '\0';
		n++;
	}
	closedir(d);
	qsort(out, (size_t)n, sizeof(out[0]), cmp);
	return n;
}
