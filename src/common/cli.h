/* cli.h - the options every wm-* program shares (parsing only, no printing).
 *
 * A program pastes WM_CLI_LONGOPTS into its getopt_long table and
 * WM_CLI_SHORTOPTS into its short option string, then hands every option to
 * wm_cli_option() first; what that returns 0 for is the program's own.  The
 * printing side (usage, --help, --version, errors) lives in src/prog.h.
 *
 *   -h --help  -V --version  --format NAME  -j --json  -t --target NAME
 *   -H --host [USER@]HOST[:PORT]  --config FILE  -w --warning [METRIC=]RANGE
 *   -c --critical [METRIC=]RANGE  --timeout SECONDS  -v --verbose  --output FILE
 *   --print-config
 *   -l --long
 */
#ifndef WM_CLI_H
#define WM_CLI_H

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "base/err.h"
#include "render/render.h"
#include "conf/threshold_policy.h"

#define WM_CLI_MAX_THRESHOLDS 32
#define WM_CLI_DEFAULT_TIMEOUT 10.0 /* seconds */

struct wm_cli {
	enum wm_format format; /* --format / -j; default text */
	const char *target;    /* -t NAME, or NULL */
	const char *host;      /* -H [user@]host[:port] (validated), or NULL */
	const char *config;    /* --config FILE, or NULL (search order applies) */
	const char *output;    /* --output FILE (atomic), or NULL for stdout */
	double timeout;	       /* --timeout seconds, > 0; default 10 */
	bool timeout_set;      /* --timeout was given (else [general] timeout applies) */
	int verbose;	       /* -v count */
	bool print_config;     /* --print-config: show the configuration, exit 0 */
	bool long_text;	       /* -l: text shows every metric with its thresholds */
	bool color;	       /* force colour in text output (a TTY without
				  NO_COLOR gets it anyway, see wm_prog_emit) */
	const char *warn[WM_CLI_MAX_THRESHOLDS]; /* -w texts "[METRIC=]RANGE" */
	size_t nwarn;
	const char *crit[WM_CLI_MAX_THRESHOLDS]; /* -c texts */
	size_t ncrit;
};

/* Long-only option ids, numbered from CHAR_MAX + 1 (coreutils).  A program
 * numbers its own long-only options from WM_OPT_PROG. */
enum wm_cli_opt {
	WM_OPT_FORMAT = CHAR_MAX + 1,
	WM_OPT_CONFIG,
	WM_OPT_TIMEOUT,
	WM_OPT_OUTPUT,
	WM_OPT_PRINT_CONFIG,
	WM_OPT_PROG,
};

#define WM_CLI_SHORTOPTS "hVjt:H:w:c:vl"

/* struct option initialisers for the common options; paste into a table:
 *   static const struct option longopts[] = { WM_CLI_LONGOPTS,
 *	{ "since", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 } }; */
#define WM_CLI_LONGOPTS                                                                            \
	{"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},                     \
	    {"format", required_argument, NULL, WM_OPT_FORMAT}, {"json", no_argument, NULL, 'j'},  \
	    {"target", required_argument, NULL, 't'}, {"host", required_argument, NULL, 'H'},      \
	    {"config", required_argument, NULL, WM_OPT_CONFIG},                                    \
	    {"warning", required_argument, NULL, 'w'}, {"critical", required_argument, NULL, 'c'}, \
	    {"timeout", required_argument, NULL, WM_OPT_TIMEOUT},                                  \
	    {"verbose", no_argument, NULL, 'v'},                                                   \
	    {"output", required_argument, NULL, WM_OPT_OUTPUT},                                    \
	    {"print-config", no_argument, NULL, WM_OPT_PRINT_CONFIG},                              \
	{                                                                                          \
		"long", no_argument, NULL, 'l'                                                     \
	}

/* Defaults: text format, timeout 10 s, everything else empty. */
void wm_cli_defaults(struct wm_cli *cli);

/* Handle one getopt_long result.  Returns 1 when opt was a common option and
 * arg was valid (stored in cli; arg is kept by pointer, as argv lives until
 * exit), 0 when opt is not a common option (the program's own, or 'h'/'V'/'?'
 * which need printing: see wm_prog_option), -1 when arg is invalid (unknown
 * format, bad range, timeout <= 0, bad -H form, too many -w/-c) with a
 * one-line message in err.  -H is checked with wm_target_from_hostspec
 * (conf.h), --timeout with wm_duration_parse (duration.h). */
int wm_cli_option(struct wm_cli *cli, int opt, const char *arg, struct wm_err *err);

/* The override range text for a metric from -w (critical false) or -c
 * (critical true); the last matching option wins.  metric non-NULL: the
 * range of the last "METRIC=RANGE" entry naming it.  metric NULL: the last
 * bare "RANGE" entry, which a program applies to its primary metric (so a
 * program asks for its primary metric by name first, then with NULL).
 * NULL when the command line set nothing for it. */
const char *wm_cli_threshold(const struct wm_cli *cli, const char *metric, bool critical);

/* The -w/-c texts of cli into th (the rest of th untouched), for the
 * resolver of threshold_policy.h.  cli may be NULL. */
void wm_cli_thresholds(const struct wm_cli *cli, struct wm_thresholds *th);

/* A thin wrapper over threshold_policy.h for the programs of today:
 * wm_thresholds_check then wm_thresholds_set with cfg, t, area, primary and
 * the -w/-c of cli (any of them may be NULL).  Returns 0, or -1 with err:
 * WM_EINVAL for an unknown -w/-c name, WM_ECONFIG for an unknown threshold
 * key or a bad range in the file, WM_ENOMEM.  New code calls
 * wm_thresholds_check once before collecting and wm_thresholds_set after. */
int wm_thresholds_apply(struct wm_result *r, const struct wm_config *cfg, const struct wm_target *t,
			const struct wm_cli *cli, const char *area, const char *primary,
			struct wm_err *err);

/* wm_thresholds_apply without a configuration. */
int wm_cli_apply_thresholds(const struct wm_cli *cli, struct wm_result *r, const char *primary);

#endif
