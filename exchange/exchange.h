/*
 * exchange.h - rcms-exchange, the central HTTPS exchange.
 *
 *   config.c   the configuration file (rcms-exchange.conf(5))
 *   server.c   libmicrohttpd over GnuTLS: mutual TLS, routing, limits,
 *              problem+json errors, metrics, graceful shutdown
 *   store.c    the storage behind struct xstore_ops (SQLite, WAL)
 *   api.c      the API v1 handlers: whoami, reference, ops, changes
 *   apply.c    applying one operation: ownership, state machine, merge
 *   main.c     the command line: serve, agency, pki
 *
 * The exchange runs the same validation, field tables and state machine
 * as the workstation (app/), and speaks the wire format of sync/wire.h.
 */
#ifndef RCMS_EXCHANGE_EXCHANGE_H
#define RCMS_EXCHANGE_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

struct xconfig {
	char listen[64];          /* address, "127.0.0.1" */
	int port;                 /* 0: any free port (printed) */
	char data_dir[4096];
	char cert[4096];          /* the exchange's certificate (PEM) */
	char key[4096];           /* its private key (PEM) */
	char ca[4096];            /* the CA that issues workstation certs */
	char crl[4096];           /* revocation list (PEM), "" none */
	int threads;              /* thread pool size */
	int64_t max_body;         /* JSON bodies, bytes */
	int max_ops;              /* operations per batch */
	int64_t max_upload;       /* one upload, bytes */
	int timeout;              /* connection idle timeout, seconds */
	int rate_per_min;         /* requests a minute per workstation */
	bool dev_plain_http;      /* development only: no TLS at all */
	bool test_clock;          /* tests only: X-Test-Now sets the clock */
	int retention_min_days;   /* the shortest retention a case.purge
				     may claim (days) */
	char port_file[4096];     /* write the bound port here, "" none */
};

/* Defaults, then the file (NULL: none).  Errors name file and line. */
enum rcms_status xconfig_load(struct xconfig *c, const char *path,
			      struct rcms_err *err);

/* Serve until SIGTERM or SIGINT; requests in flight finish first. */
int xserver_run(const struct xconfig *c);

#endif
