/* plugin_load.c - bin/rcms's side of the report module (see plugin.h). */
#include "reports/plugin.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct report_plugin *loaded;

/* ../lib/rcms/report.so beside the running program (the build tree, and
 * an installation with BINDIR and LIBDIR under one PREFIX) */
static int module_path(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0';   /* the bin folder */
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0';   /* its parent */
	n = snprintf(out, size, "%s/lib/rcms/report.so", exe);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

const struct report_plugin *report_plugin(struct rcms_err *err)
{
	const char *env = getenv("RCMS_REPORT_MODULE");
	const struct report_plugin *p;
	char path[PATH_MAX];
	void *h;

	if (loaded)
		return loaded;
	if (env && env[0]) {
		snprintf(path, sizeof(path), "%s", env);
	} else if (module_path(path, sizeof(path)) != 0) {
		rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
			     "cannot find the report module (PDF and "
			     "printing): the program's folder is unknown");
		return NULL;
	}
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h && !(env && env[0])) {
		/* installed elsewhere than beside the program */
		snprintf(path, sizeof(path), "%s/report.so", RCMS_LIBDIR);
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!h) {
		rcms_err_set(err, RCMS_ERR_UNAVAILABLE, NULL,
			     "PDF and printing are not available: the report "
			     "module cannot be loaded (%s)", dlerror());
		return NULL;
	}
	p = dlsym(h, "rcms_report_plugin");
	if (!p || p->abi != REPORT_PLUGIN_ABI) {
		rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
			     "the report module %s is not this rcms's (%s)",
			     path, p ? "another version" : "no table");
		dlclose(h);
		return NULL;
	}
	/* kept loaded for the life of the process */
	loaded = p;
	return loaded;
}
