/* docker_parse.c - pure parsers of Engine API bodies, the frame demultiplexer
 * and the docker CLI's stats formulas.  No I/O here, so all of it is tested
 * on fixtures. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clients/docker.h"

/* Type-checked field access: absent is fine when !required, a wrong type
 * never is.  path names the field in the error message. */
static int
get_string(const cJSON *o, const char *key, bool required, char **out, const char *path,
	   struct wm_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v)) {
		if (required)
			return wm_err_set(err, WM_EPROTO, "%s%s: missing", path, key);
		return 0;
	}
	if (!cJSON_IsString(v))
		return wm_err_set(err, WM_EPROTO, "%s%s: expected a string", path, key);
	*out = strdup(v->valuestring);
	if (!*out)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return 0;
}

static int
get_number(const cJSON *o, const char *key, double dflt, double *out, const char *path,
	   struct wm_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = dflt;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v))
		return wm_err_set(err, WM_EPROTO, "%s%s: expected a number", path, key);
	*out = v->valuedouble;
	return 0;
}

/* A counter: a finite number >= 0 (a negative CPU count or an infinite
 * usage would make nonsense percentages). */
static int
get_counter(const cJSON *o, const char *key, double dflt, double *out, const char *path,
	    struct wm_err *err)
{
	if (get_number(o, key, dflt, out, path, err) < 0)
		return -1;
	if (*out != dflt && (!isfinite(*out) || *out < 0))
		return wm_err_set(err, WM_EPROTO, "%s%s: not a counter", path, key);
	return 0;
}

static int
get_long(const cJSON *o, const char *key, long dflt, long *out, const char *path,
	 struct wm_err *err)
{
	double d;

	if (get_number(o, key, (double)dflt, &d, path, err) < 0)
		return -1;
	if (d < -9.2e18 || d > 9.2e18)
		return wm_err_set(err, WM_EPROTO, "%s%s: out of range", path, key);
	*out = (long)d;
	return 0;
}

static int
get_bool(const cJSON *o, const char *key, bool *out, const char *path, struct wm_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = false;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return wm_err_set(err, WM_EPROTO, "%s%s: expected true or false", path, key);
	*out = cJSON_IsTrue(v);
	return 0;
}

/* An optional object member: NULL when absent or null, error when not an object. */
static int
get_object(const cJSON *o, const char *key, const cJSON **out, const char *path, struct wm_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsObject(v))
		return wm_err_set(err, WM_EPROTO, "%s%s: expected an object", path, key);
	*out = v;
	return 0;
}

static cJSON *
parse_doc(const char *json, size_t len, struct wm_err *err)
{
	const char *end = NULL;
	cJSON *doc;

	if (len > WM_DOCKER_BODY_MAX) {
		wm_err_set(err, WM_ETOOBIG, "response larger than %u bytes", WM_DOCKER_BODY_MAX);
		return NULL;
	}
	doc = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (!doc)
		wm_err_set(err, WM_EPROTO, "invalid JSON at byte %td",
			   end ? end - json : (ptrdiff_t)0);
	return doc;
}

static char *
strip_slash(char *name)
{
	if (name && name[0] == '/')
		memmove(name, name + 1, strlen(name));
	return name;
}

static int
parse_container(const cJSON *o, struct wm_container *c, struct wm_err *err)
{
	const cJSON *names, *labels;

	if (!cJSON_IsObject(o))
		return wm_err_set(err, WM_EPROTO, "container: expected an object");
	if (get_string(o, "Id", true, &c->id, "", err) < 0 ||
	    get_string(o, "State", true, &c->state, "", err) < 0 ||
	    get_string(o, "Status", false, &c->status, "", err) < 0 ||
	    get_object(o, "Labels", &labels, "", err) < 0)
		return -1;
	names = cJSON_GetObjectItemCaseSensitive(o, "Names");
	if (names && !cJSON_IsArray(names))
		return wm_err_set(err, WM_EPROTO, "Names: expected an array");
	if (names && cJSON_GetArraySize(names) > 0) {
		const cJSON *n0 = cJSON_GetArrayItem(names, 0);

		if (!cJSON_IsString(n0))
			return wm_err_set(err, WM_EPROTO, "Names[0]: expected a string");
		c->name = strip_slash(strdup(n0->valuestring));
	} else {
		c->name = strndup(c->id, 12);
	}
	if (!c->name)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (labels && (get_string(labels, "com.docker.compose.service", false, &c->service,
				  "Labels.", err) < 0 ||
		       get_string(labels, "com.docker.compose.depends_on", false, &c->depends_on,
				  "Labels.", err) < 0))
		return -1;
	return 0;
}

int
wm_docker_parse_list(const char *json, size_t len, struct wm_container **out, size_t *n,
		     struct wm_err *err)
{
	cJSON *doc = parse_doc(json, len, err);
	struct wm_container *v = NULL;
	size_t count = 0, i = 0;
	const cJSON *it;

	*out = NULL;
	*n = 0;
	if (!doc)
		return -1;
	if (!cJSON_IsArray(doc)) {
		wm_err_set(err, WM_EPROTO, "container list: expected an array");
		goto out_free_doc;
	}
	count = (size_t)cJSON_GetArraySize(doc);
	v = calloc(count ? count : 1, sizeof(*v));
	if (!v) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_free_doc;
	}
	cJSON_ArrayForEach(it, doc)
	{
		if (parse_container(it, &v[i++], err) < 0) {
			wm_err_prefix(err, "container %zu", i - 1);
			goto out_free_list;
		}
	}
	cJSON_Delete(doc);
	*out = v;
	*n = count;
	return 0;
out_free_list:
	wm_docker_containers_free(v, count);
out_free_doc:
	cJSON_Delete(doc);
	return -1;
}

void
wm_docker_containers_free(struct wm_container *c, size_t n)
{
	if (!c)
		return;
	for (size_t i = 0; i < n; i++) {
		free(c[i].id);
		free(c[i].name);
		free(c[i].service);
		free(c[i].depends_on);
		free(c[i].state);
		free(c[i].status);
	}
	free(c);
}

/* State.Health: status, failing streak and the newest probe of Log. */
static int
parse_health(const cJSON *h, struct wm_inspect *in, struct wm_err *err)
{
	const cJSON *log, *last;

	if (get_string(h, "Status", true, &in->health, "State.Health.", err) < 0 ||
	    get_long(h, "FailingStreak", 0, &in->failing_streak, "State.Health.", err) < 0)
		return -1;
	if (strcmp(in->health, "none") == 0) { /* newer APIs: same as absent */
		free(in->health);
		in->health = NULL;
	}
	log = cJSON_GetObjectItemCaseSensitive(h, "Log");
	if (!log || cJSON_IsNull(log))
		return 0;
	if (!cJSON_IsArray(log))
		return wm_err_set(err, WM_EPROTO, "State.Health.Log: expected an array");
	last = cJSON_GetArrayItem(log, cJSON_GetArraySize(log) - 1);
	if (!last)
		return 0;
	if (!cJSON_IsObject(last))
		return wm_err_set(err, WM_EPROTO, "State.Health.Log[]: expected an object");
	if (get_string(last, "Output", false, &in->probe_output, "State.Health.Log[].", err) < 0 ||
	    get_long(last, "ExitCode", -1, &in->probe_exit, "State.Health.Log[].", err) < 0)
		return -1;
	return 0;
}

static int
parse_state(const cJSON *st, struct wm_inspect *in, struct wm_err *err)
{
	const cJSON *h;
	const char *p = "State.";

	if (get_string(st, "Status", true, &in->status, p, err) < 0 ||
	    get_bool(st, "Running", &in->running, p, err) < 0 ||
	    get_bool(st, "Paused", &in->paused, p, err) < 0 ||
	    get_bool(st, "Restarting", &in->restarting, p, err) < 0 ||
	    get_bool(st, "OOMKilled", &in->oom_killed, p, err) < 0 ||
	    get_bool(st, "Dead", &in->dead, p, err) < 0 ||
	    get_long(st, "ExitCode", 0, &in->exit_code, p, err) < 0 ||
	    get_string(st, "StartedAt", false, &in->started_at, p, err) < 0 ||
	    get_string(st, "FinishedAt", false, &in->finished_at, p, err) < 0 ||
	    get_object(st, "Health", &h, p, err) < 0)
		return -1;
	return h ? parse_health(h, in, err) : 0;
}

int
wm_docker_parse_inspect(const char *json, size_t len, struct wm_inspect *in, struct wm_err *err)
{
	cJSON *doc = parse_doc(json, len, err);
	const cJSON *st, *cfg, *labels = NULL;
	int rc = -1;

	memset(in, 0, sizeof(*in));
	in->probe_exit = -1;
	if (!doc)
		return -1;
	if (!cJSON_IsObject(doc)) {
		wm_err_set(err, WM_EPROTO, "inspect: expected an object");
		goto out_free_doc;
	}
	if (get_object(doc, "State", &st, "", err) < 0 ||
	    get_object(doc, "Config", &cfg, "", err) < 0 ||
	    get_long(doc, "RestartCount", 0, &in->restart_count, "", err) < 0 ||
	    get_string(doc, "Name", false, &in->name, "", err) < 0)
		goto out_clear;
	if (!st) {
		wm_err_set(err, WM_EPROTO, "State: missing");
		goto out_clear;
	}
	if (parse_state(st, in, err) < 0)
		goto out_clear;
	if (cfg && (get_bool(cfg, "Tty", &in->tty, "Config.", err) < 0 ||
		    get_object(cfg, "Labels", &labels, "Config.", err) < 0))
		goto out_clear;
	if (labels && get_string(labels, "com.docker.compose.service", false, &in->service,
				 "Config.Labels.", err) < 0)
		goto out_clear;
	strip_slash(in->name);
	rc = 0;
	goto out_free_doc;
out_clear:
	wm_docker_inspect_clear(in);
out_free_doc:
	cJSON_Delete(doc);
	return rc;
}

void
wm_docker_inspect_clear(struct wm_inspect *in)
{
	if (!in)
		return;
	free(in->status);
	free(in->started_at);
	free(in->finished_at);
	free(in->health);
	free(in->probe_output);
	free(in->name);
	free(in->service);
	memset(in, 0, sizeof(*in));
	in->probe_exit = -1;
}

double
wm_docker_cpu_percent(double total, double pre_total, double system, double pre_system,
		      double online_cpus)
{
	double cpu_delta = total - pre_total, system_delta = system - pre_system;

	if (system_delta > 0.0 && cpu_delta > 0.0)
		return cpu_delta / system_delta * online_cpus * 100.0;
	return 0.0;
}

double
wm_docker_mem_used(double usage, double total_inactive_file, double inactive_file)
{
	/* cgroup v1 first (its stats also carry inactive_file), then v2; an
	 * absent v2 key counts as 0, as in the CLI's map lookup. */
	if (total_inactive_file >= 0 && total_inactive_file < usage)
		return usage - total_inactive_file;
	if (inactive_file < 0)
		inactive_file = 0;
	if (inactive_file < usage)
		return usage - inactive_file;
	return usage;
}

/* cpu_stats / precpu_stats: total_usage, system_cpu_usage, online CPUs. */
static int
parse_cpu(const cJSON *o, const char *p, double *total, double *system, double *ncpu,
	  struct wm_err *err)
{
	const cJSON *u = NULL, *per;
	char path[48];

	*total = *system = *ncpu = 0;
	if (!o)
		return 0;
	if (get_counter(o, "system_cpu_usage", 0, system, p, err) < 0 ||
	    get_counter(o, "online_cpus", 0, ncpu, p, err) < 0 ||
	    get_object(o, "cpu_usage", &u, p, err) < 0)
		return -1;
	if (!u)
		return 0;
	snprintf(path, sizeof(path), "%scpu_usage.", p);
	if (get_counter(u, "total_usage", 0, total, path, err) < 0)
		return -1;
	per = cJSON_GetObjectItemCaseSensitive(u, "percpu_usage");
	if (per && !cJSON_IsNull(per) && !cJSON_IsArray(per))
		return wm_err_set(err, WM_EPROTO, "%spercpu_usage: expected an array", path);
	if (*ncpu == 0 && per && cJSON_IsArray(per))
		*ncpu = cJSON_GetArraySize(per);
	return 0;
}

static int
parse_mem(const cJSON *m, struct wm_docker_sample *s, struct wm_err *err)
{
	const cJSON *st = NULL;
	double usage, tif = -1, inf = -1;

	if (!m)
		return 0;
	if (get_counter(m, "usage", 0, &usage, "memory_stats.", err) < 0 ||
	    get_counter(m, "limit", 0, &s->mem_limit, "memory_stats.", err) < 0 ||
	    get_object(m, "stats", &st, "memory_stats.", err) < 0)
		return -1;
	if (st &&
	    (get_counter(st, "total_inactive_file", -1, &tif, "memory_stats.stats.", err) < 0 ||
	     get_counter(st, "inactive_file", -1, &inf, "memory_stats.stats.", err) < 0))
		return -1;
	s->mem_used = wm_docker_mem_used(usage, tif, inf);
	return 0;
}

int
wm_docker_parse_sample(const char *json, size_t len, struct wm_docker_sample *s, struct wm_err *err)
{
	cJSON *doc = parse_doc(json, len, err);
	const cJSON *cpu, *pre, *mem, *pids;
	double pncpu;
	char *read = NULL;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (!doc)
		return -1;
	if (!cJSON_IsObject(doc)) {
		wm_err_set(err, WM_EPROTO, "stats: expected an object");
		goto out_free_doc;
	}
	if (get_string(doc, "read", false, &read, "", err) < 0 ||
	    get_object(doc, "cpu_stats", &cpu, "", err) < 0 ||
	    get_object(doc, "precpu_stats", &pre, "", err) < 0 ||
	    get_object(doc, "memory_stats", &mem, "", err) < 0 ||
	    get_object(doc, "pids_stats", &pids, "", err) < 0 ||
	    parse_cpu(cpu, "cpu_stats.", &s->cpu_total, &s->system, &s->ncpu, err) < 0 ||
	    parse_cpu(pre, "precpu_stats.", &s->pre_cpu_total, &s->pre_system, &pncpu, err) < 0 ||
	    parse_mem(mem, s, err) < 0 ||
	    (pids && get_long(pids, "current", 0, &s->pids, "pids_stats.", err) < 0))
		goto out_free;
	s->running = read && strncmp(read, "0001-", 5) != 0;
	rc = 0;
out_free:
	free(read);
out_free_doc:
	cJSON_Delete(doc);
	return rc;
}

void
wm_docker_stats_compute(const struct wm_docker_sample *prev, const struct wm_docker_sample *cur,
			struct wm_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->running = cur->running;
	out->cpu_percent =
	    wm_docker_cpu_percent(cur->cpu_total, prev ? prev->cpu_total : cur->pre_cpu_total,
				  cur->system, prev ? prev->system : cur->pre_system, cur->ncpu);
	out->mem_used = cur->mem_used;
	out->mem_limit = cur->mem_limit;
	out->mem_percent = cur->mem_limit > 0 ? cur->mem_used / cur->mem_limit * 100.0 : 0.0;
	out->pids = cur->pids;
}

int
wm_docker_parse_stats(const char *json, size_t len, struct wm_stats *out, struct wm_err *err)
{
	struct wm_docker_sample s;

	memset(out, 0, sizeof(*out));
	if (wm_docker_parse_sample(json, len, &s, err) < 0)
		return -1;
	wm_docker_stats_compute(NULL, &s, out);
	return 0;
}

int
wm_docker_api_cmp(const char *a, const char *b)
{
	long am = strtol(a, (char **)&a, 10), bm = strtol(b, (char **)&b, 10);
	long an = *a == '.' ? strtol(a + 1, NULL, 10) : 0;
	long bn = *b == '.' ? strtol(b + 1, NULL, 10) : 0;

	if (am != bm)
		return am < bm ? -1 : 1;
	if (an != bn)
		return an < bn ? -1 : 1;
	return 0;
}
