/* conf_keys.c - the known sections and keys of the configuration file, and
 * the checks of their values that need no parsing context.  A program that
 * needs settings of its own adds a section (or keys) here;
 * warunginmon.conf(5) documents the same table (tests/cli/check-docs.sh). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"

static const struct key_spec general_keys[] = {
    {"default_target", K_TEXT, NULL},
    {"timeout", K_DURATION, NULL},
    {"state_dir", K_TEXT, NULL},
    {"time_zones", K_LIST, NULL},
    {NULL, 0, NULL},
};

static const struct key_spec no_keys[] = {{NULL, 0, NULL}};

static const struct key_spec target_keys[] = {
    {"host", K_TEXT, NULL},	   {"user", K_TEXT, NULL},
    {"port", K_PORT, NULL},	   {"identity", K_TEXT, NULL},
    {"known_hosts", K_TEXT, NULL}, {"docker_socket", K_TEXT, NULL},
    {"project", K_TEXT, NULL},	   {"services", K_LIST, NULL},
    {"redis", K_TEXT, NULL},	   {"redis_password_file", K_TEXT, NULL},
    {"postgres", K_TEXT, NULL},	   {"postgres_password_file", K_TEXT, NULL},
    {"base_url", K_TEXT, NULL},	   {"metrics_url", K_TEXT, NULL},
    {"tls_verify", K_BOOL, NULL},  {"never_shrink", K_LIST, NULL},
    {"disk_paths", K_LIST, NULL},  {"depends_on", K_LIST, NULL},
    {"ca_file", K_TEXT, NULL},	   {NULL, 0, NULL},
};

/* [smoke] and [security] keep their settings of the whole run; the steps and
 * probes they listed became sections of their own. */
static const struct key_spec smoke_keys[] = {
    {"health_path", K_TEXT, "a [step NAME] section (url = PATH)"},
    {"frontend_path", K_TEXT, "a [step NAME] section (url = PATH)"},
    {"api_paths", K_LIST, "one [step NAME] section per path"},
    {"login_path", K_TEXT, "a [step login] section (url, method = POST)"},
    {"login_user", K_TEXT, NULL},
    {"login_password_file", K_TEXT, NULL},
    {"header", K_LINES, NULL},
    {"timeout", K_DURATION, NULL},
    {NULL, 0, NULL},
};

static const struct key_spec security_keys[] = {
    {"require_2fa", K_BOOL, NULL},
    {"probes", K_LIST, "one [probe NAME] section per probe"},
    {"intrusion_words", K_LIST, NULL},
    {"access_services", K_LIST, NULL},
    {"backend_services", K_LIST, NULL},
    {"access_log", K_TEXT, NULL},
    {"access_format", K_TEXT, NULL},
    {"trust_forwarded", K_BOOL, NULL},
    {"login_paths", K_LIST, NULL},
    {"scanner_paths", K_LIST, NULL},
    {"brute_force_attempts", K_TEXT, NULL},
    {"brute_force_window", K_DURATION, NULL},
    {"default_probes", K_BOOL, NULL},
    {"login_path", K_TEXT, NULL},
    {"admin_user", K_TEXT, NULL},
    {"admin_password_file", K_TEXT, NULL},
    {"supervisor_user", K_TEXT, NULL},
    {"supervisor_password_file", K_TEXT, NULL},
    {"storeless_user", K_TEXT, NULL},
    {"storeless_password_file", K_TEXT, NULL},
    {"other_store_id", K_TEXT, NULL},
    {"rate_limit_probe", K_BOOL, NULL},
    {"rate_limit_attempts", K_TEXT, NULL},
    {"headers", K_LIST, NULL},
    {NULL, 0, NULL},
};

/* wm-perf: what the application exports and logs, and what --sample asks. */
static const struct key_spec perf_keys[] = {
    {"http_metric", K_TEXT, NULL},
    {"db_metric", K_TEXT, NULL},
    {"route_label", K_TEXT, NULL},
    {"method_label", K_TEXT, NULL},
    {"status_label", K_TEXT, NULL},
    {"db_p95_source", K_TEXT, NULL},
    {"log_services", K_LIST, NULL},
    {"access_format", K_TEXT, NULL},
    {"duration_fields", K_LIST, NULL},
    {"sample_urls", K_LIST, NULL},
    {NULL, 0, NULL},
};

/* wm-report: the go-live judgement's settings. */
static const struct key_spec report_keys[] = {
    {"critical_limit", K_NUMBER, NULL},
    {"coverage_min", K_PERCENT, NULL},
    {"observation_window", K_SPAN, NULL},
    {NULL, 0, NULL},
};

static const struct key_spec escalation_keys[] = {
    {"contacts", K_LIST, "the contacts of [role NAME] sections"},
    {"approvers", K_LIST, "one [approver NAME] section per sign-off role"},
    {"command", K_TEXT, NULL},
    {"webhook", K_TEXT, NULL},
    {"alertmanager", K_TEXT, NULL},
    {"renotify", K_DURATION, NULL},
    {NULL, 0, NULL},
};

/* wm-run's watch between ticks (lib/run/watch.h). */
static const struct key_spec watch_keys[] = {
    {"interval", K_DURATION, NULL},   {"api_slow", K_DURATION, NULL},
    {"lost_rounds", K_TEXT, NULL},    {"baseline", K_DURATION, NULL},
    {"drift_factor", K_TEXT, NULL},   {"errors_per_min", K_TEXT, NULL},
    {"denied_per_min", K_TEXT, NULL}, {"follow_logs", K_BOOL, NULL},
    {"tfa_probe", K_BOOL, NULL},      {NULL, 0, NULL},
};

/* An HTTP exchange and what its answer must show: [probe NAME] for
 * wm-security, [step NAME] for wm-smoke (which adds captures and order). */
static const struct key_spec http_keys[] = {
    {"method", K_METHOD, NULL},	       {"url", K_TEXT, NULL},
    {"header", K_LINES, NULL},	       {"body", K_TEXT, NULL},
    {"body_file", K_TEXT, NULL},       {"credentials_file", K_TEXT, NULL},
    {"expect_status", K_STATUS, NULL}, {"expect_header", K_LINES, NULL},
    {"expect_json", K_LINES, NULL},    {"expect_body", K_TEXT, NULL},
    {"max_time", K_DURATION, NULL},    {NULL, 0, NULL},
};

static const struct key_spec probe_keys[] = {
    {"protection", K_TEXT, NULL},
    {"user", K_TEXT, NULL},
    {"enabled", K_BOOL, NULL},
    {NULL, 0, NULL},
};

static const struct key_spec step_keys[] = {
    {"capture", K_CAPTURE, NULL}, {"after", K_LIST, NULL}, {"direct", K_BOOL, NULL},
    {"type", K_STEPTYPE, NULL},	  {"user", K_TEXT, NULL},  {NULL, 0, NULL},
};

static const struct key_spec role_keys[] = {
    {"title", K_TEXT, NULL},
    {"level", K_LEVEL, NULL},
    {"contacts", K_LIST, NULL},
    {"response_time", K_DURATION, NULL},
    {"handles", K_LIST, NULL},
    {"command", K_TEXT, NULL},
    {NULL, 0, NULL},
};

static const struct key_spec approver_keys[] = {
    {"title", K_TEXT, NULL},
    {"contacts", K_LIST, NULL},
    {"signs_for", K_LIST, NULL},
    {"required", K_BOOL, NULL},
    {NULL, 0, NULL},
};

/* A tier of wm-run's plan (model/schedule.h; values checked by the plan). */
static const struct key_spec tier_keys[] = {
    {"at", K_TEXT, NULL},	 {"checks", K_LIST, NULL}, {"window", K_DURATION, NULL},
    {"grace", K_DURATION, NULL}, {NULL, 0, NULL},
};

static const struct key_spec errors_keys[] = {
    {"critical_pattern", K_TEXT, NULL},
    {"error_pattern", K_TEXT, NULL},
    {"warn_pattern", K_TEXT, NULL},
    {NULL, 0, NULL},
};

static const struct section_spec sections[] = {
    {"general", false, false, general_keys, NULL},
    {"thresholds", false, true, no_keys, NULL},
    {"target", true, true, target_keys, NULL},
    {"smoke", false, false, smoke_keys, NULL},
    {"security", false, false, security_keys, NULL},
    {"perf", false, false, perf_keys, NULL},
    {"report", false, false, report_keys, NULL},
    {"escalation", false, false, escalation_keys, NULL},
    {"watch", false, false, watch_keys, NULL},
    {"errors", true, false, errors_keys, NULL},
    {"probe", true, false, probe_keys, http_keys},
    {"step", true, false, step_keys, http_keys},
    {"role", true, false, role_keys, NULL},
    {"approver", true, false, approver_keys, NULL},
    {"tier", true, false, tier_keys, NULL},
};

/* "target  prod" -> kind "target" (length in *klen). */
const struct section_spec *
conf_section_lookup(const char *section, size_t *klen)
{
	size_t n = strcspn(section, " ");

	*klen = n;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (strlen(sections[i].kind) == n && strncmp(section, sections[i].kind, n) == 0)
			return &sections[i];
	}
	return NULL;
}

/* "capture token" is the key "capture" of the capture named token. */
static const struct key_spec *
key_in(const struct key_spec *keys, const char *key)
{
	for (const struct key_spec *k = keys; k && k->key; k++) {
		size_t n = strlen(k->key);

		if (strcmp(k->key, key) == 0 && k->kind != K_CAPTURE)
			return k;
		if (k->kind == K_CAPTURE && strncmp(key, k->key, n) == 0 && key[n] == ' ' &&
		    key[n + 1] && key[n + 1 + strspn(key + n + 1, NAME_CHARS)] == '\0')
			return k;
	}
	return NULL;
}

const struct key_spec *
conf_key_lookup(const struct section_spec *sp, const char *key)
{
	const struct key_spec *k = key_in(sp->keys, key);

	return k ? k : key_in(sp->more, key);
}

bool
conf_is_threshold_key(const char *key)
{
	const char *dot = strrchr(key, '.');

	return dot && dot != key && (strcmp(dot, ".warning") == 0 || strcmp(dot, ".critical") == 0);
}

/* The i-th key of the table (sections' own keys, then their shared ones). */
static const struct key_spec *
nth_key(size_t i, const struct section_spec **sp)
{
	for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		for (int part = 0; part < 2; part++) {
			const struct key_spec *k = part ? sections[s].more : sections[s].keys;

			for (; k && k->key; k++) {
				if (i-- == 0) {
					*sp = &sections[s];
					return k;
				}
			}
		}
	}
	return NULL;
}

int
wm_config_known_key(size_t i, const char **section_kind, const char **key)
{
	const struct section_spec *sp;
	const struct key_spec *k = nth_key(i, &sp);

	if (!k)
		return -1;
	*section_kind = sp->kind;
	*key = k->key;
	return 0;
}

const char *
wm_config_key_replaced(const char *section_kind, const char *key)
{
	size_t klen;
	const struct section_spec *sp = conf_section_lookup(section_kind, &klen);
	const struct key_spec *k = sp ? conf_key_lookup(sp, key) : NULL;

	return k ? k->instead : NULL;
}

bool
conf_is_list_key(const char *section, const char *key)
{
	size_t klen;
	const struct section_spec *sp = conf_section_lookup(section, &klen);
	const struct key_spec *k = sp ? conf_key_lookup(sp, key) : NULL;

	return k && k->kind == K_LIST;
}

bool
conf_is_lines_key(const char *section, const char *key)
{
	size_t klen;
	const struct section_spec *sp = conf_section_lookup(section, &klen);
	const struct key_spec *k = sp ? conf_key_lookup(sp, key) : NULL;

	return k && k->kind == K_LINES;
}

/* Write the message, return -1. */
static int fail(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Is every item of the list text an HTTP status (200) or class (2xx)? */
static bool
status_list_ok(const char *text)
{
	const char *p = text;
	bool any = false;

	for (;;) {
		size_t n;

		p += strspn(p, ", \t");
		if (!*p)
			return any;
		n = strcspn(p, ", \t");
		if (n != 3 || p[0] < '1' || p[0] > '5' ||
		    !((isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) ||
		      (p[1] == 'x' && p[2] == 'x')))
			return false;
		any = true;
		p += n;
	}
}

int
conf_parse_number(const struct key_spec *k, const char *value, double *v, char *msg, size_t len)
{
	bool pct = k->kind == K_PERCENT;
	char *end;

	errno = 0;
	*v = strtod(value, &end);
	if (pct)
		end += strspn(end, " \t") + (*(end + strspn(end, " \t")) == '%');
	if (end == value || *end || errno || !isfinite(*v) || *v < 0 || (pct && *v > 100))
		return fail(msg, len, "%s: expected %s, got '%s'", k->key,
			    pct ? "a percentage 0-100 such as 99%" : "a number >= 0", value);
	return 0;
}

/* The values of the [probe], [step] and [role] kinds, and numbers. */
int
conf_check_http_value(const struct key_spec *k, const char *value, char *msg, size_t len)
{
	size_t n = strlen(value);

	switch (k->kind) {
	case K_METHOD:
		if (n == 0 || n > 16 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != n)
			return fail(msg, len,
				    "%s: expected an HTTP method such as GET or POST, "
				    "got '%s'",
				    k->key, value);
		break;
	case K_STATUS:
		if (!status_list_ok(value))
			return fail(msg, len,
				    "%s: expected HTTP statuses such as 200, 401 or 2xx, "
				    "got '%s'",
				    k->key, value);
		break;
	case K_LEVEL:
		if (n != 1 || value[0] < '1' || value[0] > '9')
			return fail(msg, len, "%s: expected a level 1-9, got '%s'", k->key, value);
		break;
	case K_CAPTURE:
		if ((strncmp(value, "json:", 5) || !value[5]) &&
		    (strncmp(value, "header:", 7) || !value[7]))
			return fail(msg, len, "%s: expected json:PATH or header:NAME, got '%s'",
				    k->key, value);
		break;
	case K_STEPTYPE:
		if (strcmp(value, "http") && strcmp(value, "db") && strcmp(value, "cache"))
			return fail(msg, len, "%s: expected http, db or cache, got '%s'", k->key,
				    value);
		break;
	case K_NUMBER:
	case K_PERCENT: {
		double v;

		return conf_parse_number(k, value, &v, msg, len);
	}
	case K_LINES:
		/* header = Name: value; expect_header = Name or Name: value */
		if (strcmp(k->key, "header") == 0 && (!strchr(value, ':') || value[0] == ':'))
			return fail(msg, len, "header: expected 'Name: value', got '%s'", value);
		break;
	default:
		break;
	}
	return 0;
}
