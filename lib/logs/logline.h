/* logline.h - parse one log line, whatever produced it, without copying it.
 *
 * A line may carry, in this order, the `docker compose logs` prefix
 * ("backend-1  | ", possibly wrapped in ANSI colour codes) and Docker's
 * RFC 3339 nano timestamp (`--timestamps`, or the Engine API's timestamps=1);
 * both are recognised and stripped.  The rest is recognised as one of:
 *   JSON    winston (level/message/timestamp), pino (numeric level 10..60,
 *           msg, time in ms or ISO), generic level/severity/lvl/loglevel keys;
 *   logfmt  level=... msg="..." ts=... (Loki, Promtail, Alertmanager);
 *   nginx access (combined/main, optional rt= urt= timing fields);
 *   nginx error "2025/05/01 01:52:14 [error] 20#20: ..." and the Apache
 *           error log "[Sun Dec 04 04:47:44 2005] [error] ...";
 *   PostgreSQL "... LOG:  ...", "ERROR:  ", "FATAL:  ", "PANIC:  " with or
 *           without a log_line_prefix;
 *   Redis   "1:M 07 Jul 2025 14:54:00.386 * ..." (marks . - * #);
 *   text    anything else, with a leading "INFO:"/"[error]"-style level
 *           word recognised when present.
 * Every pointer in struct wm_logline points into the caller's buffer, which
 * must outlive it.  The parser never reads past len, never relies on a NUL,
 * and accepts any bytes (invalid UTF-8, NULs) without failing.
 */
#ifndef WM_LOGLINE_H
#define WM_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wm_level {
	WM_LVL_UNKNOWN = 0,
	WM_LVL_TRACE,
	WM_LVL_DEBUG,
	WM_LVL_INFO,
	WM_LVL_WARN,
	WM_LVL_ERROR,
	WM_LVL_CRITICAL, /* critical, fatal, panic, emerg, alert; pino >= 60 */
	WM_LVL_COUNT
};

enum wm_logfmt {
	WM_LOGFMT_TEXT = 0,
	WM_LOGFMT_JSON,
	WM_LOGFMT_LOGFMT,
	WM_LOGFMT_NGINX_ACCESS,
	WM_LOGFMT_NGINX_ERROR,
	WM_LOGFMT_APACHE_ERROR,
	WM_LOGFMT_POSTGRES,
	WM_LOGFMT_REDIS,
};

/* Lines longer than this are cut here by readers (and counted as truncated). */
#define WM_LOGLINE_MAX (64 * 1024)

/* Parse options. */
#define WM_LOGLINE_COMPOSE 0x1 /* look for the `docker compose logs` prefix */
/* Only the level, message and time are wanted (wm-errors): a JSON line's
 * scan stops once they are known, so its status, method, path and ip stay
 * unset when they come after them. */
#define WM_LOGLINE_LAZY 0x2

struct wm_logline {
	int64_t ts_ms;	      /* Docker's timestamp, or the line's own, or -1 */
	int64_t docker_ts_ms; /* Docker's timestamp alone, or -1 */
	const char *service;  /* compose prefix name or the stream's service; NULL if none */
	size_t service_len;
	int level;	 /* enum wm_level: from the format, then from classify */
	bool structured; /* level came from the line's format, not from words */
	int format;	 /* enum wm_logfmt */
	const char *msg; /* the message: JSON message field, text after prefixes */
	size_t msg_len;
	bool msg_escaped;    /* msg is the inside of a JSON string (may hold \n, \") */
	bool msg_is_message; /* msg is a JSON "message" field (not "msg") */
	const char *text;    /* the line after the compose and Docker prefixes */
	size_t text_len;
	bool truncated; /* set by readers when the line was cut at WM_LOGLINE_MAX */
	/* nginx access log fields (format WM_LOGFMT_NGINX_ACCESS); for JSON lines
	 * status comes from statusCode/status when present.  0/NULL/-1 when absent. */
	int status;
	const char *ip;
	size_t ip_len;
	const char *method;
	size_t method_len;
	const char *path;
	size_t path_len;
	const char *agent; /* the user agent ($http_user_agent), as written */
	size_t agent_len;
	double request_time;	       /* seconds, -1 when absent */
	double upstream_response_time; /* seconds (sum of the list), -1 when absent */
	/* A zone name after the line's own time ("CET", "CST"): the name and
	 * that time read as if UTC, so that a configured meaning can replace
	 * the table's (wm_zone_overrides_apply).  With an ambiguous name (CST,
	 * IST, BST) ts_ms stays -1: the line has no time we can trust. */
	const char *zone;
	size_t zone_len;
	int64_t zone_local_ms;
};

/* Parse line[0..len) (no trailing newline; a trailing \r is ignored) into ll.
 * flags: WM_LOGLINE_COMPOSE.  Never fails: unknown shapes are WM_LOGFMT_TEXT. */
void wm_logline_parse(struct wm_logline *ll, const char *line, size_t len, unsigned flags);

/* What the lines of one stream share, remembered between them by
 * wm_logline_parse_memo: the last Docker timestamp's "YYYY-MM-DDTHH:MM" and its
 * unix ms, so that the next line of the same minute converts only its seconds;
 * the last plain compose prefix ("name  | ", no colour codes), so that the next
 * line starting with the same bytes takes its service and length from it.
 * Zero it before the first line.  The result is the same as without it. */
struct wm_logline_memo {
	char minute[16];
	int64_t minute_ms;
	bool valid;
	char prefix[64];
	size_t prefix_len; /* 0: none remembered */
	size_t service_len;
};

/* wm_logline_parse with a memo of the stream's previous lines (NULL: none). */
void wm_logline_parse_memo(struct wm_logline *ll, const char *line, size_t len, unsigned flags,
			   struct wm_logline_memo *memo);

/* The message as text: msg itself, or for msg_escaped its JSON-unescaped copy
 * in buf (at most cap-1 bytes, NUL-terminated).  Returns the length and sets
 * *out to the text (not NUL-terminated when it is msg itself). */
size_t wm_logline_message(const struct wm_logline *ll, char *buf, size_t cap, const char **out);

/* Copy line[0..n) to out (n bytes of room) without its ANSI escape
 * sequences (CSI "ESC [ ... final", and any other ESC with the byte after
 * it); from is where the first ESC is (bytes before it are copied as they
 * are).  Returns the new length. */
size_t wm_logline_strip_ansi(const char *line, size_t n, size_t from, char *out);

/* Copy s[0..n) to out as valid UTF-8 (invalid bytes become U+FFFD, NUL and
 * other C0 controls but \t become a space), at most cap-1 bytes, NUL-terminated.
 * Returns the length written. */
size_t wm_utf8_sanitize(const char *s, size_t n, char *out, size_t cap);

/* Is the compose name n[0..len) one of service svc's containers?  "svc",
 * "svc-2", "svc_1", "project-svc", "project-svc-1", "project_svc_1". */
bool wm_logline_service_is(const char *n, size_t len, const char *svc);

/* "unknown", "trace", "debug", "info", "warn", "error", "critical". */
const char *wm_level_name(int level);
/* Parse a level word (case-insensitive: "warning", "err", "fatal", "panic",
 * "emerg", "alert", "notice" ...) of n bytes; WM_LVL_UNKNOWN when not one. */
int wm_level_parse(const char *s, size_t n);
/* pino/bunyan numeric level (10 trace .. 60 fatal) to enum wm_level. */
int wm_level_from_number(double v);

/* Unix milliseconds of an RFC 3339 / ISO 8601 date-time ("2024-06-01T10:00:00.123Z",
 * "2025-12-31 09:12:04" = UTC, offsets +hh:mm/+hhmm also after a space, zone
 * abbreviations " CET", " AEST" from a table of the unambiguous ones).
 * Parses a prefix of s[0..n); returns the bytes consumed, 0 when it is not
 * one or its zone is ambiguous (" CST"). */
size_t wm_logline_parse_iso(const char *s, size_t n, int64_t *ms);

/* What ambiguous (or differently meant) zone names mean on this deployment:
 * [general] time_zones = "CST=-06:00, IST=+05:30". */
#define WM_ZONE_OVERRIDES_MAX 16
struct wm_zone_overrides {
	struct {
		char name[6];
		int off_min; /* minutes east of UTC */
	} v[WM_ZONE_OVERRIDES_MAX];
	size_t n;
};
struct wm_err;
/* Parse "NAME=+HH:MM, ..." (NAME one the table knows); -1 with err. */
int wm_zone_overrides_parse(struct wm_zone_overrides *z, const char *list, struct wm_err *err);
/* Give ll the time its zone name means in z (not when Docker's time rules);
 * true when it did. */
bool wm_zone_overrides_apply(const struct wm_zone_overrides *z, struct wm_logline *ll);

#endif
