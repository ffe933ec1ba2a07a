/* security_table.c - bounded counting tables and brute-force windows. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/security_int.h"

int
sec_table_init(struct sec_table *t, size_t slots, size_t ring_cap)
{
	memset(t, 0, sizeof *t);
	t->slots = slots;
	t->ring_cap = ring_cap;
	if (!(t->e = calloc(slots, sizeof *t->e)))
		return -1;
	if (ring_cap && !(t->rings = calloc(slots * ring_cap, sizeof *t->rings))) {
		free(t->e);
		t->e = NULL;
		return -1;
	}
	return 0;
}

void
sec_table_free(struct sec_table *t)
{
	free(t->e);
	free(t->rings);
	t->e = NULL;
	t->rings = NULL;
}

static uint32_t
fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct sec_entry *
sec_table_hit(struct sec_table *t, const char *key, size_t len, int64_t ts)
{
	uint32_t h;
	struct sec_entry *victim = NULL, *e;
	uint64_t inherit = 0;

	if (len == 0)
		return NULL;
	if (len >= SEC_KEY_MAX)
		len = SEC_KEY_MAX - 1;
	h = fnv1a(key, len);
	for (size_t i = 0; i < SEC_PROBES && i < t->slots; i++) {
		e = &t->e[(h + i) % t->slots];
		if (!e->used) {
			victim = e;
			break;
		}
		if (e->hash == h && strncmp(e->key, key, len) == 0 && e->key[len] == '\0')
			goto hit;
		if (!victim || e->count < victim->count)
			victim = e;
	}
	e = victim;
	if (e->used) {
		t->evicted++;
		inherit = e->count;
	}
	memset(e, 0, sizeof *e);
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	e->hash = h;
	e->used = true;
	e->count = inherit;
	e->first_ms = e->last_ms = ts;
hit:
	e->count++;
	if (ts >= 0 && (e->first_ms < 0 || ts < e->first_ms))
		e->first_ms = ts;
	if (ts > e->last_ms)
		e->last_ms = ts;
	return e;
}

bool
sec_table_fail(struct sec_table *t, struct sec_entry *e, int64_t ts, size_t need, int64_t window_ms)
{
	int64_t *ring = t->rings + (size_t)(e - t->e) * t->ring_cap;
	size_t oldest, inside = 0;

	if (!t->ring_cap || ts < 0)
		return false;
	ring[e->ring_next] = ts;
	e->ring_next = (e->ring_next + 1) % t->ring_cap;
	if (e->ring_n < t->ring_cap)
		e->ring_n++;
	for (size_t i = 0; i < e->ring_n; i++)
		inside += ts - ring[i] <= window_ms && ring[i] <= ts;
	if (inside > e->max_window)
		e->max_window = inside;
	if (e->ring_n < need)
		return false;
	oldest = e->ring_next % t->ring_cap; /* the ring is full: oldest is next */
	return ts - ring[oldest] <= window_ms;
}

static int
by_count(const void *a, const void *b)
{
	const struct sec_entry *x = *(struct sec_entry *const *)a,
			       *y = *(struct sec_entry *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

struct sec_entry **
sec_table_sorted(const struct sec_table *t, size_t *n)
{
	struct sec_entry **v = malloc((t->slots ? t->slots : 1) * sizeof *v);
	size_t k = 0;

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < t->slots; i++)
		if (t->e[i].used)
			v[k++] = &t->e[i];
	qsort(v, k, sizeof *v, by_count);
	*n = k;
	return v;
}
