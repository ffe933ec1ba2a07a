/* conf.h - the configuration file: targets, endpoints, thresholds, secrets.
 *
 * (Named conf.h, not config.h: lib/config.h would shadow autoconf's config.h
 * for every lib/X.c, since "" includes search the including file's directory
 * first.)
 *
 * INI (libinih).  Search order (DESIGN §3): the explicit path (--config), then
 * $WM_CONFIG, then $XDG_CONFIG_HOME/warunginmon/config (or
 * ~/.config/warunginmon/config), then SYSCONFDIR/warunginmon/config (that is
 * /etc/warunginmon/config as packaged).  An explicit path or $WM_CONFIG that
 * does not exist is an error; no file anywhere is not: the built-in target
 * "local" (this host, compose project = basename of the current directory) is
 * used.  A world-writable file is loaded with a warning.
 *
 * Sections: [general], [thresholds], [target NAME] (any number; NAME made of
 * letters, digits, '.', '_', '-'), [smoke], [security], [escalation],
 * [errors NAME], and for the next programs [probe NAME], [step NAME],
 * [role NAME], [approver NAME] (read through conf_sections.h).  The known
 * keys are a table in conf_keys.c; a program that needs a new section adds a
 * row there.  Unknown sections and keys are not
 * fatal: they are collected as warnings for the program to print.  Lists are
 * separated by commas and/or blanks; a repeated list key adds to the list.  An
 * indented line continues the previous value (lines hold at most 198
 * characters); any other repeated key: the last one wins.  ~/ in path keys is
 * the home directory.  The annotated example: contrib/warunginmon.conf.example.
 *
 * Precedence: command line > environment > file > defaults.  Environment
 * variables read by this module (applied at load time):
 *   WM_CONFIG             the configuration file
 *   WM_TARGET             the target when none is named on the command line
 *   DOCKER_HOST           docker socket of local targets ("unix:///path")
 *   COMPOSE_PROJECT_NAME  compose project of local targets
 *   WM_REDIS              redis endpoint of every target (host:port or socket path)
 *   WM_POSTGRES           postgres conninfo of every target
 *   WM_BASE_URL           base URL of every target
 *   WM_METRICS_URL        application metrics URL of every target
 * and by wm_secret_get callers (after the *_file setting): WM_REDIS_PASSWORD,
 * PGPASSWORD.  The command line is applied by the program on a copy
 * (wm_target_dup, wm_target_from_hostspec).  Secrets never come from the
 * command line.
 */
#ifndef WM_CONF_H
#define WM_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Default location of the system-wide file (configure's sysconfdir). */
#ifndef WM_SYSCONFDIR
#define WM_SYSCONFDIR "/etc"
#endif

#define WM_DOCKER_SOCKET_DEFAULT "/var/run/docker.sock"
#define WM_TARGET_LOCAL "local"
/* Largest configuration file accepted. */
#define WM_CONFIG_MAX_BYTES (1024u * 1024)
/* Largest secret accepted by wm_secret_read. */
#define WM_SECRET_MAX 4096

struct wm_config;

/* One deployment to watch.  Endpoints are as seen from the target host.  Every
 * string is owned by the target; NULL means "not set" (the program's default). */
struct wm_target {
	char *name;
	char *host;		/* NULL = this host (no SSH) */
	char *user;		/* NULL = current user / ~/.ssh/config */
	int port;		/* 0 = ssh default / ~/.ssh/config */
	char *identity;		/* private key file, ~ expanded */
	char *known_hosts;	/* known_hosts file, ~ expanded */
	char *docker_socket;	/* path of the engine's unix socket (never NULL) */
	bool docker_socket_set; /* docker_socket comes from the file (-H keeps it) */
	char *project;		/* compose project (never NULL) */
	char **services;	/* expected compose services */
	size_t nservices;
	char *redis; /* host:port or unix socket path */
	char *redis_password_file;
	char *postgres; /* libpq conninfo */
	char *postgres_password_file;
	char *base_url;	     /* e.g. http://127.0.0.1 */
	char *metrics_url;   /* the application's Prometheus endpoint */
	char **never_shrink; /* tables whose row count must never drop */
	size_t nnever_shrink;
	char **disk_paths; /* file systems whose use to report */
	size_t ndisk_paths;
	const char *section; /* "target NAME", for wm_config_get (owned) */
};

/* Load the configuration (see the search order above).  explicit_path may be
 * NULL.  Returns NULL with err set on a missing explicit file, a read error, a
 * syntax error ("FILE:LINE: message", WM_ECONFIG) or a bad value. */
struct wm_config *wm_config_load(const char *explicit_path, struct wm_err *err);
void wm_config_free(struct wm_config *cfg);

/* Parse text (len bytes, not necessarily NUL-terminated) as if it were the
 * file called name (used in messages and by wm_config_path): for tests,
 * fuzzing, and configurations that do not come from a file. */
struct wm_config *wm_config_parse(const char *name, const char *text, size_t len,
				  struct wm_err *err);

/* The file that was loaded, or NULL when none was found. */
const char *wm_config_path(const struct wm_config *cfg);

/* Warnings collected while loading ("FILE:LINE: unknown key 'x' in [general]"),
 * for the program to print (or not).  Owned by cfg. */
const char *const *wm_config_warnings(const struct wm_config *cfg, size_t *n);

/* The raw value of KEY in SECTION ("general", "thresholds", "target prod",
 * "smoke", ...), or NULL.  Section names are compared with runs of blanks
 * folded to one space.  For a repeated list key the values are joined with ", ". */
const char *wm_config_get(const struct wm_config *cfg, const char *section, const char *key);

/* Typed access to values checked while loading.  wm_config_bool: yes/true/1
 * or no/false/0, else dflt when unset.  wm_config_duration: 0 with *ms set,
 * 1 when unset (*ms untouched).  wm_config_list: a NULL-terminated array
 * (NULL, 0 when unset) for wm_config_list_free. */
bool wm_config_bool(const struct wm_config *cfg, const char *section, const char *key, bool dflt);
int wm_config_duration(const struct wm_config *cfg, const char *section, const char *key,
		       int64_t *ms);
/* wm_config_number: a number or percentage key ("99%" is 99): 0 with *v
 * set, 1 when unset (or not such a key). */
int wm_config_number(const struct wm_config *cfg, const char *section, const char *key, double *v);
int wm_config_list(const struct wm_config *cfg, const char *section, const char *key, char ***list,
		   size_t *n);
void wm_config_list_free(char **list);
/* A list text split as the file's lists are (commas and/or blanks), for a
 * program's default; as wm_config_list. */
int wm_config_split_list(const char *text, char ***list, size_t *n);

/* The table of known keys, for documentation and tests: the i-th (section
 * kind, key) pair, e.g. ("target", "redis").  Returns -1 past the end.  The
 * kinds "thresholds" and "target" also take any METRIC.warning/METRIC.critical. */
int wm_config_known_key(size_t i, const char **section_kind, const char **key);

/* What replaced a key that is still read with a warning ("a [step NAME]
 * section (url = PATH)"), or NULL for a current key. */
const char *wm_config_key_replaced(const char *section_kind, const char *key);

/* Select a target.  name NULL: $WM_TARGET, else [general] default_target, else
 * the only [target] of the file, else the built-in "local" (which can also be
 * named explicitly unless the file redefines it).  An unknown name is
 * WM_ECONFIG naming the known ones. The target is owned by cfg. */
const struct wm_target *wm_config_target(const struct wm_config *cfg, const char *name,
					 struct wm_err *err);

/* Names of the selectable targets: those of the file, then the built-in
 * "local" unless the file defines its own.  Owned by cfg. */
const char *const *wm_config_target_names(const struct wm_config *cfg, size_t *n);

/* A deep copy the program may change (command-line overrides); NULL on ENOMEM.
 * wm_target_free accepts NULL and frees everything, the struct included. */
struct wm_target *wm_target_dup(const struct wm_target *t);
void wm_target_free(struct wm_target *t);

/* Apply "-H [user@]host[:port]" (also "[v6addr]:port") to t: sets host, and user
 * and port when given.  A target that was local gets the default docker socket
 * (the remote engine's), unless its section sets docker_socket (-t NAME -H
 * HOST keeps the target's socket; $DOCKER_HOST describes this host only).  Returns -1 (WM_EINVAL)
 * on a malformed spec, t unchanged. */
int wm_target_from_hostspec(struct wm_target *t, const char *spec, struct wm_err *err);

/* The raw value of the key "NAME.warning" or "NAME.critical" from t's
 * section, else from [thresholds], else NULL; t may be NULL.  No grammar, no
 * precedence: programs ask threshold_policy.h (wm_thresholds_get). */
const char *wm_config_threshold(const struct wm_config *cfg, const struct wm_target *t,
				const char *metric, bool critical);

/* Read a secrets file into buf (NUL-terminated, one trailing newline stripped).
 * Refused with WM_EPERM when it is not a regular file owned by the caller or
 * has any group/other permission bit (ssh style); WM_ETOOBIG when it does not
 * fit in buf. */
int wm_secret_read(const char *path, char *buf, size_t len, struct wm_err *err);

/* A secret for target t: from the file file_key_value (a *_file setting, may
 * be NULL) first, then from the environment variable env_name (may be NULL).
 * Returns 0 with buf "" when there is none; -1 when the file is refused or
 * unreadable.  t is used for error messages and may be NULL. */
int wm_secret_get(const struct wm_target *t, const char *file_key_value, const char *env_name,
		  char *buf, size_t len, struct wm_err *err);

/* Mask secrets in s, in place: values of password=, passwd=, pwd=, secret=,
 * token= (any case, also "key": "value" and key: value forms),
 * "Authorization: Bearer/Basic X", and the password in scheme://user:pass@host. */
void wm_redact(char *s);

#endif
