/* smoke.h - wm-smoke's functional spot checks as timed, chained steps.
 *
 * The runbook's spot checks every 4 hours were a curl login with a literal
 * password, `sudo psql` for a table count, `redis-cli GET test_key || echo
 * 'Cache operational'` (which says "operational" whatever happens), `curl -I
 * /` and `curl /api/health`.  Here each is a step: an HTTP request and what
 * its answer must show (the [step NAME] sections of warunginmon.conf(5), or
 * the Warungin defaults below), or the wm-db / wm-cache probe through the
 * session's tunnels.
 *
 * Chaining (after Hurl's captures): a step keeps values of its answer
 * (capture NAME = json:PATH or header:NAME) that later steps use as
 * {{NAME}} in their url, headers and body.  A step depends on the steps whose
 * captures it uses and on those it names in `after`; the plan runs every step
 * after its dependencies (file order otherwise), and a step whose dependency
 * did not pass is reported "not run: login failed", not as a second failure.
 *
 * Secrets: the password of a credentials_file (a secrets file, 0600) is
 * {{password}} and the step's `user` {{user}} within that step only; a step
 * with credentials and no body sends {"email":"{{user}}","password":
 * "{{password}}"} (Warungin's login).  Every captured value and the password
 * are masked in whatever the unit says (wm_smoke_mask).
 *
 * This header: the plan (pure: built and checked from the specs), the
 * expansion of {{NAME}}, the judging of an answer and the captures (pure,
 * tested with fixtures), and the check unit's opts (checks.h).
 */
#ifndef WM_SMOKE_H
#define WM_SMOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "clients/http.h"
#include "conf/conf.h"
#include "conf/conf_sections.h"

#define WM_SMOKE_TIMEOUT_MS 10000	     /* a step's request without [smoke] timeout */
#define WM_SMOKE_BASE_URL "http://127.0.0.1" /* a target without base_url */
#define WM_SMOKE_VARS_MAX 64		     /* captures of one run */
#define WM_SMOKE_MASK_MIN 6		     /* captured values this long or longer are masked */

enum wm_step_type { WM_STEP_HTTP, WM_STEP_DB, WM_STEP_CACHE };

struct wm_smoke_step {
	struct wm_http_spec *spec; /* in the plan's specs */
	enum wm_step_type type;
	size_t *deps; /* the steps it needs directly: indexes into the plan's steps */
	size_t ndeps;
	bool run;	    /* selected (all, or --step and what it needs) */
	const char *cannot; /* why it cannot run (a default login without an
			       account), or NULL */
};

struct wm_smoke_plan {
	struct wm_http_spec *specs; /* owned, in file order */
	size_t nspecs;
	struct wm_smoke_step *steps; /* run order: every step after its dependencies */
	size_t n;
	bool defaults; /* the built-in Warungin steps */
};

/* The plan of specs (taken over: freed with the plan, also on failure;
 * file names the configuration in messages, "FILE:LINE: [step x]: ...";
 * NULL: none):
 * types, users, patterns and JSON paths checked, {{NAME}} resolved to the
 * step that captures NAME, dependencies ordered.  WM_ECONFIG naming the
 * step: an unknown type, a {{NAME}} nobody captures, a name captured twice,
 * an `after` naming no step, a cycle, a bad pattern or path, an HTTP step
 * without url, a db/cache step with one.  0, or -1 with err. */
int wm_smoke_plan_build(struct wm_smoke_plan *p, struct wm_http_spec *specs, size_t n,
			const char *file, struct wm_err *err);
/* The [step NAME] sections of cfg, or when there is none the Warungin
 * defaults (login with [smoke] login_user and login_password_file, an
 * authenticated request with its token, /api/health, nginx's /health, the
 * frontend's root element, the database and cache probes). */
int wm_smoke_plan_load(const struct wm_config *cfg, struct wm_smoke_plan *p, struct wm_err *err);
/* Run only the steps named and those they need (none given: all).  An
 * unknown name is WM_EINVAL listing the plan's steps. */
int wm_smoke_plan_select(struct wm_smoke_plan *p, const char *const *names, size_t n,
			 struct wm_err *err);
void wm_smoke_plan_free(struct wm_smoke_plan *p);
/* Step k of the plan in one line for --list: "POST /api/auth/login;
 * expects status 200, JSON token; captures token; needs login". */
void wm_smoke_step_describe(const struct wm_smoke_plan *p, size_t k, char *buf, size_t size);
/* The step named name, or NULL. */
const struct wm_smoke_step *wm_smoke_plan_find(const struct wm_smoke_plan *p, const char *name);

/* The next {{NAME}} in text from *pos: true with the name's start and
 * length, *pos moved past it; false when there is none.  NAME is made of
 * letters, digits, '.', '_', '-' (blanks inside the braces allowed); other
 * braces are text. */
bool wm_smoke_ref_next(const char **pos, const char **name, size_t *len);

/* The values {{NAME}} stands for in one run, and how they are masked in
 * output: never (an account name), when at least WM_SMOKE_MASK_MIN bytes
 * long (a captured token, not a captured "1"), always (a password). */
enum wm_smoke_mask { WM_MASK_NEVER, WM_MASK_LONG, WM_MASK_ALWAYS };
struct wm_smoke_var {
	char *name, *value;
	enum wm_smoke_mask mask;
};
struct wm_smoke_vars {
	struct wm_smoke_var v[WM_SMOKE_VARS_MAX];
	size_t n;
};
/* Set (copy) name = value, replacing an earlier value (the stricter mask
 * stays).  -1 when full or out of memory. */
int wm_smoke_vars_set(struct wm_smoke_vars *v, const char *name, const char *value,
		      enum wm_smoke_mask mask);
const char *wm_smoke_vars_get(const struct wm_smoke_vars *v, const char *name, size_t len);
void wm_smoke_vars_free(struct wm_smoke_vars *v);
/* text with every {{NAME}} replaced by its value, JSON-string-escaped when
 * json (a JSON body).  NULL with err: WM_ENOTFOUND naming a NAME without a
 * value, WM_ENOMEM. */
char *wm_smoke_expand(const char *text, const struct wm_smoke_vars *v, bool json,
		      struct wm_err *err);
/* A copy of text for output: every value of v replaced by "***" as its
 * mask says, then wm_redact (Authorization, cookies, password=...).  NULL
 * on ENOMEM. */
char *wm_smoke_mask(const char *text, const struct wm_smoke_vars *v);
/* The same in place, into a buffer of size bytes. */
void wm_smoke_mask_buf(char *buf, size_t size, const struct wm_smoke_vars *v);

/* Judging an answer (smoke_expect.c, over http_expect.h, which
 * wm-security's probes share).  json: the body parsed (NULL when it is not
 * JSON); wm_smoke_json parses it when it looks like JSON. */
cJSON *wm_smoke_json(const struct wm_http_resp *resp);
/* Is status in set ("200", "2xx"); an empty set: any 2xx. */
bool wm_smoke_status_ok(char *const *set, size_t n, long status);
/* Check an expect_json line ("PATH" or "PATH = VALUE") without an answer:
 * 0, or -1 with msg. */
int wm_smoke_expect_json_check(const char *line, char *msg, size_t size);
/* Whether the answer shows what spec expects (status, headers, JSON, body
 * pattern; not the time): 0 when it does, 1 with the first failure in
 * reason ("expected status 200, got 401: Password salah"), -1 on ENOMEM or
 * a pattern that does not compile (reason says). */
int wm_smoke_judge(const struct wm_http_spec *spec, const struct wm_http_resp *resp,
		   const cJSON *json, char *reason, size_t size);
/* The value capture c takes from the answer: 0 with *value (caller frees),
 * 1 with reason when it is not there, -1 on ENOMEM. */
int wm_smoke_capture(const struct wm_capture *c, const struct wm_http_resp *resp, const cJSON *json,
		     char **value, char *reason, size_t size);
/* Does the PCRE2 pattern compile?  0, or -1 with msg. */
int wm_smoke_pattern_check(const char *pattern, char *msg, size_t size);

#endif
