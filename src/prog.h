/* prog.h - the program side of the common command line: the only code that
 * prints diagnostics and exits (src/libwmprog.a, linked by every wm-* program).
 *
 * A program's main() reads the same in every tool (see doc/boilerplate.c):
 * wm_prog_init -> parse options (wm_prog_option first) -> config -> collect
 * into a result -> wm_prog_emit -> return its state.
 */
#ifndef WM_PROG_H
#define WM_PROG_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "conf.h"
#include "result.h"

/* Remember the program name (basename of argv[0], which is pointed at it so
 * that getopt_long's messages start "wm-x: " too) and register close_stdout
 * with atexit: a failed write, flush or close of stdout then prints
 * "wm-x: write error: ..." and _exits 3 (UNKNOWN). */
void wm_prog_init(int argc, char **argv);
/* The program name set by wm_prog_init ("wm-x"). */
const char *wm_prog_name(void);

/* "Try 'wm-x --help' for more information." on stderr, exit 3: what a
 * program's usage(status) does for a non-zero status. */
void wm_try_help(void) __attribute__((noreturn));
/* "wm-x: message" and "Try 'wm-x --help' for more information." on stderr,
 * exit 3. */
void wm_usage_error(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* "wm-x: message" on stderr, exit s. */
void wm_die(enum wm_state s, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
/* "wm-x (warunginmon) VERSION" on stdout. */
void wm_print_version(void);
/* The help text block for the common options (after the program's own). */
void wm_usage_common(FILE *out);

/* Dispatch one getopt_long result to the common handling: a common option is
 * stored (true); -h calls usage(0), -V prints the version and exits 0; '?'
 * (getopt already printed why) and an invalid argument end in the "Try" line
 * and exit 3.  false: the option is the program's own.  usage must not
 * return. */
bool wm_prog_option(struct wm_cli *cli, int opt, const char *arg, void (*usage)(int status));

/* Load the configuration for cli (--config, else the search order of
 * warunginmon.conf(5)), print its warnings on stderr ("wm-x: warning: ..."),
 * select the target (-t, else the default one) and apply -H to a copy of it,
 * and take [general] timeout when --timeout was not given.  *target gets the
 * copy (free with wm_target_free); returns the configuration (free with
 * wm_config_free).  Any failure is reported and exits 3 (UNKNOWN). */
struct wm_config *wm_prog_config(struct wm_cli *cli, struct wm_target **target);

/* Arm the watchdog: when the program still runs cli->timeout seconds (plus
 * WM_WATCHDOG_GRACE for the operations' own timeouts to report first) after
 * this call, it prints an UNKNOWN result ("timed out after N s") in
 * cli->format to stdout, or writes it to cli->output atomically, says so on
 * stderr and _exits 3.  The guarantee that nothing hangs, whatever a library
 * does.  wm_prog_emit disarms it.  Programs that run on purpose for long
 * (wm-run, --follow) do not arm it.  target may be NULL. */
void wm_prog_watchdog(const struct wm_cli *cli, const char *target);
#define WM_WATCHDOG_GRACE 1.0 /* seconds */

/* Have the watchdog empty and remove the private directory dir (a copy is
 * kept) before it exits, as the normal cleanup it cuts short would: an ssh
 * target's tunnel directory (wm_ssh_tunnel_dir) with its sockets.  Call it
 * once the directory exists; wm_prog_cleanup_forget before removing it the
 * normal way.  At most WM_PROG_CLEANUP_MAX directories; more are ignored. */
void wm_prog_cleanup_dir(const char *dir);
void wm_prog_cleanup_forget(void);
#define WM_PROG_CLEANUP_MAX 4

/* The previous sample NAME of target from the state directory, or NULL on a
 * first run.  A corrupt or unreadable sample is ignored like a first run
 * (said on stderr with -v).  The caller frees it. */
cJSON *wm_prog_sample_load(const struct wm_cli *cli, const char *target, const char *name);
/* Keep next as the sample for the next run.  A failure is said on stderr:
 * it costs the next run its deltas, not this run its answer. */
void wm_prog_sample_save(const struct wm_cli *cli, const char *target, const char *name,
			 const cJSON *next);

struct wm_endpoints;
/* main() of a program that checks the endpoints of one target (wm-cache,
 * wm-db): open the endpoints for cli (--config, -t, -H; cli->timeout becomes
 * [general] timeout unless --timeout was given), make a result for the
 * target, collect(arg, ends, r) fills it (-1 only when out of memory), apply
 * [thresholds] GROUP.METRIC and -w/-c, emit.  Returns the exit code; a target
 * that cannot be opened, or no memory, dies with 3. */
int wm_prog_endpoints_run(struct wm_cli *cli, const char *group, const char *metric,
			  int (*collect)(const void *arg, struct wm_endpoints *ends,
					 struct wm_result *r),
			  const void *arg);

/* With -v given at least level times, say fmt on stderr as "wm-x: ...".
 * What -v says: where the program connects, what it negotiated, how much it
 * read, which state files it used. */
void wm_prog_verbose(const struct wm_cli *cli, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Finish r and render it once, to stdout or atomically to cli->output, in
 * cli->format (text gets colour on a TTY unless NO_COLOR is set, or with
 * cli->color; json is indented on a TTY).  Returns the exit code: r's state, or 3 when rendering or
 * writing failed (after saying why on stderr).  Disarms the watchdog first. */
int wm_prog_emit(struct wm_result *r, const struct wm_cli *cli);

#endif
