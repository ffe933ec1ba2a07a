/* journal_read.c - validate a journal and rebuild the run's state (see journal.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "store/journal.h"
#include "store/journal_int.h"

/* A number member as int64 (1 when present and integral), else 0. */
static int
get_i64(const cJSON *o, const char *key, int64_t *v)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;

	if (!cJSON_IsNumber(n))
		return 0;
	d = n->valuedouble;
	if (!(d >= -9.0e15 && d <= 9.0e15) || d != (double)(int64_t)d)
		return 0;
	*v = (int64_t)d;
	return 1;
}

static const char *
get_str(const cJSON *o, const char *key)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(s) ? s->valuestring : NULL;
}

/* Is t a record type: [a-z_], 1..32 bytes? */
static bool
valid_type(const char *t)
{
	size_t n = strlen(t);

	return n >= 1 && n <= 32 && strspn(t, "abcdefghijklmnopqrstuvwxyz_") == n;
}

const struct wm_journal_tick *
wm_journal_tick(const struct wm_journal_state *st, const char *tier, int64_t at_ms)
{
	for (size_t i = st->n_ticks; i-- > 0;)
		if (st->ticks[i].at_ms == at_ms && !strcmp(st->ticks[i].tier, tier))
			return &st->ticks[i];
	return NULL;
}

bool
wm_journal_settled(const char *tier, int64_t at_ms, void *ctx)
{
	const struct wm_journal_tick *t = wm_journal_tick(ctx, tier, at_ms);

	return t && (t->ended || t->missed);
}

bool
wm_journal_notified(const struct wm_journal_state *st, const char *key)
{
	for (size_t i = 0; i < st->n_keys; i++)
		if (!strcmp(st->keys[i], key))
			return true;
	return false;
}

/* The tick a record names (added when new): NULL with *why set when the
 * record does not name one properly, or on ENOMEM. */
static struct wm_journal_tick *
tick_of(struct wm_journal_state *st, const cJSON *rec, const char **why)
{
	const char *tier = get_str(rec, "tier");
	int64_t at;
	struct wm_journal_tick *t;

	if (!tier || !*tier || strlen(tier) >= WM_SCHEDULE_NAME_MAX ||
	    !get_i64(rec, "at_ms", &at)) {
		*why = "a tick record needs \"tier\" and an integer \"at_ms\"";
		return NULL;
	}
	if ((t = (struct wm_journal_tick *)wm_journal_tick(st, tier, at)))
		return t;
	if (st->n_ticks == st->cap_ticks) {
		size_t cap = st->cap_ticks ? 2 * st->cap_ticks : 64;
		void *p = realloc(st->ticks, cap * sizeof(*st->ticks));

		if (!p) {
			*why = NULL;
			return NULL;
		}
		st->ticks = p;
		st->cap_ticks = cap;
	}
	t = &st->ticks[st->n_ticks++];
	memset(t, 0, sizeof(*t));
	snprintf(t->tier, sizeof(t->tier), "%s", tier);
	t->at_ms = at;
	return t;
}

static int
add_key(struct wm_journal_state *st, const char *key)
{
	char *k;

	if (wm_journal_notified(st, key))
		return 0;
	if (st->n_keys == st->cap_keys) {
		size_t cap = st->cap_keys ? 2 * st->cap_keys : 32;
		void *p = realloc(st->keys, cap * sizeof(*st->keys));

		if (!p)
			return -1;
		st->keys = p;
		st->cap_keys = cap;
	}
	if (!(k = strdup(key)))
		return -1;
	st->keys[st->n_keys++] = k;
	return 0;
}

const char *
wm_journal_apply(struct wm_journal_state *st, const cJSON *rec)
{
	const char *type = get_str(rec, "type"), *why = NULL;
	struct wm_journal_tick *t;
	int64_t v, seq, n;

	if (!cJSON_IsObject(rec))
		return "not a JSON object";
	if (!get_i64(rec, "v", &v) || v != WM_JOURNAL_VERSION)
		return "no \"v\" or an unknown version";
	if (!get_i64(rec, "seq", &seq) || seq != st->last_seq + 1)
		return "\"seq\" missing or out of order";
	if (!type || !valid_type(type))
		return "no valid \"type\"";
	if (!get_i64(rec, "wall_ms", &v) || !get_i64(rec, "mono_ms", &v))
		return "\"wall_ms\" and \"mono_ms\" are required";
	if (!st->started && strcmp(type, "run_start") != 0)
		return "the first record is not run_start";
	if (!strcmp(type, "run_start")) {
		const char *d = get_str(rec, "digest");

		if (st->started)
			return "a second run_start";
		if (!get_i64(rec, "start_wall_ms", &st->start_wall_ms) ||
		    !get_i64(rec, "scale", &st->scale) || st->scale < 1 ||
		    st->scale > WM_CLOCK_SCALE_MAX || !d || strlen(d) >= sizeof(st->digest))
			return "run_start needs start_wall_ms, scale and digest";
		snprintf(st->digest, sizeof(st->digest), "%s", d);
		st->started = true;
	} else if (!strcmp(type, "tick_start") || !strcmp(type, "tick_end") ||
		   !strcmp(type, "tick_missed")) {
		if (!(t = tick_of(st, rec, &why)))
			return why ? why : "";
		if (t->ended || t->missed)
			return "a record for a tick that already ended or was missed";
		if (type[5] == 'm') {
			/* a tick killed midway and then overtaken by the next
			 * one of its tier (a long outage) is missed too */
			t->missed = true;
		} else if (!get_i64(rec, "attempt", &n)) {
			return "a tick record needs \"attempt\"";
		} else if (type[5] == 's') {
			if (n != t->attempts + 1)
				return "tick_start's attempt is not the next one";
			t->attempts = (int)n;
		} else {
			if (n != t->attempts || n == 0)
				return "tick_end without its tick_start";
			if (!get_i64(rec, "state", &v) || v < 0 || v > 3)
				return "tick_end needs a state 0..3";
			t->state = (int)v;
			t->ended = true;
			get_i64(rec, "wall_ms", &t->end_wall_ms);
		}
	} else if (!strcmp(type, "notify")) {
		const char *key = get_str(rec, "key");

		if (!key || !*key)
			return "notify needs a \"key\"";
		if (add_key(st, key))
			return "";
	} else if (!strcmp(type, "run_end")) {
		st->ended = true;
	}
	st->last_seq = seq;
	st->records++;
	return NULL;
}

int
wm_journal_read_mem(const char *buf, size_t len, struct wm_journal_state *st,
		    wm_journal_record_fn fn, void *ctx, struct wm_err *err)
{
	size_t off = 0, line = 0;

	memset(st, 0, sizeof(*st));
	while (off < len) {
		const char *p = buf + off, *nl = memchr(p, '\n', len - off), *end = NULL, *why;
		size_t n;
		cJSON *rec;
		int rc;

		line++;
		if (!nl) { /* cut mid-write: tolerated, reported */
			st->torn_bytes = len - off;
			break;
		}
		n = (size_t)(nl - p);
		if (n > WM_JOURNAL_LINE_MAX)
			return wm_err_set(err, WM_EPROTO, "journal line %zu: longer than %u bytes",
					  line, WM_JOURNAL_LINE_MAX);
		rec = cJSON_ParseWithLengthOpts(p, n, &end, 0);
		if (!rec || end != nl) {
			cJSON_Delete(rec);
			return wm_err_set(err, WM_EPROTO, "journal line %zu: not one JSON value",
					  line);
		}
		why = wm_journal_apply(st, rec);
		if (why) {
			cJSON_Delete(rec);
			if (!*why)
				return wm_err_set(err, WM_ENOMEM, "out of memory");
			return wm_err_set(err, WM_EPROTO, "journal line %zu: %s", line, why);
		}
		rc = fn ? fn(rec, ctx) : 0;
		cJSON_Delete(rec);
		if (rc)
			return rc;
		off += n + 1;
		st->valid_bytes = off;
	}
	return 0;
}

int
wm_journal_read(const char *dir, struct wm_journal_state *st, wm_journal_record_fn fn, void *ctx,
		struct wm_err *err)
{
	char path[4096];
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_FILE) >= sizeof(path))
		return wm_err_set(err, WM_EINVAL, "run directory name too long");
	if (wm_file_read(path, WM_JOURNAL_FILE_MAX, &buf, &len, err) != 0)
		return err && err->code == WM_ENOTFOUND ? (wm_err_clear(err), 0) : -1;
	rc = wm_journal_read_mem(buf, len, st, fn, ctx, err);
	free(buf);
	if (rc == -1)
		wm_err_prefix(err, "%s", path);
	return rc;
}

void
wm_journal_state_free(struct wm_journal_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_keys; i++)
		free(st->keys[i]);
	free(st->keys);
	free(st->ticks);
	st->keys = NULL;
	st->ticks = NULL;
	st->n_keys = st->cap_keys = st->n_ticks = st->cap_ticks = 0;
}

int
wm_journal_state_copy(struct wm_journal_state *dst, const struct wm_journal_state *src)
{
	*dst = *src;
	dst->ticks = NULL;
	dst->keys = NULL;
	dst->n_ticks = dst->cap_ticks = dst->n_keys = dst->cap_keys = 0;
	if (src->n_ticks) {
		if (!(dst->ticks = malloc(src->n_ticks * sizeof(*dst->ticks))))
			return -1;
		memcpy(dst->ticks, src->ticks, src->n_ticks * sizeof(*dst->ticks));
		dst->n_ticks = dst->cap_ticks = src->n_ticks;
	}
	for (size_t i = 0; i < src->n_keys; i++)
		if (add_key(dst, src->keys[i]) != 0)
			return -1;
	return 0;
}
