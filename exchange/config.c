/* config.c - rcms-exchange.conf: KEY = VALUE lines, # comments. */
#include "exchange/exchange.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum rcms_status num(const char *path, int line, const char *k,
			    const char *v, long long lo, long long hi,
			    long long *out, struct rcms_err *err)
{
	char *end = NULL;
	long long x;

	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || !end || *end || end == v || x < lo || x > hi)
		return rcms_err_set(err, RCMS_ERR_CONFIG, k,
				    "%s, line %d: %s must be a whole number "
				    "from %lld to %lld", path, line, k, lo, hi);
	*out = x;
	return RCMS_OK;
}

static enum rcms_status yesno(const char *path, int line, const char *k,
			      const char *v, bool *out, struct rcms_err *err)
{
	if (strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0)
		*out = false;
	else
		return rcms_err_set(err, RCMS_ERR_CONFIG, k,
				    "%s, line %d: %s takes yes or no", path,
				    line, k);
	return RCMS_OK;
}

enum rcms_status xconfig_load(struct xconfig *c, const char *path,
			      struct rcms_err *err)
{
	char line[8192];
	FILE *f;
	int n = 0;
	enum rcms_status st = RCMS_OK;

	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1");
	c->port = 8443;
	snprintf(c->data_dir, sizeof(c->data_dir), "/var/lib/rcms-exchange");
	c->threads = 4;
	c->max_body = 8 * 1024 * 1024;
	c->max_ops = 500;
	c->max_upload = 50LL * 1024 * 1024;
	c->timeout = 60;
	c->rate_per_min = 1200;
	c->retention_min_days = 365;
	if (!path)
		return RCMS_OK;
	f = fopen(path, "r");
	if (!f)
		return rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
				    "cannot read %s: %s", path,
				    strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *k, *v, *eq, *p;
		long long x = 0;

		n++;
		p = line + strlen(line);
		while (p > line && (p[-1] == '\n' || p[-1] == '\r' ||
				    p[-1] == ' ' || p[-1] == '\t'))
			*--p = '\0';
		k = line;
		while (*k == ' ' || *k == '\t')
			k++;
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			st = rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
					  "%s, line %d: expected KEY = VALUE",
					  path, n);
			break;
		}
		v = eq + 1;
		while (eq > k && (eq[-1] == ' ' || eq[-1] == '\t'))
			eq--;
		*eq = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
#define STR(name)                                                             \
	else if (strcmp(k, #name) == 0)                                       \
	{                                                                     \
		if (strlen(v) >= sizeof(c->name)) {                           \
			st = rcms_err_set(err, RCMS_ERR_CONFIG, k,            \
					  "%s, line %d: %s is too long",      \
					  path, n, k);                        \
			break;                                                \
		}                                                             \
		snprintf(c->name, sizeof(c->name), "%s", v);                  \
	}
		if (0) {
		}
		STR(listen) STR(data_dir) STR(cert) STR(key) STR(ca) STR(crl)
		STR(port_file)
		else if (strcmp(k, "port") == 0) {
			if ((st = num(path, n, k, v, 0, 65535, &x, err)))
				break;
			c->port = (int)x;
		} else if (strcmp(k, "threads") == 0) {
			if ((st = num(path, n, k, v, 1, 256, &x, err)))
				break;
			c->threads = (int)x;
		} else if (strcmp(k, "max_body_bytes") == 0) {
			if ((st = num(path, n, k, v, 1024, 64LL << 20, &x, err)))
				break;
			c->max_body = x;
		} else if (strcmp(k, "max_ops") == 0) {
			if ((st = num(path, n, k, v, 1, 500, &x, err)))
				break;
			c->max_ops = (int)x;
		} else if (strcmp(k, "max_upload_bytes") == 0) {
			if ((st = num(path, n, k, v, 1024, 16LL << 30, &x,
				      err)))
				break;
			c->max_upload = x;
		} else if (strcmp(k, "timeout") == 0) {
			if ((st = num(path, n, k, v, 1, 3600, &x, err)))
				break;
			c->timeout = (int)x;
		} else if (strcmp(k, "rate_per_min") == 0) {
			if ((st = num(path, n, k, v, 0, 10000000, &x, err)))
				break;
			c->rate_per_min = (int)x;
		} else if (strcmp(k, "dev_plain_http") == 0) {
			if ((st = yesno(path, n, k, v, &c->dev_plain_http,
					err)))
				break;
		} else if (strcmp(k, "retention_min_days") == 0) {
			if ((st = num(path, n, k, v, 1, 36500, &x, err)))
				break;
			c->retention_min_days = (int)x;
		} else if (strcmp(k, "test_clock") == 0) {
			if ((st = yesno(path, n, k, v, &c->test_clock, err)))
				break;
		} else {
			st = rcms_err_set(err, RCMS_ERR_CONFIG, k,
					  "%s, line %d: unknown setting '%s' "
					  "(see rcms-exchange.conf(5))",
					  path, n, k);
			break;
		}
#undef STR
	}
	fclose(f);
	if (st == RCMS_OK && !c->dev_plain_http &&
	    (!c->cert[0] || !c->key[0] || !c->ca[0]))
		st = rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
				  "%s: cert, key and ca are needed (the "
				  "exchange speaks HTTPS with client "
				  "certificates only)", path);
	return st;
}
