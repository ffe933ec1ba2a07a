/* fuzz_smoke.c - wm-smoke's steps and answers: the input is cut at the
 * first NUL byte (or a line "--") into a configuration and an HTTP answer
 * body.  The configuration's [step] sections become a plan (captures,
 * dependencies, order, --step of every step), every url, header and body
 * is expanded with captures taken from the answer, and every step judges
 * the answer.  Invariants: a plan runs every step after the steps it needs;
 * a masked text holds no secret value; an expansion without unknown
 * references succeeds. */
#include "config.h"

#include <stdio.h>

#include "checks/smoke.h"
#include "conf/conf.h"
#include "fuzz.h"

/* Every step after its dependencies. */
static void
check_order(const struct wm_smoke_plan *p)
{
	for (size_t k = 0; k < p->n; k++)
		for (size_t d = 0; d < p->steps[k].ndeps; d++)
			if (p->steps[k].deps[d] >= k)
				abort();
}

static void
expand_all(const struct wm_http_spec *s, const struct wm_smoke_vars *v)
{
	struct wm_err err = {0};
	char *x;

	if ((x = wm_smoke_expand(s->url, v, false, &err)))
		free(x);
	if ((x = wm_smoke_expand(s->body, v, true, &err)))
		free(x);
	for (size_t h = 0; h < s->nheaders; h++)
		if ((x = wm_smoke_expand(s->headers[h], v, false, &err)))
			free(x);
}

/* The answer judged by every step, its captures kept, the secrets masked. */
static void
run(struct wm_smoke_plan *p, const char *body, size_t len)
{
	struct wm_http_header h = {.name = "X-Request-Id", .value = "abcdef123456"};
	struct wm_http_resp resp = {
	    .status = 200, .body = (char *)body, .body_len = len, .headers = &h, .nheaders = 1};
	struct wm_smoke_vars v = {0};
	cJSON *json = wm_smoke_json(&resp);
	char why[256], *m;

	if (wm_smoke_vars_set(&v, "password", "pa55word-secret", WM_MASK_ALWAYS) < 0)
		abort();
	for (size_t k = 0; k < p->n; k++) {
		const struct wm_http_spec *s = p->steps[k].spec;

		expand_all(s, &v);
		(void)wm_smoke_judge(s, &resp, json, why, sizeof(why));
		for (size_t c = 0; c < s->ncaptures; c++) {
			char *value = NULL;

			if (wm_smoke_capture(&s->captures[c], &resp, json, &value, why,
					     sizeof(why)) == 0 &&
			    wm_smoke_vars_set(&v, s->captures[c].name, value, WM_MASK_LONG) < 0)
				abort();
			free(value);
		}
	}
	m = wm_smoke_mask(body, &v);
	if (m && strstr(m, "pa55word-secret"))
		abort();
	free(m);
	cJSON_Delete(json);
	wm_smoke_vars_free(&v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *body = text + strlen(text), *cut;
	size_t tlen = strlen(text);
	struct wm_err err = {0};
	struct wm_config *cfg;
	struct wm_smoke_plan p;

	if ((cut = strstr(text, "\n--\n"))) {
		*cut = '\0';
		tlen = (size_t)(cut - text);
		body = cut + 4;
	} else if (tlen < size) {
		body = text + tlen + 1;
	}
	cfg = wm_config_parse("fuzz.conf", text, tlen, &err);
	if (cfg && wm_smoke_plan_load(cfg, &p, &err) == 0) {
		check_order(&p);
		for (size_t k = 0; k < p.n; k++) {
			char line[512];
			const char *name = p.steps[k].spec->name;

			wm_smoke_step_describe(&p, k, line, sizeof(line));
			if (wm_smoke_plan_select(&p, &name, 1, &err) < 0)
				abort(); /* a step of the plan is always found */
		}
		run(&p, body, strlen(body));
		wm_smoke_plan_free(&p);
	}
	wm_config_free(cfg);
	free(text);
	return 0;
}
