/* docker.h - a small Docker Engine API client over a unix socket (libcurl,
 * loaded on first use: curl_lazy.h).
 *
 * The Engine API, not the CLI (DESIGN §4): containers of one compose project,
 * inspect, one-shot stats and log streams.  The socket may be the local
 * engine's or a tunnel socket made by lib/transport/ssh.h; the client does not care.
 *
 * Every response is bounded (WM_DOCKER_BODY_MAX) and every field is
 * type-checked: a wrong type is WM_EPROTO with a message naming the field.
 * The parsers are pure functions over a buffer so they are unit-testable on
 * fixtures.  A client is not thread-safe; use one per thread.
 */
#ifndef WM_DOCKER_H
#define WM_DOCKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct wm_curl;

#define WM_DOCKER_BODY_MAX (8u << 20)  /* largest JSON response accepted */
#define WM_DOCKER_LINE_MAX (64u << 10) /* longer log lines are delivered in pieces */
#define WM_DOCKER_API_MAX "1.43"       /* the newest API version we speak */
#define WM_DOCKER_API_FALLBACK "1.24"  /* used when /_ping names none (as the CLI does) */

struct wm_docker {
	struct wm_err err; /* why the last call failed */
	char *socket_path;
	long timeout_ms;
	/* CLOCK_MONOTONIC ms (wm_monotonic_ms); when set, a request takes at
	 * most what remains of it (the session's deadline).  0: none. */
	int64_t deadline_ms;
	char api[16];		  /* negotiated version, "" until the first call */
	void *curl;		  /* CURL *, reused so the connection stays open */
	const struct wm_curl *cu; /* libcurl's functions; NULL when it failed to load */
};

/* What the next request may take: timeout_ms, or less when the deadline is
 * nearer (at least 1 ms, so a request after it fails at once). */
long wm_docker_timeout(const struct wm_docker *d);

/* One container of a compose project (GET /containers/json). */
struct wm_container {
	char *id;      /* 64 hex */
	char *name;    /* without the leading '/' */
	char *service; /* label com.docker.compose.service, NULL when absent */
	/* label com.docker.compose.depends_on (Compose v2; model/incident.h
	 * wm_depends_parse reads it), NULL when absent */
	char *depends_on;
	char *state;  /* "running", "exited", ... */
	char *status; /* "Up 2 hours (healthy)" */
};

/* The fields of GET /containers/{id}/json we monitor. */
struct wm_inspect {
	char *status; /* State.Status */
	bool running, paused, restarting, oom_killed, dead;
	long exit_code;
	char *started_at; /* RFC 3339 nano; "0001-01-01T00:00:00Z" when never */
	char *finished_at;
	char *health; /* State.Health.Status; NULL = no healthcheck (not unhealthy) */
	long failing_streak;
	char *probe_output; /* the last probe's Output, NULL when none */
	long probe_exit;    /* the last probe's ExitCode, -1 when none */
	long restart_count;
	bool tty;      /* Config.Tty: logs are raw, not multiplexed */
	char *name;    /* without '/' */
	char *service; /* compose service label or NULL */
};

/* One-shot stats (GET /containers/{id}/stats?stream=false), as docker stats shows them. */
struct wm_stats {
	bool running; /* false: the engine sent the zero sample of a stopped container */
	double cpu_percent;
	double mem_used;  /* bytes, page cache excluded as the CLI does */
	double mem_limit; /* bytes */
	double mem_percent;
	long pids;
};

/* A new client for the engine at socket_path; every request is bounded by
 * timeout_ms.  Returns a handle even on failure (d->err set); NULL only when
 * out of memory. */
struct wm_docker *wm_docker_new(const char *socket_path, long timeout_ms);
void wm_docker_free(struct wm_docker *d);

/* GET /_ping: check the engine answers and pick the API version
 * (min(server, WM_DOCKER_API_MAX)).  Called by the other calls when needed. */
int wm_docker_ping(struct wm_docker *d);

/* Containers of compose project (all states).  *out is an array of *n,
 * freed with wm_docker_containers_free. */
int wm_docker_list(struct wm_docker *d, const char *project, struct wm_container **out, size_t *n);
void wm_docker_containers_free(struct wm_container *c, size_t n);

int wm_docker_inspect(struct wm_docker *d, const char *id, struct wm_inspect *out);
void wm_docker_inspect_clear(struct wm_inspect *in);

int wm_docker_stats(struct wm_docker *d, const char *id, struct wm_stats *out);

/* One raw sample of the stats endpoint: the counters the formulas need. */
struct wm_docker_sample {
	bool running;			  /* false: the zero sample of a stopped container */
	double cpu_total, system, ncpu;	  /* cpu_stats */
	double pre_cpu_total, pre_system; /* precpu_stats (0 with one-shot) */
	double mem_used, mem_limit;	  /* page cache excluded */
	long pids;
};

/* Stats from a sample (CPU % from its own precpu fields when prev is NULL,
 * else from prev to cur), with the docker CLI's formulas.  (One-shot samples,
 * API 1.41, do not save time: engine 20.10 still answers on its next
 * one-second collection tick.) */
void wm_docker_stats_compute(const struct wm_docker_sample *prev,
			     const struct wm_docker_sample *cur, struct wm_stats *out);

/* Log streaming.  fn receives each line without its '\n' (stream 1 stdout,
 * 2 stderr, 0 for a TTY container's merged output); a non-zero return stops
 * the stream (wm_docker_logs then returns 0).  Memory is constant whatever
 * the size of the logs. */
typedef int (*wm_docker_line_fn)(void *arg, int stream, const char *line, size_t len);

struct wm_docker_logs_opts {
	const char *since; /* unix seconds ("1717235999.5") or NULL */
	const char *until; /* likewise */
	long tail;	   /* last N lines, -1 = all */
	bool timestamps;   /* prefix each line with RFC 3339 nano + ' ' */
	bool follow;	   /* keep streaming; no overall timeout then */
	int tty;	   /* 1 raw, 0 multiplexed, -1 ask inspect */
};

/* With since set, tail -1 and no follow, the request is bounded first (see
 * wm_docker_tail_cover): Docker 20.10's json-file reader decodes the whole
 * log from its start for a since without a tail, so an hourly window would
 * cost more every hour as the log before it grows. */
int wm_docker_logs(struct wm_docker *d, const char *id, const struct wm_docker_logs_opts *o,
		   wm_docker_line_fn fn, void *arg);

/* Docker's time at the start of a line (timestamps=1: RFC 3339 with up to
 * nine decimals, "2024-06-01T10:00:00.123456789Z ") in unix seconds; false
 * when the line does not start with one. */
bool wm_docker_log_time(const char *line, size_t len, double *sec);

/* The first line of the last n lines of a log (n -1: of the whole log),
 * with until_since of those no later than since (Docker stops at the first
 * line after an until: nothing when the first is after it), timestamps on,
 * into line[0..cap) with its length in *len (0: no line); -1 on error. */
typedef int (*wm_docker_first_fn)(void *arg, long n, bool until_since, char *line, size_t cap,
				  size_t *len);

#define WM_DOCKER_TAIL_START 1024L
#define WM_DOCKER_TAIL_MAX (1L << 26)

/* The tail that holds every line since `since` (unix seconds): -1 (all)
 * when the log's first line is not older than since (or the log is empty,
 * or past max, or a first line has no time); else n from start, doubled
 * until the first of the last n lines is older than since.  Each probe is
 * cheap for the engine: an n that does not reach since gets an empty answer
 * (until=since), one that does is stopped after its first line.  -2 when a
 * probe failed. */
long wm_docker_tail_cover(wm_docker_first_fn probe, void *arg, double since, long start, long max);

/* Demultiplexer of the 8-byte framed stream, fed arbitrary chunks. */
struct wm_docker_demux {
	bool raw; /* TTY container: no frame headers */
	unsigned char hdr[8];
	size_t hdrlen;
	int stream;    /* stream of the current frame */
	uint32_t left; /* payload bytes left in the current frame */
	char *line[3]; /* partial line per stream (0 stdin/raw, 1, 2) */
	size_t linelen[3];
	bool stopped; /* the callback asked to stop */
};

int wm_docker_demux_init(struct wm_docker_demux *m, bool raw, struct wm_err *err);
/* Feed len bytes; complete lines go to fn.  -1 on a corrupt frame. */
int wm_docker_demux_feed(struct wm_docker_demux *m, const char *buf, size_t len,
			 wm_docker_line_fn fn, void *arg, struct wm_err *err);
/* Deliver the unterminated last lines and free the buffers. */
void wm_docker_demux_finish(struct wm_docker_demux *m, wm_docker_line_fn fn, void *arg);

/* Pure parsers of API bodies (len bytes, need not be NUL-terminated). */
int wm_docker_parse_list(const char *json, size_t len, struct wm_container **out, size_t *n,
			 struct wm_err *err);
int wm_docker_parse_inspect(const char *json, size_t len, struct wm_inspect *out,
			    struct wm_err *err);
int wm_docker_parse_stats(const char *json, size_t len, struct wm_stats *out, struct wm_err *err);
int wm_docker_parse_sample(const char *json, size_t len, struct wm_docker_sample *out,
			   struct wm_err *err);

/* The docker CLI's formulas (calculateCPUPercentUnix, calculateMemUsageUnixNoCache). */
double wm_docker_cpu_percent(double total, double pre_total, double system, double pre_system,
			     double online_cpus);
/* inactive_file_v1 / _v2 < 0 means "key absent". */
double wm_docker_mem_used(double usage, double total_inactive_file, double inactive_file);

/* Accept container ids and names only (nothing that could change the URL path). */
int wm_docker_check_id(struct wm_docker *d, const char *id);

/* Compare API versions "1.41" < "1.43"; -1, 0, 1. */
int wm_docker_api_cmp(const char *a, const char *b);

#endif
