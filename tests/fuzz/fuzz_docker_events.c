/* fuzz_docker_events.c - the /events answer (status line, headers, identity
 * or chunked body of event lines) fed in random chunkings, and each line
 * through the event parser.  Byte 0 seeds the chunk sizes; the rest is the
 * answer.  Invariants: every event delivered has a watched action, a
 * NUL-terminated id, and a health only for health_status; the parser never
 * reads past what it was given (ASan). */
#include "config.h"

#include "clients/docker_events.h"
#include "fuzz.h"

static int
on_event(void *arg, const struct wm_docker_event *ev)
{
	unsigned *n = arg;

	if (!*ev->id || strnlen(ev->id, sizeof(ev->id)) == sizeof(ev->id) ||
	    strnlen(ev->action, sizeof(ev->action)) == sizeof(ev->action))
		abort();
	if (*ev->health && strcmp(ev->action, "health_status") != 0)
		abort();
	if (strcmp(ev->action, "die") && strcmp(ev->action, "start") &&
	    strcmp(ev->action, "stop") && strcmp(ev->action, "kill") && strcmp(ev->action, "oom") &&
	    strcmp(ev->action, "health_status"))
		abort();
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_docker_events_parser p;
	struct wm_docker_event ev;
	struct wm_err err = {0};
	unsigned n = 0, seed;
	size_t off = 1;

	if (size < 1)
		return 0;
	seed = data[0] | 1u;
	wm_docker_events_parser_init(&p);
	while (off < size) {
		size_t k = 1 + (seed = seed * 1103515245u + 12345u) % 97;
		int rc;

		if (k > size - off)
			k = size - off;
		rc = wm_docker_events_feed(&p, (const char *)data + off, k, on_event, &n, &err);
		off += k;
		if (rc != 0)
			break;
	}
	wm_docker_events_parser_free(&p);
	/* The whole input as one event line, too. */
	(void)wm_docker_event_parse((const char *)data + 1, size - 1, &ev, &err);
	return 0;
}
