/* probe.c - the active probes of wm-security: the Warungin defaults and the
 * [probe NAME] sections, run over the session's HTTP endpoint (see probe.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "base/duration.h"
#include "checks/probe.h"
#include "checks/security.h"
#include "conf/conf.h"
#include "conf/conf_sections.h"
#include "session/endpoint.h"

#define SEC "security"
#define LOGIN_PATH "/api/auth/login"
#define CRED_BODY "{\"email\":\"{{user}}\",\"password\":\"{{password}}\"}"

static const char *
get(struct wm_session *s, const char *key)
{
	const struct wm_config *cfg = wm_session_config(s);

	return cfg ? wm_config_get(cfg, SEC, key) : NULL;
}

/* A v4 UUID nobody has: the 2FA probe's tenant, so a broken guard writes
 * nothing. */
static void
random_uuid(char *out, size_t size)
{
	unsigned char b[16];
	FILE *f = fopen("/dev/urandom", "rb");

	if (!f || fread(b, 1, sizeof b, f) != sizeof b)
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)(wm_now_ms() >> (i % 8) * 3) ^ (unsigned char)i;
	if (f)
		fclose(f);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

static struct wm_probe *
add(struct wm_probe *v, size_t *n, const char *name, const char *protection, const char *method,
    const char *status)
{
	struct wm_probe *p = &v[(*n)++];

	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	snprintf(p->protection, sizeof p->protection, "%s", protection);
	snprintf(p->method, sizeof p->method, "%s", method);
	snprintf(p->status, sizeof p->status, "%s", status);
	p->enabled = true;
	p->attempts = 1;
	p->max_ms = -1;
	return p;
}

/* The account of a default probe from [security] ROLE_user and
 * ROLE_password_file. */
static void
account(struct wm_session *s, struct wm_probe *p, const char *role, const char *what)
{
	char k[64];
	const char *v;

	snprintf(k, sizeof k, "%s_user", role);
	if ((v = get(s, k)))
		snprintf(p->user, sizeof p->user, "%s", v);
	snprintf(k, sizeof k, "%s_password_file", role);
	if ((v = get(s, k)))
		snprintf(p->password_file, sizeof p->password_file, "%s", v);
	p->needs_user = true;
	snprintf(p->not_configured, sizeof p->not_configured,
		 "not configured: set [security] %s_user and %s_password_file (%s)", role, role,
		 what);
}

static void
defaults(struct wm_session *s, struct wm_probe *v, size_t *n)
{
	const struct wm_config *cfg = wm_session_config(s);
	const char *login = get(s, "login_path") ? get(s, "login_path") : LOGIN_PATH;
	const char *store = get(s, "other_store_id");
	const char *base = wm_session_target(s)->base_url;
	char uuid[40], **hv;
	size_t nh;
	struct wm_probe *p;

	p = add(v, n, "no-token", "authentication", "GET", "401");
	snprintf(p->url, sizeof p->url, "/api/orders");

	p = add(v, n, "2fa", "2FA enforcement", "PUT", "403");
	random_uuid(uuid, sizeof uuid);
	snprintf(p->url, sizeof p->url, "/api/tenants/%s", uuid);
	snprintf(p->body, sizeof p->body, "{}");
	snprintf(p->json[0], sizeof p->json[0], "requires2FA = true");
	p->login = true;
	account(s, p, "admin", "an admin without 2FA that can do nothing else");
	p->enabled = !cfg || wm_config_bool(cfg, SEC, "require_2fa", true);

	p = add(v, n, "store-less", "store assignment enforcement", "POST", "403");
	snprintf(p->url, sizeof p->url, "%s", login);
	snprintf(p->body, sizeof p->body, CRED_BODY);
	account(s, p, "storeless", "a cashier without a store");

	p = add(v, n, "store-guard", "store authorization", "GET", "403");
	snprintf(p->url, sizeof p->url, "/api/orders?storeId=%s", store ? store : "");
	snprintf(p->json[0], sizeof p->json[0], "code = STORE_ACCESS_DENIED");
	p->login = true;
	account(s, p, "supervisor", "a supervisor of one store");
	if (!store) {
		p->user[0] = '\0'; /* cannot run: say what is missing */
		snprintf(p->not_configured, sizeof p->not_configured,
			 "not configured: set [security] other_store_id (a store the supervisor "
			 "may not see)");
	}

	p = add(v, n, "rate-limit", "login rate limit", "POST", "429");
	snprintf(p->url, sizeof p->url, "%s", login);
	snprintf(p->body, sizeof p->body,
		 "{\"email\":\"wm-rate-limit-probe@example.invalid\",\"password\":"
		 "\"not-a-password\"}");
	p->enabled = cfg && wm_config_bool(cfg, SEC, "rate_limit_probe", false);
	p->attempts = WM_PROBE_RATE_ATTEMPTS;
	if (get(s, "rate_limit_attempts"))
		p->attempts = (unsigned)strtoul(get(s, "rate_limit_attempts"), NULL, 10);
	if (p->attempts < 1 || p->attempts > 1000)
		p->attempts = WM_PROBE_RATE_ATTEMPTS;

	p = add(v, n, "headers", "security headers", "GET", "2xx");
	snprintf(p->url, sizeof p->url, "/");
	snprintf(p->headers, sizeof p->headers, "%s", WM_PROBE_HEADERS);
	if (cfg && wm_config_list(cfg, SEC, "headers", &hv, &nh) == 0 && hv) {
		size_t k = 0;

		p->headers[0] = '\0';
		for (size_t i = 0; i < nh && k < sizeof p->headers; i++)
			k += (size_t)snprintf(p->headers + k, sizeof p->headers - k, "%s%s",
					      i ? ", " : "", hv[i]);
		wm_config_list_free(hv);
	}
	if (base && strncmp(base, "https://", 8) == 0) {
		size_t k = strlen(p->headers);

		snprintf(p->headers + k, sizeof p->headers - k, "%sStrict-Transport-Security",
			 k ? ", " : "");
	}
}

/* Copy text into a field of a probe; false when it does not fit. */
static bool
put(char *dst, size_t size, const char *text)
{
	return (size_t)snprintf(dst, size, "%s", text ? text : "") < size;
}

/* Join the n texts of v with ", " into dst; false when they do not fit. */
static bool
join(char *dst, size_t size, char *const *v, size_t n)
{
	size_t k = 0;

	dst[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(dst + k, size - k, "%s%s", i ? ", " : "", v[i]);

		if (w < 0 || (size_t)w >= size - k)
			return false;
		k += (size_t)w;
	}
	return true;
}

/* A [probe NAME] section as a probe (replacing a default of its name), or
 * -1 with err naming file:line when a key cannot be honoured as written:
 * more headers or expect_json lines than a probe holds, a value too long,
 * body together with body_file.  Nothing is cut or dropped in silence. */
static int
from_spec(struct wm_session *s, const struct wm_http_spec *sp, struct wm_probe *p,
	  struct wm_err *err)
{
	const struct wm_config *cfg = wm_session_config(s);
	const char *file = cfg ? wm_config_path(cfg) : NULL;
	const char *bad = NULL;
	char sec[128];

	memset(p, 0, sizeof *p);
	snprintf(sec, sizeof sec, "probe %s", sp->name);
	if (!put(p->name, sizeof p->name, sp->name))
		bad = "its name is too long";
	else if (!put(p->protection, sizeof p->protection,
		      sp->protection ? sp->protection : sp->name))
		bad = "protection is too long";
	else if (!put(p->method, sizeof p->method, sp->method ? sp->method : "GET"))
		bad = "method is too long";
	else if (!put(p->url, sizeof p->url, sp->url ? sp->url : "/"))
		bad = "url is too long (at most 511 bytes)";
	else if (!put(p->body, sizeof p->body, sp->body))
		bad = "body is too long (at most 511 bytes; body_file takes 4 KiB)";
	else if (sp->body && sp->body_file)
		bad = "body and body_file: one of them";
	else if (!put(p->body_file, sizeof p->body_file, sp->body_file))
		bad = "body_file's path is too long";
	else if (sp->nheaders > WM_PROBE_NHDR)
		bad = "more than 4 header lines";
	else if (sp->nexpect_json > WM_PROBE_NJSON)
		bad = "more than 4 expect_json lines";
	else if (!join(p->status, sizeof p->status, sp->expect_status, sp->nexpect_status))
		bad = "expect_status is too long";
	else if (!join(p->headers, sizeof p->headers, sp->expect_headers, sp->nexpect_headers))
		bad = "expect_header lines too long together (at most 511 bytes)";
	else if (!put(p->body_pattern, sizeof p->body_pattern, sp->expect_body))
		bad = "expect_body is too long (at most 255 bytes)";
	for (size_t i = 0; !bad && i < sp->nheaders; i++)
		if (!put(p->header[i], sizeof p->header[i], sp->headers[i]))
			bad = "a header line is too long (at most 255 bytes)";
	for (size_t i = 0; !bad && i < sp->nexpect_json; i++)
		if (!put(p->json[i], sizeof p->json[i], sp->expect_json[i]))
			bad = "an expect_json line is too long (at most 127 bytes)";
	if (bad) {
		if (file && sp->line > 0)
			return wm_err_set(err, WM_ECONFIG, "%s:%d: [%s]: %s", file, sp->line, sec,
					  bad);
		return wm_err_set(err, WM_ECONFIG, "[%s]: %s", sec, bad);
	}
	p->enabled = sp->enabled;
	p->attempts = 1;
	p->max_ms = sp->max_time_ms;
	if (sp->credentials_file) {
		const char *u = cfg ? wm_config_get(cfg, sec, "user") : NULL;

		snprintf(p->password_file, sizeof p->password_file, "%s", sp->credentials_file);
		snprintf(p->user, sizeof p->user, "%s", u ? u : "");
		p->needs_user = true;
		/* a body_file with {{password}} is a login itself (probe_run.c) */
		p->login = !strstr(p->body, "{{password}}");
		snprintf(p->not_configured, sizeof p->not_configured,
			 "not configured: [%.60s] has a credentials_file but no user", sec);
	}
	return 0;
}

int
wm_probes_load(struct wm_session *s, struct wm_probe *v, size_t *n, struct wm_err *err)
{
	const struct wm_config *cfg = wm_session_config(s);
	struct wm_http_spec *sp = NULL;
	size_t ns = 0;
	int rc = 0;

	*n = 0;
	if (!cfg || wm_config_bool(cfg, SEC, "default_probes", true))
		defaults(s, v, n);
	if (cfg && wm_config_probes(cfg, &sp, &ns, err) < 0)
		return -1;
	for (size_t i = 0; i < ns && rc == 0; i++) {
		size_t k;

		for (k = 0; k < *n && strcmp(v[k].name, sp[i].name) != 0; k++)
			;
		if (k == *n && *n == WM_PROBE_MAX) {
			rc = wm_err_set(err, WM_ECONFIG, "more than %d probes ([probe %s])",
					WM_PROBE_MAX, sp[i].name);
			break;
		}
		if ((rc = from_spec(s, &sp[i], &v[k], err)) == 0 && k == *n)
			(*n)++;
	}
	wm_http_specs_free(sp, ns);
	return rc;
}
