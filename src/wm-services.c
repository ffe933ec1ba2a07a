/* wm-services - are the compose project's expected services up and healthy?
 *
 * Per expected service: state, health (the failing probe's output when
 * unhealthy), restarts in total and since the previous run, uptime, OOM
 * kills, the exit code of a stopped one; a service without a container is
 * CRITICAL "missing".  --stats adds CPU and memory, --disk file system use,
 * --wait polls until everything is up (right after a deploy).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "duration.h"
#include "prog.h"
#include "result.h"
#include "services.h"
#include "session.h"

#define WAIT_DEFAULT_MS (5 * 60 * 1000)

enum { OPT_STATS = WM_OPT_PROG, OPT_DISK, OPT_WAIT };

static void __attribute__((noreturn)) usage(int status)
{
	FILE *out = stdout;

	if (status) {
		fprintf(stderr, "Try '%s --help' for more information.\n", wm_prog_name());
		exit(status);
	}
	fprintf(out, "Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Check that every expected service of the compose project runs and is healthy.\n\n"
	      "Options:\n"
	      "      --stats              add CPU and memory use per service\n"
	      "      --disk               add disk use of the target's file systems\n"
	      "      --wait[=TIMEOUT]     poll until every service is up and healthy\n"
	      "                             (default 5m), then report\n",
	      out);
	wm_usage_common(out);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct svc_opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"stats", no_argument, NULL, OPT_STATS},
	    {"disk", no_argument, NULL, OPT_DISK},
	    {"wait", optional_argument, NULL, OPT_WAIT},
	    {NULL, 0, NULL, 0},
	};
	struct wm_err e = {0};
	int c;

	memset(o, 0, sizeof(*o));
	wm_cli_defaults(&o->cli);
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (wm_prog_option(&o->cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_STATS:
			o->stats = true;
			break;
		case OPT_DISK:
			o->disk = true;
			break;
		case OPT_WAIT:
			o->wait = true;
			o->wait_ms = WAIT_DEFAULT_MS;
			if (optarg && wm_duration_parse(optarg, &o->wait_ms, &e) < 0)
				wm_usage_error("--wait: %s", e.msg);
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	if (optind < argc)
		wm_usage_error("unexpected argument '%s'", argv[optind]);
}

/* A check that says why the whole collection could not be done. */
static int
fail(struct wm_result *r, const char *name, const char *msg)
{
	struct wm_check *c = wm_result_add_check(r, name);

	if (!c)
		return -1;
	wm_check_set(c, WM_UNKNOWN, "%s", msg);
	wm_result_set_summary(r, "%s", msg);
	return 0;
}

/* The expected set: the config's, else every service seen. */
static int
expected_set(struct svc_ctx *x)
{
	x->declared = x->t->nservices > 0;
	x->expected = calloc(x->declared ? x->t->nservices : x->ncs + 1, sizeof(char *));
	if (!x->expected)
		return -1;
	if (x->declared) {
		for (size_t i = 0; i < x->t->nservices; i++)
			x->expected[x->nexpected++] = x->t->services[i];
		return 0;
	}
	for (size_t i = 0; i < x->ncs; i++) {
		const char *s = x->cs[i].service;
		bool dup = false;

		for (size_t j = 0; s && j < x->nexpected; j++)
			dup |= strcmp(x->expected[j], s) == 0;
		if (s && !dup)
			x->expected[x->nexpected++] = s;
	}
	return 0;
}

static bool
is_expected(const struct svc_ctx *x, const char *svc)
{
	for (size_t i = 0; svc && i < x->nexpected; i++)
		if (strcmp(x->expected[i], svc) == 0)
			return true;
	return false;
}

/* The project check: what was expected, what else runs, and the summary. */
static int
project_check(struct svc_ctx *x, struct wm_result *r, bool waited_ok)
{
	struct wm_check *c = wm_result_add_check(r, "services");
	cJSON *data, *exp, *extra;
	char summary[1024];
	size_t up = 0, len = 0;
	enum wm_state worst = WM_OK; /* the rollup never says OK over a bad service */

	if (!c || !(data = wm_check_data(c)))
		return -1;
	cJSON_AddStringToObject(data, "project", x->project);
	cJSON_AddBoolToObject(data, "expected_declared", x->declared);
	exp = cJSON_AddArrayToObject(data, "expected");
	extra = cJSON_AddArrayToObject(data, "unexpected");
	for (size_t i = 0; i < x->nexpected; i++) {
		char name[300];
		const struct wm_check *sc;

		cJSON_AddItemToArray(exp, cJSON_CreateString(x->expected[i]));
		snprintf(name, sizeof(name), "services.%s", x->expected[i]);
		sc = wm_result_find_check(r, name);
		up += sc && sc->state == WM_OK;
		worst = wm_state_worst(worst, sc ? sc->state : WM_UNKNOWN);
	}
	for (size_t i = 0; i < x->ncs; i++)
		if (!is_expected(x, x->cs[i].service))
			cJSON_AddItemToArray(extra, cJSON_CreateString(x->cs[i].name));
	len = (size_t)snprintf(summary, sizeof(summary), "%zu/%zu services OK (project %s%s)", up,
			       x->nexpected, x->project,
			       x->declared ? "" : ", expected set undeclared: every service seen");
	if (cJSON_GetArraySize(extra) > 0 && len < sizeof(summary))
		len += (size_t)snprintf(summary + len, sizeof(summary) - len,
					"; %d unexpected container(s)", cJSON_GetArraySize(extra));
	if (x->o->wait && len < sizeof(summary))
		snprintf(summary + len, sizeof(summary) - len, "%s",
			 waited_ok ? "; all up after --wait" : "; --wait timed out");
	wm_check_set(c, x->o->wait && !waited_ok ? WM_CRITICAL : worst, "%s", summary);
	return 0;
}

static int
collect_all(struct svc_ctx *x, struct wm_result *r)
{
	bool waited_ok = true;
	int rc;

	if (wm_docker_list(x->d, x->project, &x->cs, &x->ncs) < 0)
		return fail(r, "services", x->d->err.msg);
	wm_session_log(x->s, WM_LOG_VERBOSE, "docker API %s; %zu container%s of project %s",
		       x->d->api, x->ncs, x->ncs == 1 ? "" : "s", x->project);
	if (expected_set(x) < 0)
		return -1;
	if (x->o->wait)
		waited_ok = svc_wait(x);
	x->prev = wm_session_sample_load(x->s, "services");
	x->next = cJSON_CreateObject();
	if (!x->next)
		return -1;
	rc = svc_collect_services(x, r);
	if (rc == 0 && x->o->stats)
		rc = svc_collect_stats(x, r);
	if (rc == 0 && x->o->disk)
		rc = svc_collect_disk(x, r);
	if (rc == 0)
		rc = project_check(x, r, waited_ok);
	wm_session_sample_save(x->s, "services", x->next);
	return rc;
}

/* -v: the docker socket, and for a remote target the ssh host and tunnel. */
static void
say_where(struct wm_session *s, const struct wm_target *t)
{
	char port[16] = "";

	if (!wm_session_is_remote(s)) {
		wm_session_log(s, WM_LOG_VERBOSE, "docker socket %s (local)",
			       wm_session_docker_path(s));
		return;
	}
	if (t->port) /* else ssh's default or ~/.ssh/config's */
		snprintf(port, sizeof(port), " port %d", t->port);
	wm_session_log(s, WM_LOG_VERBOSE, "ssh %s%s%s%s: docker socket %s through the tunnel %s",
		       t->user ? t->user : "", t->user ? "@" : "", t->host, port, t->docker_socket,
		       wm_session_docker_path(s));
}

static int
run(struct wm_session *s, const void *arg, struct wm_result *r)
{
	struct svc_ctx x = {.o = arg,
			    .s = s,
			    .cfg = wm_session_config(s),
			    .t = wm_session_target(s),
			    .project = wm_session_project(s)};
	struct wm_err err = {0};
	int rc;

	if (wm_result_set_project(r, x.project) < 0)
		return -1;
	if (!x.project) {
		rc = fail(r, "services", "cannot tell the compose project (set project=)");
	} else if (!(x.d = wm_session_docker(s, &err))) {
		rc = fail(r, "services", err.msg);
	} else {
		say_where(s, x.t);
		rc = collect_all(&x, r);
	}
	cJSON_Delete(x.prev);
	cJSON_Delete(x.next);
	free(x.expected);
	wm_docker_containers_free(x.cs, x.ncs);
	return rc;
}

int
main(int argc, char **argv)
{
	struct svc_opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	return wm_prog_run(&o.cli, &(struct wm_prog_check){.area = "services",
							    .primary = "restarts",
							    .run = run,
							    .opts = &o,
							    .extra_ms = o.wait ? o.wait_ms : 0,
							    .area_summary = true});
}
