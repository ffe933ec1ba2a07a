/* accesslog.h - nginx access-log lines, read by the log_format that wrote them.
 *
 * The format is nginx's own `log_format` text ('$remote_addr - $remote_user
 * [$time_local] "$request" $status ...'), compiled once into literals and
 * variables, so a deployment with its own field order or extra fields is
 * configured by pasting its log_format (the "field positions").  Each value
 * ends where the literal that follows it in the format starts: nginx escapes
 * '"', '\' and control bytes in variables as \xHH (escape=default), so a quoted
 * value cannot contain its closing quote.
 *
 * A line may stop early at an item boundary (a combined line read with the
 * world's format, which has more fields): it still parses when $status was
 * read, with the missing fields absent.  Text after the last item is ignored.
 *
 * The default format, WM_ACCESSLOG_WORLD, is the test world's and the common
 * "timed" one; it also reads the built-in combined and the Docker image's main
 * (combined + "$http_x_forwarded_for") by the rule above.
 *
 * Every pointer of struct wm_accesslog_entry points into the caller's line,
 * which must outlive it.  The parser reads no byte past len, needs no NUL,
 * allocates nothing and costs one pass over the line (memchr/memcmp).
 */
#ifndef WM_ACCESSLOG_H
#define WM_ACCESSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_ACCESSLOG_COMBINED                                                                      \
	"$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "         \
	"\"$http_referer\" \"$http_user_agent\""
#define WM_ACCESSLOG_MAIN WM_ACCESSLOG_COMBINED " \"$http_x_forwarded_for\""
/* tests/world/world's nginx, and the nginx blog's "timed" pattern */
#define WM_ACCESSLOG_WORLD                                                                         \
	WM_ACCESSLOG_MAIN " rt=$request_time uct=\"$upstream_connect_time\" "                      \
			  "urt=\"$upstream_response_time\""

#define WM_ACCESSLOG_MAX_ITEMS 48 /* literals + variables of one format */
#define WM_ACCESSLOG_LIT_MAX 32	  /* bytes of one literal */

/* The variables understood; any other $name is read and skipped. */
enum wm_accesslog_var {
	WM_ALV_OTHER = 0,
	WM_ALV_REMOTE_ADDR,
	WM_ALV_REMOTE_USER,
	WM_ALV_TIME_LOCAL,   /* 01/May/2025:01:52:14 +0000 */
	WM_ALV_TIME_ISO8601, /* 2025-05-01T01:52:14+00:00 */
	WM_ALV_MSEC,	     /* 1746064334.123 */
	WM_ALV_REQUEST,	     /* GET /path?q HTTP/1.1 */
	WM_ALV_METHOD,	     /* $request_method */
	WM_ALV_URI,	     /* $request_uri (with query) */
	WM_ALV_PATH,	     /* $uri (without query) */
	WM_ALV_ARGS,	     /* $args, $query_string */
	WM_ALV_STATUS,
	WM_ALV_BYTES, /* $body_bytes_sent, $bytes_sent */
	WM_ALV_REFERER,
	WM_ALV_USER_AGENT,
	WM_ALV_XFF,
	WM_ALV_REQUEST_TIME,
	WM_ALV_UPSTREAM_TIME,
};

struct wm_accesslog_item {
	bool var;
	unsigned char which; /* enum wm_accesslog_var when var */
	unsigned char len;   /* literal length when !var */
	char lit[WM_ACCESSLOG_LIT_MAX];
};

struct wm_accesslog_format {
	struct wm_accesslog_item item[WM_ACCESSLOG_MAX_ITEMS];
	size_t n;
};

/* A text value: NULL/0 when the field is absent or nginx's "-". */
struct wm_al_str {
	const char *p;
	size_t len;
};

struct wm_accesslog_entry {
	struct wm_al_str addr; /* $remote_addr */
	struct wm_al_str user;
	int64_t ts_ms;				     /* -1 when absent */
	struct wm_al_str method, path, query, proto; /* query: after '?', without it */
	int status;				     /* 0 when absent */
	int64_t bytes;				     /* -1 when absent */
	struct wm_al_str referer, agent, xff;
	double request_time;  /* seconds, -1 when absent */
	double upstream_time; /* seconds, the sum of "0.002, 0.004 : 0.010"; -1 when absent */
	bool partial;	      /* the line stopped before the format's end */
};

/* Compile an nginx log_format text (the quotes of the config file removed,
 * its pieces joined).  -1 with err on a format we cannot read (no variable,
 * too many items, a literal longer than WM_ACCESSLOG_LIT_MAX, a $ without a
 * name, no $status). */
int wm_accesslog_format_parse(struct wm_accesslog_format *f, const char *spec, struct wm_err *err);

/* Parse line[0..len) (a trailing \r ignored); false when it is not a line of
 * format f (e is then unspecified). */
bool wm_accesslog_parse(const struct wm_accesslog_format *f, struct wm_accesslog_entry *e,
			const char *line, size_t len);

/* Seconds of an nginx time list ("0.047", "0.002, 0.004 : 0.010" summed);
 * -1 for "-" or nothing numeric. */
double wm_accesslog_seconds(const char *s, size_t n);

/* The client's address: walking X-Forwarded-For from the right (the entry
 * the nearest proxy wrote) past trusted proxies, then $remote_addr.  With
 * trust_private, loopback, RFC 1918, link-local, CGNAT and IPv6 ULA addresses
 * are trusted proxies (a deployment behind its own reverse proxy); without it
 * only $remote_addr counts, since X-Forwarded-For is whatever the client sent. */
struct wm_al_str wm_accesslog_client(const struct wm_accesslog_entry *e, bool trust_private);

/* Is a request with user agent agent[0..len) one of the suite's own
 * (session/session.h wm_session_self_mark)?  True when the agent holds mark,
 * "wm-self=TOKEN"; false for a NULL or empty mark.  A client that calls
 * itself "warunginmon" without the token is not ours. */
bool wm_accesslog_self(const char *agent, size_t len, const char *mark);

/* Is s[0..n) a loopback/private/link-local/CGNAT/ULA address? */
bool wm_accesslog_private(const char *s, size_t n);

#endif
