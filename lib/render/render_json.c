/* render_json.c - the json and ndjson formats (DESIGN §3), built with cJSON.
 *
 * Every string goes through wm_render_utf8 first: cJSON escapes control
 * characters, quotes and backslashes but copies other bytes as they are, so
 * invalid UTF-8 from a log line would otherwise make the document invalid.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "render/render_int.h"

/* Add a UTF-8-clean copy of s (NULL -> null) under key. */
static bool
add_string(cJSON *obj, const char *key, const char *s)
{
	cJSON *item;
	char *clean;

	if (!s)
		return cJSON_AddNullToObject(obj, key) != NULL;
	clean = wm_render_utf8(s);
	if (!clean)
		return false;
	item = cJSON_AddStringToObject(obj, key, clean);
	free(clean);
	return item != NULL;
}

/* A number, or null for NaN/infinite. */
static bool
add_number(cJSON *obj, const char *key, double v)
{
	if (!isfinite(v))
		return cJSON_AddNullToObject(obj, key) != NULL;
	return cJSON_AddNumberToObject(obj, key, v) != NULL;
}

/* Replace every string and key in a (copied) tree by a UTF-8-clean copy. */
static bool
clean_tree(cJSON *node)
{
	for (; node; node = node->next) {
		if (node->string) {
			char *k = wm_render_utf8(node->string);

			if (!k)
				return false;
			if (!(node->type & cJSON_StringIsConst))
				cJSON_free(node->string);
			node->string = k;
			node->type &= ~cJSON_StringIsConst;
		}
		if (cJSON_IsString(node) && node->valuestring) {
			char *v = wm_render_utf8(node->valuestring);

			if (!v)
				return false;
			cJSON_free(node->valuestring);
			node->valuestring = v;
		}
		if (!clean_tree(node->child))
			return false;
	}
	return true;
}

static cJSON *
metric_json(const struct wm_metric *m)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !add_string(o, "name", m->name) || !add_number(o, "value", m->value) ||
	    !add_string(o, "unit", m->unit) || !add_string(o, "warn", m->warn) ||
	    !add_string(o, "crit", m->crit) || !add_number(o, "min", m->min) ||
	    !add_number(o, "max", m->max)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* name, state, summary, metrics, data of c into obj. */
static bool
add_check_fields(cJSON *o, const struct wm_check *c)
{
	cJSON *metrics, *data;

	if (!add_string(o, "name", c->name) || !add_string(o, "state", wm_state_name(c->state)) ||
	    !add_string(o, "summary", c->summary))
		return false;
	metrics = cJSON_AddArrayToObject(o, "metrics");
	if (!metrics)
		return false;
	for (size_t i = 0; i < c->nmetrics; i++) {
		cJSON *m = metric_json(&c->metrics[i]);

		if (!m)
			return false;
		cJSON_AddItemToArray(metrics, m);
	}
	data = c->data ? cJSON_Duplicate(c->data, 1) : cJSON_CreateObject();
	if (!data)
		return false;
	cJSON_AddItemToObject(o, "data", data);
	return clean_tree(data->child);
}

/* schema, tool, version, target, time of r into obj. */
static bool
add_head(cJSON *o, const struct wm_result *r)
{
	char time[WM_TIME_BUF];

	/* a time outside years 0-9999 has no RFC 3339 form: null */
	return cJSON_AddNumberToObject(o, "schema", WM_SCHEMA_VERSION) &&
	       add_string(o, "tool", r->tool) && add_string(o, "version", r->version) &&
	       add_string(o, "target", r->target) &&
	       add_string(o, "time",
			  wm_time_format(r->time_ms, time, sizeof(time)) == 0 ? time : NULL);
}

static cJSON *
result_json(const struct wm_result *r)
{
	cJSON *o = cJSON_CreateObject(), *checks;
	char *summary = wm_render_summary(r);
	bool ok;

	ok = o && summary && add_head(o, r) &&
	     add_number(o, "duration_ms", r->duration_ms >= 0 ? (double)r->duration_ms : NAN) &&
	     add_string(o, "state", wm_state_name(wm_result_state(r))) &&
	     add_string(o, "summary", summary);
	free(summary);
	checks = ok ? cJSON_AddArrayToObject(o, "checks") : NULL;
	for (size_t i = 0; checks && i < r->nchecks; i++) {
		cJSON *c = cJSON_CreateObject();

		if (!c || !add_check_fields(c, r->checks[i])) {
			cJSON_Delete(c);
			checks = NULL;
			break;
		}
		cJSON_AddItemToArray(checks, c);
	}
	if (!checks) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Print tree followed by a newline; deletes tree. */
static int
print_tree(cJSON *tree, FILE *out, bool pretty)
{
	char *text;
	int rc = -1;

	if (!tree)
		return -1;
	text = pretty ? cJSON_Print(tree) : cJSON_PrintUnformatted(tree);
	if (text && fputs(text, out) != EOF && putc('\n', out) != EOF)
		rc = 0;
	cJSON_free(text);
	cJSON_Delete(tree);
	return rc;
}

int
wm_render_json(const struct wm_result *r, FILE *out, bool pretty)
{
	return print_tree(result_json(r), out, pretty);
}

/* One self-contained object per check: the result's head plus the check. */
static cJSON *
check_line_json(const struct wm_result *r, const struct wm_check *c)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !add_head(o, r) || !add_check_fields(o, c)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
wm_render_ndjson(const struct wm_result *r, FILE *out)
{
	for (size_t i = 0; i < r->nchecks; i++)
		if (print_tree(check_line_json(r, r->checks[i]), out, false) < 0)
			return -1;
	return 0;
}

int
wm_render_check_line(const struct wm_result *r, const struct wm_check *c, FILE *out)
{
	if (print_tree(check_line_json(r, c), out, false) < 0)
		return -1;
	return fflush(out) == 0 ? 0 : -1;
}
