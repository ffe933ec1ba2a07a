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
#include "ssh.h"
#include "state.h"
#include "target.h"

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
	wm_check_set(c, x->o->wait && !waited_ok ? WM_CRITICAL : WM_OK, "%s", summary);
	return 0;
}

static int
collect_all(struct svc_ctx *x, struct wm_result *r)
{
	bool waited_ok = true;
	int rc;

	if (wm_docker_list(x->d, x->project, &x->cs, &x->ncs) < 0)
		return fail(r, "services", x->d->err.msg);
	wm_prog_verbose(&x->o->cli, 1, "docker API %s; %zu container%s of project %s", x->d->api,
			x->ncs, x->ncs == 1 ? "" : "s", x->project);
	if (expected_set(x) < 0)
		return -1;
	if (x->o->wait)
		waited_ok = svc_wait(x);
	x->prev = wm_prog_sample_load(&x->o->cli, r->target, "services");
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
	wm_prog_sample_save(&x->o->cli, r->target, "services", x->next);
	return rc;
}

/* -v: the docker socket, and for a remote target the ssh host and tunnel. */
static void
say_where(const struct svc_opts *o, const struct wm_target *t, const struct wm_target_conn *h)
{
	char port[16] = "";

	if (!wm_target_is_remote(h)) {
		wm_prog_verbose(&o->cli, 1, "docker socket %s (local)", h->docker_path);
		return;
	}
	if (t->port) /* else ssh's default or ~/.ssh/config's */
		snprintf(port, sizeof(port), " port %d", t->port);
	wm_prog_verbose(&o->cli, 1, "ssh %s%s%s%s: docker socket %s through the tunnel %s",
			t->user ? t->user : "", t->user ? "@" : "", t->host, port, t->docker_socket,
			h->docker_path);
}

static int
collect(const struct svc_opts *o, const struct wm_config *cfg, const struct wm_target *t,
	struct wm_result *r)
{
	struct svc_ctx x = {.o = o, .cfg = cfg, .t = t};
	const struct wm_check *sum;
	char projbuf[256];
	int rc;

	x.project = wm_target_project(t, projbuf, sizeof(projbuf));
	x.h = wm_target_connect(t, (long)(o->cli.timeout * 1000));
	if (!x.h)
		return -1;
	if (!x.project) {
		rc = fail(r, "services", "cannot tell the compose project (set project=)");
	} else if (!wm_target_ok(x.h) || !(x.d = wm_target_docker(x.h))) {
		rc = fail(r, "services", x.h->err.msg);
	} else {
		/* the tunnel directory exists now: a watchdog exit removes it too */
		wm_prog_cleanup_dir(wm_ssh_tunnel_dir(x.h->ssh));
		say_where(o, t, x.h);
		rc = collect_all(&x, r);
	}
	cJSON_Delete(x.prev);
	cJSON_Delete(x.next);
	free(x.expected);
	wm_docker_containers_free(x.cs, x.ncs);
	wm_prog_cleanup_forget(); /* wm_target_close removes it */
	wm_target_close(x.h);
	if (rc == 0)
		rc = wm_cli_apply_thresholds(&o->cli, r, "restarts");
	/* all well: say so in the services' own words ("8/8 services OK ...") */
	if (rc == 0 && wm_result_state(r) == WM_OK && (sum = wm_result_find_check(r, "services")))
		rc = wm_result_set_summary(r, "%s", sum->summary);
	return rc;
}

int
main(int argc, char **argv)
{
	struct svc_opts o;
	struct wm_config *cfg;
	const struct wm_target *ct;
	struct wm_target *t;
	struct wm_result *r;
	struct wm_err e = {0};
	int rc;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	if (!(cfg = wm_config_load(o.cli.config, &e)) ||
	    !(ct = wm_config_target(cfg, o.cli.target, &e)))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	wm_cli_config_timeout(&o.cli, cfg);
	if (!(t = wm_target_dup(ct)))
		wm_die(WM_UNKNOWN, "out of memory");
	if (o.cli.host && wm_target_from_hostspec(t, o.cli.host, &e) < 0)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	/* Whatever a library does, the answer comes within --timeout (+ grace);
	 * --wait runs long on purpose, and bounds itself. */
	if (!o.wait)
		wm_prog_watchdog(&o.cli, t->name);
	r = wm_result_new(wm_prog_name(), PACKAGE_VERSION, t->name);
	if (!r || collect(&o, cfg, t, r) < 0)
		wm_die(WM_UNKNOWN, "out of memory");
	rc = wm_prog_emit(r, &o.cli);
	wm_result_free(r);
	wm_target_free(t);
	wm_config_free(cfg);
	return rc;
}
