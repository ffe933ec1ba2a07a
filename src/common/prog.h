/* prog.h - the program side of the common command line: the only code that
 * prints diagnostics and exits (src/libwmprog.a, linked by every wm-* program).
 *
 * A program's main() reads the same in every tool (see doc/boilerplate.c):
 * wm_prog_init -> parse options (wm_prog_option first) -> config -> collect
 * into a result -> wm_prog_emit -> return its state.
 */
#ifndef WM_PROG_H
#define WM_PROG_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/cli.h"
#include "conf/conf.h"
#include "model/result.h"

/* Remember the program name (basename of argv[0], which is pointed at it so
 * that getopt_long's messages start "wm-x: " too) and register close_stdout
 * with atexit: a failed write, flush or close of stdout then ends in
 * wm_prog_write_failed. */
void wm_prog_init(int argc, char **argv);
/* Standard output could not be written (errnum): "wm-x: write error: ..."
 * on stderr, except for EPIPE (the reader left, as with | head: silent, as
 * Unix tools are), and _exit 3 (UNKNOWN) either way. */
void wm_prog_write_failed(int errnum) __attribute__((noreturn));
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
/* getopt_long over WM_CLI_SHORTOPTS and longopts (which begin with
 * WM_CLI_LONGOPTS), every option handed to wm_prog_option first: the next
 * option of the program's own (optarg as getopt_long sets it), or -1 when
 * none is left, after refusing an argument left over ("unexpected argument
 * 'x'", exit 3): the option loop of a program that takes no operands. */
int wm_prog_getopt(int argc, char **argv, struct wm_cli *cli, const struct option *longopts,
		   void (*usage)(int status));

struct wm_session;

/* Open the session for cli (--config, else the search order of
 * warunginmon.conf(5); -t; -H; --timeout, else [general] timeout): its
 * configuration warnings go to stderr as "wm-x: warning: ...", its -v
 * messages as "wm-x: ...", and the tunnel directory to the watchdog.
 * cli->timeout becomes the session's.  A failure is said and exits 3. */
struct wm_session *wm_prog_session(struct wm_cli *cli);

struct wm_check_def;
/* main() of a check program: wm_prog_session, wm_prog_check, close. */
int wm_prog_run(struct wm_cli *cli, const struct wm_check_def *chk, const void *opts,
		int64_t extra_ms);
/* Run the check chk (wm_check_find of lib/checks/checks.h) with opts on s: arm
 * the deadline and the watchdog (--timeout + extra_ms; extra_ms < 0: neither,
 * for input read whole however long it takes), make a result for the target,
 * wm_check_run (the unit, then -w/-c, the configuration, the unit's
 * defaults), emit.  Returns the exit code; no memory or a bad range in the
 * configuration dies with 3. */
int wm_prog_check(struct wm_cli *cli, struct wm_session *s, const struct wm_check_def *chk,
		  const void *opts, int64_t extra_ms);

/* Arm the watchdog: when the program still runs cli->timeout seconds plus
 * extra_ms (plus WM_WATCHDOG_GRACE for the operations' own timeouts to
 * report first) after this call, it prints an UNKNOWN result ("timed out
 * after N s") in cli->format to stdout, or writes it to cli->output
 * atomically, says so on stderr, removes the session's tunnel directory and
 * _exits 3.  The last resort behind the session's deadline, whatever a
 * library does.  wm_prog_emit disarms it.  wm_prog_run arms it for every
 * program; what runs on purpose for long (--follow) does not.  target may be
 * NULL. */
void wm_prog_watchdog(const struct wm_cli *cli, const char *target, int64_t extra_ms);
#define WM_WATCHDOG_GRACE 1.0 /* seconds */

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
