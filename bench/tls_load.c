/*
 * tls_load.c - an HTTP/1.1 load generator over TLS with a client
 * certificate, for the exchange's benchmark (bench/exchange.sh).
 *
 * wrk and h2load cannot present a client certificate, and the exchange
 * answers nothing without one; this does what wrk does (closed loop,
 * keep-alive, N connections over a few epoll threads) with OpenSSL's
 * libssl, and the same client then measures nginx for the reference.
 *
 *   tls_load --connect 127.0.0.1:PORT --ca CA --cert CERT --key KEY
 *            [-c CONNS] [-t THREADS] [-d SECONDS] [-w WARMUP_SECONDS]
 *            [--path PATH] [--expect-body FILE] [--count STRING]
 *            [--post-list FILE] [--post-path PATH] [--tls-max 1.2|1.3]
 *
 * GET mode (the default): every connection sends GET PATH, reads the
 * whole response and sends the next, for WARMUP + SECONDS; requests that
 * complete in the last SECONDS count.  --expect-body compares every
 * response body with a file's bytes (a difference is an error).
 *
 * POST mode (--post-list: a file naming one body file a line): every body
 * is POSTed once to --post-path over the connections, then the run ends;
 * after SECONDS no body is sent any more (the answers in flight are
 * awaited, each at most --timeout).  The time is from the first request
 * to the last response.  --count counts a string's occurrences in the
 * response bodies (the exchange's "status":"applied").
 *
 * Output, one "key value" a line: tls_protocol, tls_cipher, connections,
 * threads, requests, errors, non_2xx, mismatched, unsent, seconds, rps,
 * latency_p50_ms, latency_p99_ms, latency_max_ms, body_bytes, counted.
 * The exit status is 1 when there was an error, a status other than 2xx,
 * a body other than --expect-body or an unsent body.
 * Loopback only: --connect takes an IPv4 address literal.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_RESPONSE (64u << 20)  /* a response larger than this is an error */
#define MAX_CONNS 4096
#define MAX_THREADS 64

enum cstate { C_HANDSHAKE, C_SEND, C_RECV, C_DONE };

struct conn {
	struct worker *w;
	int fd;
	SSL *ssl;
	enum cstate state;
	const char *req;          /* borrowed: the request bytes */
	size_t req_len, req_off;
	char *buf;                /* owned: the response so far */
	size_t len, cap;
	size_t head_len;          /* 0 until the header is complete */
	size_t body_len;
	int status;
	bool close_after;
	int64_t started_ns;
};

struct lat {
	uint32_t *us;
	size_t n, cap;
};

struct worker {
	pthread_t tid;
	int ep;
	struct conn *conns;
	int nconns;
	/* results */
	uint64_t requests, errors, non_2xx, mismatched, body_bytes, counted;
	int64_t first_ns, last_ns;
	struct lat lat;
};

static struct {
	struct sockaddr_in addr;
	const char *servername;
	const char *path;
	const char *post_path;
	int conns, threads, tls_max;
	double seconds, warmup, timeout;
	char *get_req;            /* owned */
	size_t get_len;
	char **post_req;          /* owned: requests, one a body */
	size_t *post_len;
	size_t nposts;
	_Atomic size_t next_post;
	char *expect;             /* owned */
	size_t expect_len;
	bool has_expect;
	const char *count;
	size_t count_len;
	SSL_CTX *ctx;
	int64_t t_measure, t_end;  /* GET: the window that counts */
	_Atomic int proto_saved;
	char proto[32], cipher[64];
} g;

static void die(const char *msg)
{
	fprintf(stderr, "tls_load: %s\n", msg);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The time is up: no new request, no new connection. */
static bool over(void)
{
	return now_ns() >= g.t_end;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	fclose(f);
	return buf;
}

static double num_arg(const char *opt, const char *v, double lo, double hi)
{
	char *end = NULL;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (errno || !end || *end || end == v || x < lo || x > hi) {
		fprintf(stderr, "tls_load: %s takes a number from %g to %g\n",
			opt, lo, hi);
		exit(2);
	}
	return x;
}

/* Occurrences of g.count in [p, p + n). */
static uint64_t count_in(const char *p, size_t n)
{
	uint64_t k = 0;
	const char *end = p + n;

	if (!g.count_len)
		return 0;
	while ((size_t)(end - p) >= g.count_len) {
		const char *q = memchr(p, g.count[0],
				       (size_t)(end - p) - g.count_len + 1);
		if (!q)
			break;
		if (memcmp(q, g.count, g.count_len) == 0) {
			k++;
			p = q + g.count_len;
		} else {
			p = q + 1;
		}
	}
	return k;
}

static void lat_add(struct lat *l, int64_t ns)
{
	int64_t us = ns / 1000;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 65536;
		l->us = xrealloc(l->us, l->cap * sizeof(*l->us));
	}
	l->us[l->n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* ---- one connection ------------------------------------------------------ */

static void conn_close(struct conn *c)
{
	if (c->ssl) {
		SSL_set_quiet_shutdown(c->ssl, 1);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	c->state = C_DONE;
}

/* The next request of this connection; false when there is none. */
static bool next_request(struct conn *c)
{
	if (over())
		return false;
	if (g.nposts) {
		size_t i = atomic_fetch_add(&g.next_post, 1);
		if (i >= g.nposts)
			return false;
		c->req = g.post_req[i];
		c->req_len = g.post_len[i];
	} else {
		c->req = g.get_req;
		c->req_len = g.get_len;
	}
	c->req_off = 0;
	c->len = c->head_len = c->body_len = 0;
	c->status = 0;
	c->close_after = false;
	c->started_ns = 0;
	c->state = C_SEND;
	return true;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
}

static bool conn_open(struct conn *c)
{
	struct epoll_event ev;
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return false;
	/* loopback: a blocking connect returns at once */
	if (connect(c->fd, (const struct sockaddr *)&g.addr, sizeof(g.addr))) {
		close(c->fd);
		c->fd = -1;
		return false;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (set_nonblock(c->fd)) {
		close(c->fd);
		c->fd = -1;
		return false;
	}
	c->ssl = SSL_new(g.ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) ||
	    !SSL_set_tlsext_host_name(c->ssl, g.servername) ||
	    !SSL_set1_host(c->ssl, g.servername)) {
		conn_close(c);
		return false;
	}
	SSL_set_connect_state(c->ssl);
	c->state = C_HANDSHAKE;
	ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
	ev.data.ptr = c;
	if (epoll_ctl(c->w->ep, EPOLL_CTL_ADD, c->fd, &ev)) {
		conn_close(c);
		return false;
	}
	return true;
}

/* Header complete: status, Content-Length, Connection: close. */
static bool parse_head(struct conn *c)
{
	char *end = NULL, *p, *eol;
	size_t i;
	bool have_len = false;

	for (i = 3; i < c->len; i++)
		if (c->buf[i] == '\n' && c->buf[i - 1] == '\r' &&
		    c->buf[i - 2] == '\n' && c->buf[i - 3] == '\r')
			break;
	if (i >= c->len) {
		if (c->len > 65536)
			return false;
		return true;  /* not yet */
	}
	c->head_len = i + 1;
	if (c->len < 12 || strncmp(c->buf, "HTTP/1.", 7) != 0)
		return false;
	c->status = (int)strtol(c->buf + 9, &end, 10);
	if (end != c->buf + 12)
		return false;
	for (p = c->buf; p < c->buf + c->head_len; p = eol + 2) {
		eol = p;
		while (eol + 1 < c->buf + c->head_len &&
		       !(eol[0] == '\r' && eol[1] == '\n'))
			eol++;
		if (eol + 1 >= c->buf + c->head_len)
			break;
		if ((size_t)(eol - p) > 15 &&
		    strncasecmp(p, "Content-Length:", 15) == 0) {
			unsigned long long v = strtoull(p + 15, &end, 10);
			if (end != eol && *end != ' ' && *end != '\r')
				return false;
			if (v > MAX_RESPONSE)
				return false;
			c->body_len = (size_t)v;
			have_len = true;
		} else if ((size_t)(eol - p) > 18 &&
			   strncasecmp(p, "Transfer-Encoding:", 18) == 0) {
			return false;  /* chunked: not spoken here */
		} else if ((size_t)(eol - p) >= 16 &&
			   strncasecmp(p, "Connection:", 11) == 0) {
			const char *v = p + 11;
			while (*v == ' ')
				v++;
			if (strncasecmp(v, "close", 5) == 0)
				c->close_after = true;
		}
	}
	if (!have_len)
		c->body_len = 0;  /* 204/304, or an error without a body */
	return true;
}

static void completed(struct conn *c)
{
	struct worker *w = c->w;
	int64_t t = now_ns();
	const char *body = c->buf + c->head_len;
	bool counts = g.nposts || (t >= g.t_measure && t <= g.t_end);

	if (!counts)
		return;
	if (!w->first_ns || c->started_ns < w->first_ns)
		w->first_ns = c->started_ns;
	if (t > w->last_ns)
		w->last_ns = t;
	w->requests++;
	w->body_bytes += c->body_len;
	if (c->status < 200 || c->status > 299)
		w->non_2xx++;
	if (g.has_expect && (c->body_len != g.expect_len ||
			     memcmp(body, g.expect, g.expect_len) != 0))
		w->mismatched++;
	w->counted += count_in(body, c->body_len);
	lat_add(&w->lat, t - c->started_ns);
}

static void save_tls_info(SSL *ssl)
{
	int expect = 0;

	if (!atomic_compare_exchange_strong(&g.proto_saved, &expect, 1))
		return;
	snprintf(g.proto, sizeof(g.proto), "%s", SSL_get_version(ssl));
	snprintf(g.cipher, sizeof(g.cipher), "%s", SSL_get_cipher_name(ssl));
}

/* An error: count it, and open a new connection while the run goes on. */
static void fail(struct conn *c)
{
	struct worker *w = c->w;
	int64_t t = now_ns();

	if (g.nposts || (t >= g.t_measure && t <= g.t_end))
		w->errors++;
	conn_close(c);
	if (over())
		return;
	/* a new connection; a failed push is not sent again */
	if (!conn_open(c))
		c->state = C_DONE;
}

/* Move a connection on as far as it goes without blocking. */
static void drive(struct conn *c)
{
	for (;;) {
		int r, e;

		switch (c->state) {
		case C_HANDSHAKE:
			r = SSL_do_handshake(c->ssl);
			if (r == 1) {
				save_tls_info(c->ssl);
				if (!next_request(c)) {
					conn_close(c);
					return;
				}
				continue;
			}
			e = SSL_get_error(c->ssl, r);
			if (e == SSL_ERROR_WANT_READ ||
			    e == SSL_ERROR_WANT_WRITE)
				return;
			ERR_print_errors_fp(stderr);
			fail(c);
			return;
		case C_SEND:
			if (!c->started_ns)
				c->started_ns = now_ns();
			r = SSL_write(c->ssl, c->req + c->req_off,
				      (int)(c->req_len - c->req_off));
			if (r > 0) {
				c->req_off += (size_t)r;
				if (c->req_off == c->req_len)
					c->state = C_RECV;
				continue;
			}
			e = SSL_get_error(c->ssl, r);
			if (e == SSL_ERROR_WANT_READ ||
			    e == SSL_ERROR_WANT_WRITE)
				return;
			fail(c);
			return;
		case C_RECV:
			if (c->cap - c->len < 16384) {
				if (c->cap >= MAX_RESPONSE + 65536) {
					fail(c);
					return;
				}
				c->cap = c->cap ? c->cap * 2 : 65536;
				c->buf = xrealloc(c->buf, c->cap);
			}
			r = SSL_read(c->ssl, c->buf + c->len,
				     (int)(c->cap - c->len - 1));
			if (r <= 0) {
				e = SSL_get_error(c->ssl, r);
				if (e == SSL_ERROR_WANT_READ ||
				    e == SSL_ERROR_WANT_WRITE)
					return;
				fail(c);
				return;
			}
			c->len += (size_t)r;
			if (!c->head_len && !parse_head(c)) {
				fail(c);
				return;
			}
			if (!c->head_len || c->len < c->head_len + c->body_len)
				continue;
			if (c->len > c->head_len + c->body_len) {
				fail(c);  /* more than asked for */
				return;
			}
			completed(c);
			if (c->close_after) {
				/* the server closes: a new connection */
				conn_close(c);
				if (!conn_open(c))
					c->state = C_DONE;
				continue;
			}
			if (!next_request(c)) {
				conn_close(c);
				return;
			}
			continue;
		case C_DONE:
			return;
		}
	}
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[256];
	int i, n, live;

	for (i = 0; i < w->nconns; i++) {
		w->conns[i].w = w;
		w->conns[i].fd = -1;
		if (!conn_open(&w->conns[i])) {
			w->errors++;
			w->conns[i].state = C_DONE;
			continue;
		}
		drive(&w->conns[i]);
	}
	for (;;) {
		int64_t t = now_ns();

		if (!g.nposts && t >= g.t_end)
			break;
		live = 0;
		for (i = 0; i < w->nconns; i++) {
			struct conn *c = &w->conns[i];
			if (c->state == C_DONE)
				continue;
			live++;
			if (c->state != C_HANDSHAKE && c->started_ns &&
			    t - c->started_ns > (int64_t)(g.timeout * 1e9)) {
				fprintf(stderr, "tls_load: a request timed "
					"out\n");
				fail(c);
			}
		}
		if (!live)
			break;
		n = epoll_wait(w->ep, evs, 256, 100);
		if (n < 0 && errno != EINTR)
			die("epoll_wait failed");
		for (i = 0; i < n; i++)
			drive(evs[i].data.ptr);
	}
	for (i = 0; i < w->nconns; i++)
		conn_close(&w->conns[i]);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank, in ms. */
static double pct(const uint32_t *v, size_t n, double p)
{
	size_t r;

	if (!n)
		return 0;
	r = (size_t)(p * (double)n);
	if ((double)r < p * (double)n)
		r++;
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return v[r - 1] / 1000.0;
}

static char *make_request(const char *method, const char *path,
			  const char *body, size_t body_len, size_t *len)
{
	char head[2048];
	int n;
	char *req;

	if (body)
		n = snprintf(head, sizeof(head),
			     "%s %s HTTP/1.1\r\nHost: %s\r\n"
			     "User-Agent: rcms-tls-load\r\n"
			     "Accept: application/json\r\n"
			     "Content-Type: application/json\r\n"
			     "Content-Length: %zu\r\n\r\n",
			     method, path, g.servername, body_len);
	else
		n = snprintf(head, sizeof(head),
			     "%s %s HTTP/1.1\r\nHost: %s\r\n"
			     "User-Agent: rcms-tls-load\r\n"
			     "Accept: application/json\r\n\r\n",
			     method, path, g.servername);
	if (n < 0 || (size_t)n >= sizeof(head))
		die("the path is too long");
	req = xmalloc((size_t)n + body_len);
	memcpy(req, head, (size_t)n);
	if (body_len)
		memcpy(req + n, body, body_len);
	*len = (size_t)n + body_len;
	return req;
}

static void load_posts(const char *list)
{
	FILE *f = fopen(list, "r");
	char line[4096];
	size_t cap = 0;

	if (!f)
		die("cannot read the --post-list file");
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line), blen = 0;
		char *body;

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			continue;
		body = slurp(line, &blen);
		if (!body) {
			fprintf(stderr, "tls_load: cannot read %s\n", line);
			exit(1);
		}
		if (g.nposts == cap) {
			cap = cap ? cap * 2 : 64;
			g.post_req = xrealloc(g.post_req,
					      cap * sizeof(*g.post_req));
			g.post_len = xrealloc(g.post_len,
					      cap * sizeof(*g.post_len));
		}
		g.post_req[g.nposts] = make_request("POST", g.post_path, body,
						    blen,
						    &g.post_len[g.nposts]);
		g.nposts++;
		free(body);
	}
	fclose(f);
	if (!g.nposts)
		die("the --post-list names no body");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tls_load --connect 127.0.0.1:PORT --ca FILE --cert FILE "
		"--key FILE\n"
		"                [-c CONNECTIONS] [-t THREADS] [-d SECONDS] "
		"[-w WARMUP]\n"
		"                [--path PATH] [--expect-body FILE] "
		"[--count STRING]\n"
		"                [--post-list FILE] [--post-path PATH] "
		"[--servername NAME]\n"
		"                [--tls-max 1.2|1.3] [--timeout SECONDS]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"connect", required_argument, NULL, 'C'},
		{"ca", required_argument, NULL, 'A'},
		{"cert", required_argument, NULL, 'E'},
		{"key", required_argument, NULL, 'K'},
		{"connections", required_argument, NULL, 'c'},
		{"threads", required_argument, NULL, 't'},
		{"duration", required_argument, NULL, 'd'},
		{"warmup", required_argument, NULL, 'w'},
		{"path", required_argument, NULL, 'p'},
		{"expect-body", required_argument, NULL, 'B'},
		{"count", required_argument, NULL, 'N'},
		{"post-list", required_argument, NULL, 'L'},
		{"post-path", required_argument, NULL, 'P'},
		{"servername", required_argument, NULL, 'S'},
		{"tls-max", required_argument, NULL, 'V'},
		{"timeout", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *connect_to = NULL, *ca = NULL, *cert = NULL, *key = NULL;
	const char *expect = NULL, *post_list = NULL;
	struct worker *ws;
	uint64_t requests = 0, errors = 0, non_2xx = 0, mismatched = 0;
	uint64_t body_bytes = 0, counted = 0;
	int64_t first = 0, last = 0, t0;
	struct lat all = {NULL, 0, 0};
	double secs;
	size_t unsent;
	int o, i, k;

	g.servername = "localhost";
	g.path = "/";
	g.post_path = "/v1/ops";
	g.conns = 64;
	g.threads = 2;
	g.seconds = 10;
	g.warmup = 2;
	g.timeout = 10;
	while ((o = getopt_long(argc, argv, "c:t:d:w:h", opts, NULL)) != -1) {
		switch (o) {
		case 'C': connect_to = optarg; break;
		case 'A': ca = optarg; break;
		case 'E': cert = optarg; break;
		case 'K': key = optarg; break;
		case 'c': g.conns = (int)num_arg("-c", optarg, 1, MAX_CONNS); break;
		case 't': g.threads = (int)num_arg("-t", optarg, 1, MAX_THREADS); break;
		case 'd': g.seconds = num_arg("-d", optarg, 0.1, 3600); break;
		case 'w': g.warmup = num_arg("-w", optarg, 0, 3600); break;
		case 'p': g.path = optarg; break;
		case 'B': expect = optarg; break;
		case 'N': g.count = optarg; g.count_len = strlen(optarg); break;
		case 'L': post_list = optarg; break;
		case 'P': g.post_path = optarg; break;
		case 'S': g.servername = optarg; break;
		case 'V':
			if (strcmp(optarg, "1.2") == 0)
				g.tls_max = TLS1_2_VERSION;
			else if (strcmp(optarg, "1.3") == 0)
				g.tls_max = TLS1_3_VERSION;
			else
				die("--tls-max takes 1.2 or 1.3");
			break;
		case 'T': g.timeout = num_arg("--timeout", optarg, 0.1, 3600); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!connect_to || !ca || !cert || !key || optind != argc) {
		usage(stderr);
		return 2;
	}
	{
		char host[64];
		const char *colon = strrchr(connect_to, ':');
		size_t hl = colon ? (size_t)(colon - connect_to) : 0;
		if (!colon || hl == 0 || hl >= sizeof(host))
			die("--connect takes ADDRESS:PORT");
		memcpy(host, connect_to, hl);
		host[hl] = '\0';
		memset(&g.addr, 0, sizeof(g.addr));
		g.addr.sin_family = AF_INET;
		g.addr.sin_port = htons((uint16_t)num_arg("--connect port",
							  colon + 1, 1,
							  65535));
		if (inet_pton(AF_INET, host, &g.addr.sin_addr) != 1)
			die("--connect takes an IPv4 address");
		if ((ntohl(g.addr.sin_addr.s_addr) >> 24) != 127)
			die("--connect: loopback addresses only");
	}
	if (expect) {
		g.expect = slurp(expect, &g.expect_len);
		if (!g.expect)
			die("cannot read the --expect-body file");
		g.has_expect = true;
	}
	if (post_list)
		load_posts(post_list);
	else
		g.get_req = make_request("GET", g.path, NULL, 0, &g.get_len);

	g.ctx = SSL_CTX_new(TLS_client_method());
	if (!g.ctx || !SSL_CTX_set_min_proto_version(g.ctx, TLS1_2_VERSION) ||
	    (g.tls_max && !SSL_CTX_set_max_proto_version(g.ctx, g.tls_max)) ||
	    SSL_CTX_load_verify_locations(g.ctx, ca, NULL) != 1 ||
	    SSL_CTX_use_certificate_chain_file(g.ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(g.ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(g.ctx) != 1) {
		ERR_print_errors_fp(stderr);
		die("cannot set up TLS (CA, certificate, key)");
	}
	SSL_CTX_set_verify(g.ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_mode(g.ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
					SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

	if (g.threads > g.conns)
		g.threads = g.conns;
	ws = calloc((size_t)g.threads, sizeof(*ws));
	if (!ws)
		die("out of memory");
	t0 = now_ns();
	g.t_measure = t0 + (int64_t)(g.warmup * 1e9);
	g.t_end = g.t_measure + (int64_t)(g.seconds * 1e9);
	if (g.nposts)
		g.t_end = t0 + (int64_t)(g.seconds * 1e9);
	for (i = 0, k = 0; i < g.threads; i++) {
		struct worker *w = &ws[i];
		w->nconns = g.conns / g.threads + (i < g.conns % g.threads);
		w->conns = calloc((size_t)w->nconns, sizeof(*w->conns));
		w->ep = epoll_create1(EPOLL_CLOEXEC);
		if (!w->conns || w->ep < 0)
			die("out of memory or file descriptors");
		k += w->nconns;
		if (pthread_create(&w->tid, NULL, worker_run, w))
			die("cannot start a thread");
	}
	for (i = 0; i < g.threads; i++) {
		struct worker *w = &ws[i];
		pthread_join(w->tid, NULL);
		requests += w->requests;
		errors += w->errors;
		non_2xx += w->non_2xx;
		mismatched += w->mismatched;
		body_bytes += w->body_bytes;
		counted += w->counted;
		if (w->first_ns && (!first || w->first_ns < first))
			first = w->first_ns;
		if (w->last_ns > last)
			last = w->last_ns;
		if (w->lat.n) {
			all.us = xrealloc(all.us, (all.n + w->lat.n) *
							  sizeof(*all.us));
			memcpy(all.us + all.n, w->lat.us,
			       w->lat.n * sizeof(*all.us));
			all.n += w->lat.n;
		}
		free(w->lat.us);
		for (int j = 0; j < w->nconns; j++)
			free(w->conns[j].buf);
		free(w->conns);
		close(w->ep);
	}
	qsort(all.us, all.n, sizeof(*all.us), cmp_u32);
	unsent = atomic_load(&g.next_post);
	unsent = g.nposts - (unsent < g.nposts ? unsent : g.nposts);
	secs = g.nposts ? (last > first ? (double)(last - first) / 1e9 : 0)
			: g.seconds;
	printf("tls_protocol %s\n", g.proto[0] ? g.proto : "-");
	printf("tls_cipher %s\n", g.cipher[0] ? g.cipher : "-");
	printf("connections %d\n", k);
	printf("threads %d\n", g.threads);
	printf("requests %llu\n", (unsigned long long)requests);
	printf("errors %llu\n", (unsigned long long)errors);
	printf("non_2xx %llu\n", (unsigned long long)non_2xx);
	printf("mismatched %llu\n", (unsigned long long)mismatched);
	printf("unsent %zu\n", unsent);
	printf("seconds %.3f\n", secs);
	printf("rps %.1f\n", secs > 0 ? (double)requests / secs : 0);
	printf("latency_p50_ms %.3f\n", pct(all.us, all.n, 0.50));
	printf("latency_p99_ms %.3f\n", pct(all.us, all.n, 0.99));
	printf("latency_max_ms %.3f\n", all.n ? all.us[all.n - 1] / 1000.0 : 0);
	printf("body_bytes %llu\n", (unsigned long long)body_bytes);
	printf("counted %llu\n", (unsigned long long)counted);
	free(all.us);
	free(ws);
	for (size_t j = 0; j < g.nposts; j++)
		free(g.post_req[j]);
	free(g.post_req);
	free(g.post_len);
	free(g.get_req);
	free(g.expect);
	SSL_CTX_free(g.ctx);
	return errors || non_2xx || mismatched || unsent ? 1 : 0;
}
