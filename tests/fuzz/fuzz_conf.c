/* fuzz_conf.c - the INI configuration: wm_config_parse of the bytes, then every
 * target it names selected, copied, given a -H spec, its Redis endpoint parsed,
 * every known key read through the typed accessors.  The raw bytes also go
 * through the host-spec parser, the threshold key grammar and wm_redact; the
 * threshold policy checks the file for every area.  Invariants: a parse error names
 * the file, redaction never lengthens. */
#include "config.h"

#include "conf/conf.h"
#include "fuzz.h"
#include "clients/redis.h"
#include "conf/conf_print.h"
#include "conf/conf_sections.h"
#include "conf/threshold_policy.h"

static void
read_keys(const struct wm_config *cfg, const char *section)
{
	const char *kind, *key;

	for (size_t i = 0; wm_config_known_key(i, &kind, &key) == 0; i++) {
		int64_t ms;
		char **list = NULL;
		size_t n = 0;

		(void)wm_config_get(cfg, section, key);
		(void)wm_config_bool(cfg, section, key, false);
		(void)wm_config_duration(cfg, section, key, &ms);
		if (wm_config_list(cfg, section, key, &list, &n) == 0)
			wm_config_list_free(list);
	}
}

/* The threshold policy over the file: every area's check, a lookup with and
 * without an instance. */
static void
thresholds(const struct wm_config *cfg, const struct wm_target *t)
{
	static const char *const areas[] = {"services", "errors", "cache", "db", NULL};

	for (size_t i = 0; areas[i]; i++) {
		struct wm_thresholds th = {.cfg = cfg, .target = t, .area = areas[i]};
		struct wm_err err = {0};

		(void)wm_thresholds_check(&th, &err);
		(void)wm_thresholds_get(&th, "errors", "api.v2", true, NULL);
		(void)wm_thresholds_get(&th, "hit_rate", NULL, false, NULL);
	}
}

/* The sections of the next programs, and --print-config of the target. */
static void
sections(const struct wm_config *cfg, const struct wm_target *t)
{
	struct wm_http_spec *h;
	struct wm_role *r;
	struct wm_approver *a;
	size_t n, len = 0;
	char *buf = NULL, dir[256];
	FILE *f;

	if (wm_config_probes(cfg, &h, &n, NULL) == 0)
		wm_http_specs_free(h, n);
	if (wm_config_steps(cfg, &h, &n, NULL) == 0)
		wm_http_specs_free(h, n);
	if (wm_config_roles(cfg, &r, &n, NULL) == 0)
		wm_roles_free(r, n);
	if (wm_config_approvers(cfg, &a, &n, NULL) == 0)
		wm_approvers_free(a, n);
	(void)wm_config_state_dir(cfg, dir, sizeof dir, NULL, NULL);
	if ((f = open_memstream(&buf, &len))) {
		(void)wm_config_print(cfg, t, NULL, f, NULL);
		fclose(f);
	}
	free(buf);
}

static void
use_target(const struct wm_config *cfg, const char *name)
{
	struct wm_err err = {0};
	const struct wm_target *t = wm_config_target(cfg, name, &err);
	struct wm_target *copy;
	struct wm_redis_endpoint ep;
	char buf[600];

	if (!t)
		return;
	(void)wm_config_threshold(cfg, t, "disk.used_pct", false);
	(void)wm_config_threshold(cfg, t, "cache.hit_rate", true);
	thresholds(cfg, t);
	sections(cfg, t);
	copy = wm_target_dup(t);
	if (copy)
		(void)wm_target_from_hostspec(copy, "user@[::1]:2222", &err);
	wm_target_free(copy);
	if (t->redis && wm_redis_endpoint_parse(t->redis, &ep, &err) == 0)
		wm_redis_endpoint_format(&ep, buf, sizeof(buf));
	if (t->section)
		read_keys(cfg, t->section);
}

/* A -H spec on a blank target, as the programs apply it. */
static void
hostspec(const char *s)
{
	struct wm_target t = {0};

	if (wm_target_from_hostspec(&t, s, NULL) == 0) {
		free(t.host);
		free(t.user);
		free(t.docker_socket);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_err err = {0};
	struct wm_config *cfg = wm_config_parse("fuzz", (const char *)data, size, &err);
	const char *const *names;
	char *copy;
	size_t n;

	if (cfg) {
		(void)wm_config_warnings(cfg, &n);
		read_keys(cfg, "general");
		read_keys(cfg, "thresholds");
		names = wm_config_target_names(cfg, &n);
		for (size_t i = 0; i < n && i < 16; i++)
			use_target(cfg, names[i]);
		use_target(cfg, NULL);
		use_target(cfg, "no-such-target");
		wm_config_free(cfg);
	} else if (strncmp(err.msg, "fuzz:", 5) != 0 && err.code != WM_ENOMEM) {
		abort(); /* every parse error names the file and line */
	}
	copy = fuzz_cstr(data, size);
	hostspec(copy);
	{
		struct wm_threshold_name tn;

		(void)wm_threshold_key_parse(copy, strlen(copy), &tn, NULL);
		(void)wm_threshold_arg_parse("errors", copy, strlen(copy), &tn, NULL);
	}
	wm_redact(copy);
	if (strlen(copy) > size)
		abort(); /* redaction never lengthens */
	free(copy);
	return 0;
}
