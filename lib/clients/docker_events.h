/* docker_events.h - the Engine API's /events stream: container events as they
 * happen (die, start, stop, kill, oom, health_status), for wm-run's watch.
 *
 * Why not libcurl: a stream held for 24 hours must block in the kernel, not
 * wake up to poll, and must be stoppable from another thread at once.  So the
 * request is written on the unix socket by hand (HTTP/1.0: the engine then
 * sends the body unchunked and closes at the end; a chunked body is decoded
 * too) and the reading thread sleeps in poll(2) on the socket and the
 * caller's stop descriptor, nothing else.  The socket may be a tunnel socket
 * of lib/transport/ssh.h: the pump forwards it like any other connection.
 *
 * Engine facts the parser relies on (API 1.22+): one JSON object per line,
 * {"Type":"container","Action":"die","Actor":{"ID":…,"Attributes":{"name",
 * "exitCode", "signal", "com.docker.compose.service", …}},"time":S,
 * "timeNano":NS}.  A health change is the Action "health_status: unhealthy"
 * (the filter "health_status" matches it by prefix).  A restart-policy
 * restart is die then start: there is no "restart" event.  since= takes
 * "SECONDS.NANOSECONDS" and replays the events from then before going live.
 */
#ifndef WM_DOCKER_EVENTS_H
#define WM_DOCKER_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_DOCKER_EVENT_LINE_MAX (64u << 10) /* longer lines are skipped */

/* One container event. */
struct wm_docker_event {
	char action[24];  /* "die", "start", "stop", "kill", "oom", "health_status" */
	char health[16];  /* health_status: "healthy", "unhealthy", "starting"; else "" */
	char id[72];	  /* the container id */
	char name[128];	  /* the container name, "" when not given */
	char service[64]; /* com.docker.compose.service, "" when absent */
	char project[64]; /* com.docker.compose.project, "" when absent */
	long exit_code;	  /* die: exitCode; -1 otherwise */
	char signal[16];  /* kill: the signal ("9", "SIGTERM"); "" otherwise */
	int64_t time_ns;  /* timeNano, else time * 1e9 */
};

/* Parse one event line (len bytes, need not be NUL-terminated).  Returns 0
 * with *ev filled for a container event of the watched kinds, 1 for any other
 * valid event (skipped: an image event, exec_start, …), -1 with WM_EPROTO. */
int wm_docker_event_parse(const char *json, size_t len, struct wm_docker_event *ev,
			  struct wm_err *err);

typedef int (*wm_docker_event_fn)(void *arg, const struct wm_docker_event *ev);

/* The HTTP answer of GET /events, fed in arbitrary chunks: status line,
 * headers, then a body (identity or chunked) of event lines. */
struct wm_docker_events_parser {
	int state; /* private */
	long status;
	bool chunked;
	uint64_t chunk_left;
	bool skipping; /* inside an overlong line */
	char *line;    /* a status or header line, or the body's event line */
	size_t len, cap;
	char size_line[40]; /* a chunk's size line (the event line may span chunks) */
	size_t size_len;
	size_t skipped; /* overlong or unparsable lines dropped */
	char errbody[200];
};

void wm_docker_events_parser_init(struct wm_docker_events_parser *p);
void wm_docker_events_parser_free(struct wm_docker_events_parser *p);
/* Feed len bytes: every complete watched event goes to fn (a non-zero return
 * stops: -1 is returned with err untouched).  -1 with err on a non-200
 * answer (WM_EPROTO with the engine's message), a malformed status line,
 * header or chunk (WM_EPROTO), or WM_ENOMEM.  An event line that does not
 * parse is counted in skipped, not an error (one bad line must not blind the
 * watch).  Returns 1 once the body ended (chunked: the last chunk). */
int wm_docker_events_feed(struct wm_docker_events_parser *p, const char *buf, size_t len,
			  wm_docker_event_fn fn, void *arg, struct wm_err *err);

struct wm_docker_events_opts {
	const char *socket_path; /* the engine's socket (or a tunnel's) */
	const char *project;	 /* compose project: only its containers */
	int64_t since_ns;	 /* replay from then; <= 0: from now */
	int stop_fd;		 /* readable: return 0 at once; -1: none */
	int64_t connect_timeout_ms;
};

/* Subscribe and deliver events to fn until stop_fd is readable (returns 0)
 * or the stream ends or fails (-1 with err: WM_ECONN refused or closed,
 * WM_EPROTO, WM_ETIMEDOUT while connecting or before the headers).  Blocks
 * in poll(2) without a timeout once the answer's headers are in. */
int wm_docker_events_stream(const struct wm_docker_events_opts *o, wm_docker_event_fn fn, void *arg,
			    struct wm_err *err);

/* The request line's target for o ("/events?filters=…&since=…"), URL-encoded;
 * -1 (WM_EINVAL) for a bad project name or when it does not fit. */
int wm_docker_events_path(const struct wm_docker_events_opts *o, char *buf, size_t len,
			  struct wm_err *err);

#endif
