/* conf_sections.h - the configuration of the programs still to come, read
 * once here so that each does not invent its own (warunginmon.conf(5)):
 *
 *   [probe NAME]     an HTTP expectation of wm-security ("an API call without
 *                    a token must get 401")
 *   [step NAME]      a chained smoke step of wm-smoke, with captures
 *   [role NAME]      an escalation role: who, how fast, for what
 *   [approver NAME]  a sign-off role of the go-live approval
 *   [general] state_dir
 *
 * Values were checked when the file was loaded (methods, statuses, levels,
 * captures, durations); these accessors only gather them.  Every string is
 * owned by the returned array; free it with the matching _free.
 */
#ifndef WM_CONF_SECTIONS_H
#define WM_CONF_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "base/err.h"

struct wm_schedule;

/* wm-run's plan: the runbook's (model/schedule.h) with every [tier NAME]
 * section applied over it (at, checks, window, grace; a new tier needs at
 * and checks).  0, or -1 with err ("FILE:LINE: [tier NAME]: why"); plan is
 * then half-made: configure a scratch copy. */
int wm_config_plan(const struct wm_config *cfg, struct wm_schedule *plan, struct wm_err *err);

/* "capture NAME = json:PATH" or "= header:NAME" of a step. */
struct wm_capture {
	char *name;
	bool header; /* from a header of the answer, else from its JSON */
	char *from;  /* the JSON path ("token", "data.items[0].id") or header name */
};

/* An HTTP exchange and what its answer must show: a [probe] or a [step]. */
struct wm_http_spec {
	char *name;	/* NAME of the section */
	int line;	/* where the section starts, for messages */
	char *method;	/* default "GET" */
	char *url;	/* a path below base_url ("/api/x") or an absolute URL */
	char **headers; /* "Name: value", {{capture}} allowed */
	size_t nheaders;
	char *body;		/* NULL: none */
	char *body_file;	/* a file whose text is the body (0600 when it holds secrets) */
	char *credentials_file; /* a secret file (wm_secret_read) the program logs in with */
	char **expect_status;	/* "200", "401", "2xx"; none: any 2xx */
	size_t nexpect_status;
	char **expect_headers; /* "Name" (present) or "Name: value" (equal) */
	size_t nexpect_headers;
	char **expect_json; /* "PATH" (exists) or "PATH = VALUE" (equal) */
	size_t nexpect_json;
	char *expect_body;   /* a PCRE2 pattern the body must match, or NULL */
	int64_t max_time_ms; /* -1: the program's default ([smoke] timeout) */
	/* [probe] only */
	char *protection; /* named in the CRITICAL line ("2FA enforcement") */
	bool enabled;	  /* default yes; a costly probe is opt-in */
	/* [step] only */
	struct wm_capture *captures;
	size_t ncaptures;
	char **after; /* steps that must run (and pass) first */
	size_t nafter;
	bool direct; /* not through the target's tunnel */
	char *type;  /* "http" (default), "db" or "cache" (wm-smoke's probes) */
	char *user;  /* the account of credentials_file, {{user}}; NULL: none */
};

/* The [probe NAME] / [step NAME] sections in file order (*n = 0 when none:
 * the program's defaults apply).  Steps: an "after" naming no step, or a
 * cycle of "after", is WM_ECONFIG.  Returns 0, or -1 with err. */
int wm_config_probes(const struct wm_config *cfg, struct wm_http_spec **out, size_t *n,
		     struct wm_err *err);
int wm_config_steps(const struct wm_config *cfg, struct wm_http_spec **out, size_t *n,
		    struct wm_err *err);
void wm_http_specs_free(struct wm_http_spec *v, size_t n);

/* A repeatable key of section (header, expect_json: one item per line of
 * the file) as a NULL-terminated array for wm_config_list_free (NULL, 0
 * when unset).  0, or -1 on ENOMEM. */
int wm_config_lines(const struct wm_config *cfg, const char *section, const char *key, char ***out,
		    size_t *n);

/* [role NAME]: an escalation role (the runbook: on-call first, then the
 * tech lead, security lead, CTO; the database admin, frontend lead). */
struct wm_role {
	char *name;	 /* "oncall", "tech_lead" */
	char *title;	 /* "Primary on-call"; default: the name */
	int level;	 /* place in the escalation chain, 1 first; 0 unset */
	char **contacts; /* addresses, phone numbers */
	size_t ncontacts;
	int64_t response_ms; /* the time to answer; 0 = immediately; -1 unset */
	char **handles;	     /* what it is escalated for: areas ("db") or checks */
	size_t nhandles;
	char *command; /* NULL: [escalation] command */
};

/* [approver NAME]: a sign-off role of the approval (tech lead, security lead,
 * QA lead, product manager). */
struct wm_approver {
	char *name;
	char *title; /* default: the name */
	char **contacts;
	size_t ncontacts;
	char **signs_for; /* what the role confirms: areas or words */
	size_t nsigns_for;
	bool required; /* default yes */
};

/* In file order; roles sorted by level (unset last), keeping file order
 * within a level.  Returns 0, or -1 (WM_ENOMEM). */
int wm_config_roles(const struct wm_config *cfg, struct wm_role **out, size_t *n,
		    struct wm_err *err);
void wm_roles_free(struct wm_role *v, size_t n);
int wm_config_approvers(const struct wm_config *cfg, struct wm_approver **out, size_t *n,
			struct wm_err *err);
void wm_approvers_free(struct wm_approver *v, size_t n);

/* Where a setting came from. */
enum wm_origin { WM_FROM_DEFAULT, WM_FROM_ENV, WM_FROM_FILE, WM_FROM_CLI };

/* The state directory (not created): $WM_STATE_DIR, else [general] state_dir
 * (~/ expanded), else $XDG_STATE_HOME/warunginmon, /var/lib/warunginmon for
 * root, ~/.local/state/warunginmon.  from (may be NULL) says which.  Returns
 * 0, or -1 with err (too long; no HOME for the default). */
int wm_config_state_dir(const struct wm_config *cfg, char *buf, size_t len, enum wm_origin *from,
			struct wm_err *err);

#endif
