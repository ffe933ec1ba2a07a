/* wm-cache - is Redis up, and is it doing its job as a cache?
 *
 * PING and its latency, the hit rate over the window since the previous
 * sample (state directory), ops/s, evictions, rejected connections, clients,
 * memory against maxmemory, persistence health, and with --probe the
 * SET/GET/DEL round trip of the runbook's cache test.  The check is the
 * library unit wm_cache_run (lib/checks/check_cache.c); this is its command line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "checks/checks.h"
#include "common/cli.h"
#include "common/prog.h"

struct opts {
	struct wm_cli cli;
	struct wm_cache_check_opts cache;
};

enum { OPT_PROBE = WM_OPT_PROG };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Check Redis: PING latency, hit rate over the window since the previous run,\n"
	      "ops/s, evictions, rejected connections, memory and persistence.\n\n"
	      "Options:\n"
	      "      --probe              also SET, GET and DEL a namespaced key with a TTL\n",
	      stdout);
	wm_usage_common(stdout);
	fputs("\nThe address comes from the target's 'redis' setting (default 127.0.0.1:6379),\n"
	      "the password from 'redis_password_file', WM_REDIS_PASSWORD or REDISCLI_AUTH.\n"
	      "Default threshold: hit_rate warning below 85 %.\n",
	      stdout);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"probe", no_argument, NULL, OPT_PROBE},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct opts){0};
	wm_cli_defaults(&o->cli);
	while ((c = wm_prog_getopt(argc, argv, &o->cli, longopts, usage)) != -1) {
		switch (c) {
		case OPT_PROBE:
			o->cache.probe = true;
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
}

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	return wm_prog_run(&o.cli, wm_check_find("cache"), &o.cache, 0);
}
