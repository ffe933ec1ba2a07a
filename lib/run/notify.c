/* notify.c - the hook, the webhook and Alertmanager (see notify.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exec.h"
#include "clients/http.h"
#include "conf/conf_sections.h"
#include "run/notify.h"

#define ARGV_MAX 32

struct argv {
	char *buf; /* the words, NUL-separated */
	char *v[ARGV_MAX + 1];
	size_t n;
};

struct wm_notifier {
	struct argv hook;		  /* [escalation] command */
	struct argv role_hook[WM_ROLE_N]; /* [role] command of each chain role */
	char *webhook, *am;
	struct wm_http *http;
};

/* Split s on blanks into a (no quoting: the command is argv, never a shell). */
static int
split(const char *s, struct argv *a)
{
	char *p;

	memset(a, 0, sizeof(*a));
	if (!s || !*s)
		return 0;
	if (!(a->buf = strdup(s)))
		return -1;
	for (p = strtok(a->buf, " \t"); p && a->n < ARGV_MAX; p = strtok(NULL, " \t"))
		a->v[a->n++] = p;
	a->v[a->n] = NULL;
	return 0;
}

/* The chain role a [role NAME] section stands for, by its name with '-',
 * '_' and case ignored ("on-call", "oncall", "tech_lead", "dba", …); -1. */
static int
chain_role(const char *name)
{
	static const struct {
		const char *name;
		enum wm_chain_role r;
	} names[] = {
	    {"oncall", WM_ROLE_ONCALL},
	    {"primaryoncall", WM_ROLE_ONCALL},
	    {"secondary", WM_ROLE_SECONDARY},
	    {"secondaryoncall", WM_ROLE_SECONDARY},
	    {"techlead", WM_ROLE_TECH_LEAD},
	    {"databaseadmin", WM_ROLE_DBA},
	    {"dba", WM_ROLE_DBA},
	    {"frontendlead", WM_ROLE_FRONTEND_LEAD},
	    {"securitylead", WM_ROLE_SECURITY_LEAD},
	    {"cto", WM_ROLE_CTO},
	};
	char n[64];
	size_t k = 0;

	for (; *name && k + 1 < sizeof(n); name++)
		if (*name != '-' && *name != '_' && *name != ' ')
			n[k++] = (char)tolower((unsigned char)*name);
	n[k] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(n, names[i].name))
			return (int)names[i].r;
	return -1;
}

int
wm_notify_chain_role(const char *name)
{
	return chain_role(name);
}

static bool
is_http_url(const char *u)
{
	return u && (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8));
}

struct wm_notifier *
wm_notifier_new(const struct wm_config *cfg, struct wm_err *err)
{
	struct wm_notifier *n = calloc(1, sizeof(*n));
	const char *cmd = cfg ? wm_config_get(cfg, "escalation", "command") : NULL;
	const char *wh = cfg ? wm_config_get(cfg, "escalation", "webhook") : NULL;
	const char *am = cfg ? wm_config_get(cfg, "escalation", "alertmanager") : NULL;
	struct wm_role *roles = NULL;
	size_t nroles = 0;

	if (!n || split(cmd, &n->hook) < 0)
		goto nomem;
	if ((wh && !is_http_url(wh)) || (am && !is_http_url(am))) {
		wm_err_set(err, WM_ECONFIG,
			   "[escalation] webhook and alertmanager must be http(s) URLs");
		wm_notifier_free(n);
		return NULL;
	}
	if ((wh && !(n->webhook = strdup(wh))) || (am && !(n->am = strdup(am))))
		goto nomem;
	if (cfg && wm_config_roles(cfg, &roles, &nroles, err) < 0) {
		wm_notifier_free(n);
		return NULL;
	}
	for (size_t i = 0; i < nroles; i++) {
		int r = chain_role(roles[i].name);

		if (r >= 0 && roles[i].command && !n->role_hook[r].n &&
		    split(roles[i].command, &n->role_hook[r]) < 0) {
			wm_roles_free(roles, nroles);
			goto nomem;
		}
	}
	wm_roles_free(roles, nroles);
	if ((n->webhook || n->am) && !(n->http = wm_http_new(err))) {
		wm_notifier_free(n);
		return NULL;
	}
	return n;
nomem:
	wm_notifier_free(n);
	wm_err_set(err, WM_ENOMEM, "out of memory");
	return NULL;
}

void
wm_notifier_free(struct wm_notifier *n)
{
	if (!n)
		return;
	free(n->hook.buf);
	for (int r = 0; r < WM_ROLE_N; r++)
		free(n->role_hook[r].buf);
	free(n->webhook);
	free(n->am);
	wm_http_free(n->http);
	free(n);
}

size_t
wm_notifier_channels(const struct wm_notifier *n)
{
	bool hook = n->hook.n > 0;

	for (int r = 0; r < WM_ROLE_N; r++)
		hook = hook || n->role_hook[r].n > 0;
	return (size_t)hook + (n->webhook != NULL) + (n->am != NULL);
}

bool
wm_notifier_has_am(const struct wm_notifier *n)
{
	return n->am != NULL;
}

const char *
wm_channel_name(enum wm_channel c)
{
	return c == WM_CH_HOOK ? "hook" : c == WM_CH_WEBHOOK ? "webhook" : "alertmanager";
}

static void
run_hook(const struct argv *a, const char *json, struct wm_notify_answer *ans)
{
	struct wm_exec_result res;
	struct wm_err e = {0};

	ans->channel = WM_CH_HOOK;
	if (wm_exec(a->v, json, WM_NOTIFY_TIMEOUT_MS, 4096, &res, &e) < 0) {
		snprintf(ans->detail, sizeof(ans->detail), "%.150s", e.msg);
	} else if (res.timed_out) {
		snprintf(ans->detail, sizeof(ans->detail), "%s: no exit within %d ms", a->v[0],
			 WM_NOTIFY_TIMEOUT_MS);
	} else {
		ans->ok = res.status == 0;
		snprintf(ans->detail, sizeof(ans->detail), "%s: exit %d%s%.100s", a->v[0],
			 res.status, res.status && res.err_out && *res.err_out ? ": " : "",
			 res.status && res.err_out ? res.err_out : "");
		ans->detail[strcspn(ans->detail, "\n")] = '\0';
	}
	wm_exec_result_free(&res);
}

/* why (an http error: "URL: reason") without the URL's path, into ans: a
 * webhook's path is often its secret (Slack's, Discord's), and the answer
 * is journaled and reported. */
static void
answer_why(const char *why, struct wm_notify_answer *ans)
{
	const char *host = strstr(why, "://"), *end, *slash;

	if (!host || host - why > 8 || !(end = strstr(host, ": ")) ||
	    !(slash = memchr(host + 3, '/', (size_t)(end - host - 3)))) {
		snprintf(ans->detail, sizeof(ans->detail), "%.150s", why);
		return;
	}
	snprintf(ans->detail, sizeof(ans->detail), "%.*s/...%.100s", (int)(slash - why), why, end);
}

static void
post(struct wm_notifier *n, enum wm_channel ch, const char *url, const char *body,
     struct wm_notify_answer *ans)
{
	static const char *const headers[] = {"Content-Type: application/json", NULL};
	struct wm_http_req req = {
	    .method = "POST",
	    .url = url,
	    .headers = headers,
	    .body = body,
	    .body_len = strlen(body),
	    .body_max = 64 * 1024,
	    .timeout_ms = WM_NOTIFY_TIMEOUT_MS,
	};
	struct wm_http_resp resp;
	struct wm_err e = {0};

	ans->channel = ch;
	if (wm_http_request(n->http, &req, &resp, &e) < 0) {
		answer_why(e.msg, ans);
	} else {
		ans->ok = resp.status >= 200 && resp.status < 300;
		snprintf(ans->detail, sizeof(ans->detail), "HTTP %ld", resp.status);
	}
	wm_http_resp_free(&resp);
}

int
wm_notify_am(struct wm_notifier *n, const cJSON *alert, struct wm_notify_answer *ans)
{
	char url[1024], *body;
	cJSON *arr;
	size_t len;

	memset(ans, 0, sizeof(*ans));
	ans->channel = WM_CH_ALERTMANAGER;
	if (!n->am)
		return -1;
	len = strlen(n->am);
	snprintf(url, sizeof(url), "%.*s/api/v2/alerts",
		 (int)(len && n->am[len - 1] == '/' ? len - 1 : len), n->am);
	arr = cJSON_CreateArray();
	if (!arr || !cJSON_AddItemToArray(arr, cJSON_Duplicate(alert, true)) ||
	    !(body = cJSON_PrintUnformatted(arr))) {
		cJSON_Delete(arr);
		snprintf(ans->detail, sizeof(ans->detail), "out of memory");
		return -1;
	}
	cJSON_Delete(arr);
	post(n, WM_CH_ALERTMANAGER, url, body, ans);
	free(body);
	return ans->ok ? 0 : -1;
}

/* The hook of role: its [role] command, else [escalation] command. */
static const struct argv *
hook_of(const struct wm_notifier *n, enum wm_chain_role role)
{
	return (unsigned)role < WM_ROLE_N && n->role_hook[role].n ? &n->role_hook[role] : &n->hook;
}

size_t
wm_notify_route(const struct wm_notifier *n, enum wm_chain_role role, bool with_am,
		enum wm_channel *out)
{
	size_t k = 0;

	if (hook_of(n, role)->n)
		out[k++] = WM_CH_HOOK;
	if (n->webhook)
		out[k++] = WM_CH_WEBHOOK;
	if (n->am && with_am)
		out[k++] = WM_CH_ALERTMANAGER;
	return k;
}

void
wm_notify_one(struct wm_notifier *n, enum wm_channel ch, enum wm_chain_role role,
	      const cJSON *payload, const cJSON *alert, struct wm_notify_answer *ans)
{
	char *json;

	memset(ans, 0, sizeof(*ans));
	ans->channel = ch;
	if (ch == WM_CH_ALERTMANAGER) {
		if (alert)
			wm_notify_am(n, alert, ans);
		return;
	}
	if (!(json = cJSON_PrintUnformatted(payload))) {
		snprintf(ans->detail, sizeof(ans->detail), "out of memory");
		return;
	}
	if (ch == WM_CH_HOOK && hook_of(n, role)->n)
		run_hook(hook_of(n, role), json, ans);
	else if (ch == WM_CH_WEBHOOK && n->webhook)
		post(n, WM_CH_WEBHOOK, n->webhook, json, ans);
	else
		snprintf(ans->detail, sizeof(ans->detail), "not configured");
	free(json);
}

size_t
wm_notify_send(struct wm_notifier *n, enum wm_chain_role role, const cJSON *payload,
	       const cJSON *alert, struct wm_notify_answer *ans)
{
	enum wm_channel ch[WM_NOTIFY_CHANNELS];
	size_t k = wm_notify_route(n, role, alert != NULL, ch);

	for (size_t i = 0; i < k; i++)
		wm_notify_one(n, ch[i], role, payload, alert, &ans[i]);
	return k;
}

cJSON *
wm_notify_answers_json(const struct wm_notify_answer *ans, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(a, o) ||
		    !cJSON_AddStringToObject(o, "channel", wm_channel_name(ans[i].channel)) ||
		    !cJSON_AddBoolToObject(o, "ok", ans[i].ok) ||
		    !cJSON_AddStringToObject(o, "detail", ans[i].detail)) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}
