/*
 * arena.c - JSON parsed into an arena (sync/wire.h).
 *
 * A page of the feed (about a megabyte, tens of thousands of JSON values)
 * or a push batch at the exchange (500 operations) is parsed into one
 * arena, not one malloc a value, and let go at once, not freed value by
 * value: the two were a third of a pull's instructions, and a seventh of
 * the exchange's in a push.  cJSON takes its allocator from global hooks:
 * they are installed once (wire_arena_prepare, before a second thread
 * uses cJSON) and never changed, and they use the arena of the calling
 * thread, so that with no arena entered they are malloc and free: one
 * thread parses into its arena while cJSON is used on the others.  What
 * is parsed into an arena must never reach cJSON_Delete (wire_arena_free
 * lets it go); frees cJSON makes meanwhile (a parse that fails) of the
 * arena's memory are nothing; any other pointer is free()d.
 */
#include "sync/wire.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1024 * 1024)

static _Thread_local struct wire_arena *arena_now;

/* Chunks of arenas gone, for the next one: given back to the system and
 * taken again, each page's chunks cost as many page faults as they have
 * pages (the kernel's time doubled).  Kept for the life of the thread, at
 * most `keep` of them. */
#define SPARES_MAX 16
static _Thread_local char *spares[SPARES_MAX];
static _Thread_local size_t nspares;
static size_t keep = SPARES_MAX;

/* A new chunk of size bytes in a's list; NULL if out of memory. */
static char *arena_chunk(struct wire_arena *a, size_t size)
{
	char *c;

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct wire_chunk *l = realloc(a->chunks, cap * sizeof(*l));
		if (!l)
			return NULL;
		a->chunks = l;
		a->cap = cap;
	}
	if (size == CHUNK && nspares)
		c = spares[--nspares];
	else if (!(c = malloc(size)))
		return NULL;
	a->chunks[a->n].p = c;
	a->chunks[a->n].size = size;
	a->n++;
	return c;
}

static void *arena_malloc(size_t size)
{
	struct wire_arena *a = arena_now;
	size_t n = (size + 15) & ~(size_t)15;
	char *p;

	if (!a)
		return malloc(size);
	if (n < size)
		return NULL;
	if (n > CHUNK / 4)  /* a long string: a chunk of its own */
		return arena_chunk(a, n);
	if (!a->cur || a->used + n > a->size) {
		if (!(a->cur = arena_chunk(a, CHUNK)))
			return NULL;
		a->used = 0;
		a->size = CHUNK;
	}
	p = a->cur + a->used;
	a->used += n;
	return p;
}

static bool arena_has(const struct wire_arena *a, const void *p)
{
	uintptr_t u = (uintptr_t)p;
	size_t i;

	for (i = 0; a && i < a->n; i++) {
		uintptr_t c = (uintptr_t)a->chunks[i].p;
		if (u >= c && u - c < a->chunks[i].size)
			return true;
	}
	return false;
}

static void arena_free(void *p)
{
	if (!arena_has(arena_now, p))
		free(p);
}

/* a thread that kept chunks lets them go when it ends (a server's
 * threads end with it, nobody calls wire_arena_thread_end for them) */
static pthread_key_t spares_key;
static bool spares_key_ok;

static void spares_end(void *unused)
{
	(void)unused;
	wire_arena_thread_end();
}

static void hooks_install(void)
{
	cJSON_Hooks hooks = {.malloc_fn = arena_malloc,
			     .free_fn = arena_free};

	cJSON_InitHooks(&hooks);
	spares_key_ok = pthread_key_create(&spares_key, spares_end) == 0;
}

static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

void wire_arena_prepare(void)
{
	pthread_once(&hooks_once, hooks_install);
}

void wire_arena_keep(size_t n)
{
	keep = n < SPARES_MAX ? n : SPARES_MAX;
}

void wire_arena_enter(struct wire_arena *a)
{
	arena_now = a;
}

void wire_arena_leave(void)
{
	arena_now = NULL;
}

void wire_arena_free(struct wire_arena *a)
{
	size_t i;

	wire_arena_prepare();
	for (i = 0; i < a->n; i++) {
		if (a->chunks[i].size == CHUNK && nspares < keep &&
		    spares_key_ok) {
			if (!nspares)
				pthread_setspecific(spares_key, &nspares);
			spares[nspares++] = a->chunks[i].p;
		} else {
			free(a->chunks[i].p);
		}
	}
	free(a->chunks);
	memset(a, 0, sizeof(*a));
}

void wire_arena_thread_end(void)
{
	while (nspares)
		free(spares[--nspares]);
	if (spares_key_ok)
		pthread_setspecific(spares_key, NULL);
}
