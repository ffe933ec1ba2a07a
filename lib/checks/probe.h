/* probe.h - wm-security's active probes: requests that a working
 * protection must refuse, sent through the target's base_url (lib/clients/
 * http.h over the session's tunnel), and the judging of their answers.
 *
 * Each probe ends in one of three ways (check "security.probe.NAME"):
 *   OK        refused as expected (status, JSON fields, headers);
 *   CRITICAL  it got through: "2FA enforcement failing: PUT /api/tenants/...
 *             answered 200, expected 403";
 *   UNKNOWN   it could not be run or judged: its account is not configured,
 *             the login for its token failed, the endpoint is down, the
 *             answer was 429 (rate limited), 404 or 5xx.
 * Passwords come from secrets files (0600); the token a probe logs in for is
 * used in one header and never said or printed; it is kept between runs only
 * in the caller's struct wm_probe_token (wm_security_check_opts.token: a
 * refused kept token, 401, logs in again once), otherwise wiped after use.
 *
 * The Warungin defaults (warunginmon.conf(5), [security]):
 *   no-token     GET /api/orders without a token: 401
 *   2fa          PUT /api/tenants/<random uuid> {} as admin_user (an admin
 *                without 2FA): 403 with requires2FA = true; a random tenant
 *                id and an empty body, so nothing is written even when the
 *                guard is broken
 *   store-less   POST /api/auth/login as storeless_user (a cashier without a
 *                store): 403 before any token exists
 *   store-guard  GET /api/orders?storeId=<other_store_id> as supervisor_user:
 *                403 with code = STORE_ACCESS_DENIED
 *   rate-limit   (opt-in) up to rate_limit_attempts failed logins: a 429
 *   headers      GET / : the headers of [security] headers
 */
#ifndef WM_PROBE_H
#define WM_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/checks.h"
#include "clients/http.h"

#define WM_PROBE_BODY_MAX (64u << 10) /* bytes of an answer kept and judged */
#define WM_PROBE_MAX 32
#define WM_PROBE_NHDR 4	 /* request headers of a [probe] section */
#define WM_PROBE_NJSON 4 /* expect_json lines of a [probe] section */
#define WM_PROBE_HEADERS                                                                           \
	"X-Content-Type-Options, X-Frame-Options | Content-Security-Policy: frame-ancestors, "     \
	"Referrer-Policy"
#define WM_PROBE_RATE_ATTEMPTS 21 /* Warungin's limit is 20 failures in 15 min */

/* One probe, as built from the defaults or a [probe NAME] section. */
struct wm_probe {
	char name[64];
	char protection[96];
	char method[16];
	char url[512];			 /* a path below base_url, or an absolute URL */
	char body[512];			 /* {{user}} {{password}}: the account's, JSON-escaped */
	char header[WM_PROBE_NHDR][256]; /* extra request headers, "" ends them */
	char status[64];		 /* statuses that pass: "401", "4xx", "401, 403" */
	char json[WM_PROBE_NJSON][128];	 /* "PATH = VALUE" or "PATH" the answer must show */
	char headers[512];	 /* required headers: "A, B | C: text" (the headers probe) */
	char body_pattern[256];	 /* a PCRE2 pattern the body must match ([probe] expect_body) */
	char user[128];		 /* the account, or "" */
	char password_file[256]; /* its password's secrets file, or "" */
	char body_file[256];	 /* a secrets file holding the body, or "" */
	int64_t max_ms;		 /* the longest its answer may take; -1: the session's */
	bool login;		 /* log in as user first, send the token */
	bool needs_user;	 /* cannot run without user and password_file */
	bool enabled;
	unsigned attempts;	  /* send up to this many times until the status passes */
	char not_configured[160]; /* what to set when it cannot run */
};

/* Judge one answer (pure, over http_expect.h; tests/fuzz/fuzz_probe.c).  0:
 * refused as expected; 1: got through (why says how); 2: cannot be judged
 * (why: 429, 404, 5xx, a token refused, a body pattern that does not
 * compile).  why gets a short reason without the body. */
int wm_probe_judge(const struct wm_probe *p, long status, const struct wm_http_header *h, size_t nh,
		   const char *body, size_t len, char *why, size_t size);

/* The probes of the configuration of s: the Warungin defaults (each
 * replaced by a [probe NAME] of its name), then the other [probe NAME]
 * sections.  *n probes into v (at most WM_PROBE_MAX).  -1 with err on a
 * configuration the probes cannot use. */
int wm_probes_load(struct wm_session *s, struct wm_probe *v, size_t *n, struct wm_err *err);

/* Run the probes o selects into r: a check per probe and
 * "security.probes"; *failures the probes that got through.  -1: ENOMEM. */
int wm_probes_run(struct wm_session *s, const struct wm_security_check_opts *o, struct wm_result *r,
		  uint64_t *failures);

#endif
