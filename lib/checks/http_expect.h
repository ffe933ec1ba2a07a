/* http_expect.h - what an HTTP answer must show, judged one way for
 * wm-smoke's steps (smoke_expect.c) and wm-security's probes
 * (probe_judge.c): their [step NAME] and [probe NAME] sections share the
 * keys (warunginmon.conf(5)).  The set of statuses that pass, JSON fields
 * (a dotted path with [N], present or equal to a value), headers, a PCRE2
 * body pattern.  Pure: an answer in, a verdict out; each program words its
 * own messages.  The answer is hostile input: bounded paths, cJSON's own
 * limits, a pattern matched, never echoed.
 */
#ifndef WM_HTTP_EXPECT_H
#define WM_HTTP_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "clients/http.h"

/* Is status in the list text: items "200" or "2xx" (an x also in one place:
 * "40x"), separated by commas and blanks ("401, 4xx")?  An empty list: no. */
bool wm_expect_status_in(const char *list, long status);

/* The body parsed when it looks like JSON (an object or an array after
 * blanks), else NULL (caller frees with cJSON_Delete). */
cJSON *wm_expect_json_parse(const char *body, size_t len);
/* The node at path ("token", "$.data.items[0].id", "[0]"), or NULL; *bad
 * (may be NULL) set when the path itself does not parse. */
const cJSON *wm_expect_json_path(const cJSON *root, const char *path, bool *bad);
/* Does node equal text ("ok", "\"ok\"" (a string only), 200, true, null)? */
bool wm_expect_json_equals(const cJSON *node, const char *text);
/* A line "KEY<sep>VALUE" or "KEY" ("PATH = VALUE" of a JSON field, "Name:
 * value" of a header): key and value without surrounding blanks (value ""
 * and *has false without sep). */
void wm_expect_split(const char *line, char sep, char *key, size_t ksize, char *value, size_t vsize,
		     bool *has);

/* The value of the header named name[0..len) (any case) among h[0..nh), or
 * NULL. */
const char *wm_expect_header(const struct wm_http_header *h, size_t nh, const char *name,
			     size_t len);

/* Does the PCRE2 pattern compile?  0, or -1 with msg. */
int wm_expect_pattern_check(const char *pattern, char *msg, size_t size);
/* Does body[0..len) match pattern?  0 yes; 1 no, with msg ("the body (N
 * bytes) does not match 'P'"); -1 with msg when the pattern does not compile
 * or on ENOMEM. */
int wm_expect_body(const char *pattern, const char *body, size_t len, char *msg, size_t size);

#endif
