/* wm-cache - is Redis up, and is it doing its job as a cache?
 *
 * PING and its latency, the hit rate over the window since the previous
 * sample (state directory), ops/s, evictions, rejected connections, clients,
 * memory against maxmemory, persistence health, and with --probe the
 * SET/GET/DEL round trip of the runbook's cache test.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cli.h"
#include "conf.h"
#include "endpoint.h"
#include "prog.h"
#include "result.h"
#include "session.h"

struct opts {
	struct wm_cli cli;
	bool probe;	/* --probe: the SET/GET/DEL round trip */
};

enum { OPT_PROBE = WM_OPT_PROG };

static void __attribute__((noreturn))
usage(int status)
{
	if (status) {
		fprintf(stderr, "Try '%s --help' for more information.\n", wm_prog_name());
		exit(status);
	}
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
		{ "probe", no_argument, NULL, OPT_PROBE },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	wm_cli_defaults(&o->cli);
	o->probe = false;
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (wm_prog_option(&o->cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_PROBE:
			o->probe = true;
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	if (optind < argc)
		wm_usage_error("unexpected argument '%s'", argv[optind]);
}

/* The Redis password: the target's file, WM_REDIS_PASSWORD, REDISCLI_AUTH. */
static int
password(const struct wm_target *t, char *buf, size_t size, struct wm_err *err)
{
	const char *env;

	if (wm_secret_get(t, t->redis_password_file, "WM_REDIS_PASSWORD", buf, size, err) < 0)
		return -1;
	env = getenv("REDISCLI_AUTH");
	if (!buf[0] && env)
		snprintf(buf, size, "%s", env);
	return 0;
}

/* Everything that needs the target; failures become an UNKNOWN check. */
static int
run(struct wm_session *s, const void *arg, struct wm_result *r)
{
	const struct opts *o = arg;
	const struct wm_target *t = wm_session_target(s);
	struct wm_cache_opts co = {.timeout_ms = (int)wm_session_budget_ms(s, 0), .probe = o->probe};
	struct wm_err err = {0};
	char pw[WM_SECRET_MAX], label[300];
	cJSON *prev, *next = NULL;
	int rc;

	if (password(t, pw, sizeof(pw), &err) < 0 ||
	    wm_endpoint_redis(s, &co.ep, label, sizeof(label), &err) < 0)
		return wm_result_unknown(r, "redis.ping", &err);
	co.label = label;
	co.password = pw;
	prev = wm_session_sample_load(s, WM_CACHE_STATE_NAME);
	rc = wm_cache_collect(r, &co, prev, &next);
	memset(pw, 0, sizeof(pw));
	if (rc == 0)
		wm_session_sample_save(s, WM_CACHE_STATE_NAME, next);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	return wm_prog_run(&o.cli, &(struct wm_prog_check){.area = "cache",
							    .primary = "hit_rate",
							    .run = run,
							    .opts = &o});
}
