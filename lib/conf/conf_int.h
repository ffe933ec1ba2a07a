/* conf_int.h - what the conf*.c files share; not for programs. */
#ifndef WM_CONF_INT_H
#define WM_CONF_INT_H

#include "conf/conf.h"

/* One key = value of the file, section name normalised ("target prod"). */
struct conf_entry {
	char *section;
	char *key;
	char *value;
	int line;
};

struct wm_config {
	char *path; /* NULL when no file was found */
	struct conf_entry *entries;
	size_t nentries, capentries;
	char **sections; /* every section seen, normalised, in order */
	size_t nsections;
	char **warnings;
	size_t nwarnings;
	struct wm_target **targets; /* the file's, then the built-in local */
	size_t ntargets;
	size_t nfiletargets; /* how many of them come from the file */
	const char **names;  /* names of targets[] */
};

/* What a section or capture NAME may be made of. */
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

enum key_kind {
	K_TEXT,
	K_LIST,
	K_PORT,
	K_DURATION,
	K_BOOL,
	K_LINES,    /* repeatable, one item per key line ("header = A: b") */
	K_METHOD,   /* an HTTP method: GET, POST... */
	K_STATUS,   /* a list of HTTP statuses: 200, 401, 2xx */
	K_LEVEL,    /* an escalation level, 1-9 */
	K_CAPTURE,  /* "capture NAME = json:PATH" or "header:NAME" */
	K_STEPTYPE, /* a [step]'s type: http, db, cache */
	K_NUMBER,   /* a number >= 0: 4, 2.5 */
	K_PERCENT,  /* a percentage 0-100: 99%, 99.5 */
	K_SPAN	    /* a duration above 0 */
};

struct key_spec {
	const char *key;
	enum key_kind kind;
	const char *instead; /* a key that was replaced: what to write now */
};

struct section_spec {
	const char *kind; /* first word of the section name */
	bool named;	  /* [kind NAME] rather than [kind] */
	bool thresholds;  /* accepts METRIC.warning / METRIC.critical */
	const struct key_spec *keys;
	const struct key_spec *more; /* shared keys (http_keys), or NULL */
};

/* conf_keys.c: the table.  "target  prod" -> the [target] kind (its length
 * in *klen); a key of a section kind ("capture NAME" is the capture key);
 * KEY.warning / KEY.critical; a value a key kind refuses (a message). */
const struct section_spec *conf_section_lookup(const char *section, size_t *klen);
const struct key_spec *conf_key_lookup(const struct section_spec *sp, const char *key);
bool conf_is_threshold_key(const char *key);
int conf_check_http_value(const struct key_spec *k, const char *value, char *msg, size_t len);
/* conf_keys.c: a K_NUMBER or K_PERCENT value into *v: 0, or -1 when it is
 * not one (a message in msg, naming the key). */
int conf_parse_number(const struct key_spec *k, const char *value, double *v, char *msg,
		      size_t len);

/* conf.c */
int conf_add_warning(struct wm_config *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool conf_is_list_key(const char *section, const char *key);
bool conf_is_lines_key(const char *section, const char *key);
/* conf_check.c: a warning for each old-form threshold key; -1 on ENOMEM. */
int conf_check_thresholds(struct wm_config *cfg);
/* conf_check.c: a value holding a password or token (what wm_redact masks:
 * password= in a conninfo, user:pass@ in a URL) is WM_ECONFIG when mode (the
 * file's permission bits, -1 when unknown) lets group or others read it, a
 * warning otherwise. */
int conf_check_secrets(struct wm_config *cfg, int mode, struct wm_err *err);
/* conf_target.c: build targets[] from the entries and the environment. */
int conf_build_targets(struct wm_config *cfg, struct wm_err *err);
/* Split a list value on commas and blanks into a NULL-terminated array. */
int conf_split_list(const char *value, char ***out, size_t *n);

#endif
