/* conf_int.h - what the conf*.c files share; not for programs. */
#ifndef WM_CONF_INT_H
#define WM_CONF_INT_H

#include "conf.h"

/* One key = value of the file, section name normalised ("target prod"). */
struct conf_entry {
	char *section;
	char *key;
	char *value;
	int line;
};

struct wm_config {
	char *path;			/* NULL when no file was found */
	struct conf_entry *entries;
	size_t nentries, capentries;
	char **sections;		/* every section seen, normalised, in order */
	size_t nsections;
	char **warnings;
	size_t nwarnings;
	struct wm_target **targets;	/* the file's, then the built-in local */
	size_t ntargets;
	size_t nfiletargets;		/* how many of them come from the file */
	const char **names;		/* names of targets[] */
};

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
