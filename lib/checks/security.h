/* security.h - the log analyzer behind wm-security (and wm-run's security checks).
 *
 * Plugged into the log stream shared with wm-errors, it reads two kinds of
 * lines: nginx access lines (by the configured log_format, lib/logs/accesslog.h),
 * which carry status, path, query and the client's address; and the
 * backend's JSON lines (research/warungin.md §2-5), which carry messages and
 * accounts but no address and, except for errors, no status.  From them:
 *
 *   2FA        "2FA required but not enabled for admin role" (the guard
 *              refusing), "2FA enabled successfully", 401s on /api/2fa/verify
 *              (bad codes);
 *   auth       401 and 403 answers by status, path and client (nginx), and by
 *              message and account (backend: statusCode 401/403, "Auth route
 *              error [LOGIN]", "Unauthorized: ...", "Forbidden: ...",
 *              STORE_NOT_ASSIGNED);
 *   store      "Supervisor store access denied", "Supervisor bulk operation
 *              denied", STORE_ACCESS_DENIED;
 *   rate limit 429 answers, "Too many login attempts", "Rate limit exceeded";
 *   brute force  brute_fails failed logins (401/429 on a login path) from one
 *              client within brute_window_s; from the backend alone (no
 *              address) the same per account;
 *   attacks    SQL injection, traversal, script injection, command injection
 *              and scanner paths in the request target (percent-decoded),
 *              above all those answered 2xx by the backend;
 *   words      "vulnerability", "breach", "exploit" as whole words in
 *              non-access lines (the runbook's grep, word-bounded).
 *
 * Violations (what wm-report's "zero security violations" reads): a brute
 * force, an attack-shaped request the backend answered 2xx, an intrusion word
 * (and, from wm-security's probes, a probe that got through).  401s and 403s
 * alone are the protections working: counted and shown, WARNING only above
 * denied_warn_per_h.  A 2xx with no upstream time ($upstream_response_time
 * "-") was answered by nginx itself (a SPA's index.html fallback for
 * /.env): counted apart, not a violation.
 *
 * Memory is bounded: every table keeps at most `slots` keys (the least
 * counted one sampled and replaced when full, in the style of space-saving),
 * and the account/address join keeps the last WM_SECURITY_JOIN events.
 * Accounts are kept masked ("a***@warungin.com"), never in clear.
 */
#ifndef WM_SECURITY_H
#define WM_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logs/logstream.h"
#include "model/result.h"

/* Defaults (man/warunginmon.conf.5, [security]). */
#define WM_SECURITY_BRUTE_FAILS 10	      /* failed logins from one client ... */
#define WM_SECURITY_BRUTE_WINDOW_S 300	      /* ... within 5 minutes: a brute force */
#define WM_SECURITY_DENIED_WARN_PER_H 100     /* 401+403 per hour above which WARNING */
#define WM_SECURITY_TOP 10		      /* rows per table in the output */
#define WM_SECURITY_SLOTS 1024		      /* keys kept per table */
#define WM_SECURITY_BRUTE_FAILS_MAX 1000      /* bound on brute_fails (memory) */
#define WM_SECURITY_JOIN 1024		      /* failed-login events kept for the join */
#define WM_SECURITY_ACCESS_SERVICE "nginx"    /* whose logs are nginx's access log */
#define WM_SECURITY_BACKEND_SERVICE "backend" /* whose logs are the backend's JSON */
#define WM_SECURITY_LOGIN_PATHS "/api/auth/login,/api/2fa/verify"
#define WM_SECURITY_WORDS "vulnerability,breach,exploit"
#define WM_SECURITY_SCANNER_PATHS                                                                  \
	"/.env,/.git/,/wp-login.php,/wp-admin,/xmlrpc.php,/phpmyadmin,/pma/,/.aws/,"               \
	"/server-status,/vendor/phpunit,/cgi-bin/,/shell.php,/actuator,/.ds_store,/.htaccess,"     \
	"/config.php,/boaform/,/hnap1"
#define WM_SECURITY_2FA_VERIFY "/api/2fa/verify"

struct wm_security_opts {
	const char *access_format; /* nginx log_format; NULL: WM_ACCESSLOG_WORLD */
	bool no_trust_private;	   /* X-Forwarded-For is never trusted (default: behind
				      private proxies it is, lib/logs/accesslog.h) */
	unsigned brute_fails;	   /* 0: WM_SECURITY_BRUTE_FAILS */
	unsigned brute_window_s;   /* 0: WM_SECURITY_BRUTE_WINDOW_S */
	double denied_warn_per_h;  /* 0: WM_SECURITY_DENIED_WARN_PER_H; <0: never */
	const char *login_paths;   /* comma list; NULL: WM_SECURITY_LOGIN_PATHS */
	const char *scanner_paths; /* comma list of prefixes; NULL: the default */
	const char *words;	   /* comma list; NULL: WM_SECURITY_WORDS; "": none */
	size_t top;		   /* 0: WM_SECURITY_TOP */
	size_t slots;		   /* 0: WM_SECURITY_SLOTS */
	int64_t window_ms;	   /* the window's length for rates; 0: the lines' span */
	unsigned expect;	   /* WM_SECURITY_EXPECT_* the caller reads; 0: either */
	const char *self_mark;	   /* access lines whose user agent holds it are the
				      suite's own (wm_session_self_mark; borrowed):
				      counted in self_lines, nothing else */
};

/* The sources a caller says it reads (opts.expect).  security.violations is
 * UNKNOWN "no lines read from SOURCE" when an expected source gave no line
 * (an absent log is not "no violation"); with expect 0 only when neither
 * gave one. */
#define WM_SECURITY_EXPECT_ACCESS 1u  /* nginx access lines */
#define WM_SECURITY_EXPECT_BACKEND 2u /* the backend's JSON lines */

/* Attack shapes of a request target. */
enum wm_attack {
	WM_ATTACK_SQLI = 0,
	WM_ATTACK_TRAVERSAL,
	WM_ATTACK_XSS,
	WM_ATTACK_CMD,
	WM_ATTACK_SCANNER,
	WM_ATTACK_COUNT
};

/* What was counted; the tables are read with wm_security_table. */
struct wm_security_counts {
	uint64_t access_lines, backend_lines, other_lines;
	uint64_t self_lines; /* access lines of the suite's own requests (opts.self_mark) */
	uint64_t unauthorized, forbidden;		  /* nginx 401, 403 */
	uint64_t backend_unauthorized, backend_forbidden; /* backend lines */
	uint64_t login_failed;				  /* backend failed logins */
	uint64_t store_not_assigned;
	uint64_t store_denied, store_bulk_denied, store_code; /* guard lines; code only */
	uint64_t rate_limited, backend_rate_limited;	      /* nginx 429; backend lines */
	uint64_t tfa_required, tfa_enabled, tfa_verify_failed;
	uint64_t attacks[WM_ATTACK_COUNT];
	uint64_t attacks_2xx[WM_ATTACK_COUNT];	  /* answered 2xx by the backend */
	uint64_t attacks_static[WM_ATTACK_COUNT]; /* 2xx by nginx itself */
	uint64_t words;
	uint64_t brute_forces;	 /* clients over the brute-force limit */
	uint64_t brute_accounts; /* accounts over it (backend lines; a violation only
				    when there are no access lines to name the client) */
	int64_t first_ms, last_ms;
};

enum wm_security_table {
	WM_SECT_DENIED_PATH = 0, /* "401 GET /api/x" */
	WM_SECT_DENIED_CLIENT,	 /* client address of 401/403 */
	WM_SECT_MESSAGE,	 /* backend auth/store/2FA messages */
	WM_SECT_ACCOUNT,	 /* masked accounts of failed logins */
	WM_SECT_ATTACK,		 /* "sqli GET /path" */
	WM_SECT_ATTACK_CLIENT,	 /* client address of attack-shaped requests */
	WM_SECT_WORD,		 /* intrusion words with the message signature */
	WM_SECT_COUNT
};

struct wm_security_row {
	const char *key;
	uint64_t count;
	uint64_t count_2xx; /* attack rows: answered 2xx */
	int64_t first_ms, last_ms;
};

/* A brute force: a client (or account) over the limit. */
struct wm_security_brute {
	const char *who;     /* address, or masked account */
	bool account;	     /* from the backend alone: who is an account */
	uint64_t failures;   /* failed logins in all */
	uint64_t max_window; /* the most in one brute_window_s */
	int64_t first_ms, last_ms;
};

struct wm_security;

/* NULL when out of memory or when access_format does not compile (err). */
struct wm_security *wm_security_new(const struct wm_security_opts *o, struct wm_err *err);
void wm_security_free(struct wm_security *s);
const struct wm_security_opts *wm_security_options(const struct wm_security *s);
struct wm_log_analyzer wm_security_analyzer(struct wm_security *s);
const struct wm_security_counts *wm_security_counts(const struct wm_security *s);
/* The top rows of a table, most counted first (at most opts.top); malloc'd. */
struct wm_security_row *wm_security_table(const struct wm_security *s, int table, size_t *n);
/* The brute forces detected (malloc'd, *n). */
struct wm_security_brute *wm_security_brutes(const struct wm_security *s, size_t *n);
/* The masked accounts that failed while brute force b went on (the join by
 * time: failed-login lines of the backend within [first-1 s, last+1 s];
 * *ambiguous when another client failed logins in that span too, so the
 * accounts may be theirs).  Masked strings in out[0..cap), returns how many. */
size_t wm_security_brute_accounts(const struct wm_security *s, const struct wm_security_brute *b,
				  char (*out)[64], size_t cap, bool *ambiguous);

/* Threshold lookup like wm_errors_threshold_fn (service NULL). */
typedef const char *(*wm_security_threshold_fn)(void *arg, const char *metric, bool critical);

/* Add the checks security.violations, security.auth, security.2fa,
 * security.store_guard, security.rate_limit, security.brute_force,
 * security.attacks, security.words to r.  window names the window ("in 1h").
 * security.violations is UNKNOWN when an expected source gave no line
 * (opts.expect).  -1 on ENOMEM. */
int wm_security_report(struct wm_security *s, struct wm_result *r, const char *window,
		       wm_security_threshold_fn fn, void *arg);

/* ---- the matchers, pure (security_match.c) ---- */

/* Attack shapes of a request target (path and query, raw): a bit per enum
 * wm_attack.  scanner: comma list of path prefixes (NULL: the default). */
unsigned wm_security_attack_shape(const char *target, size_t n, const char *scanner);
/* "attack" names: "sqli", "traversal", "xss", "cmd", "scanner". */
const char *wm_attack_name(int a);
/* Does text contain one of the comma-listed words as a whole word
 * (case-insensitive; a word character is a letter, digit or '_')?  The word
 * found in *word (NULL allowed). */
bool wm_security_word(const char *text, size_t n, const char *words, const char **word,
		      size_t *word_len);
/* "admin@warungin.com" -> "a***@warungin.com"; no '@': "a***". */
void wm_security_mask_email(const char *s, size_t n, char *out, size_t cap);
/* Is path[0..n) (query excluded) one of the comma-listed paths (a trailing
 * '/' ignored)? */
bool wm_security_path_in(const char *path, size_t n, const char *list);

#endif
