/* groups.c - message signatures and the space-saving top-k table (see groups.h). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs/groups.h"

/* ---- signatures ---- */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_hex(char c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Token bytes: alphanumerics and . _ - : @ + % (a table: this is the hot loop). */
static const unsigned char tok_table[256] = {
    ['%'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1, [':'] = 1, ['@'] = 1, ['_'] = 1, ['0'] = 1,
    ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
    ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
    ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
    ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static inline bool
is_tok(char c)
{
	return tok_table[(unsigned char)c];
}

/* 8-4-4-4-12 hex digits */
static bool
is_uuid(const char *t, size_t n)
{
	static const int groups[5] = {8, 4, 4, 4, 12};
	size_t i = 0;

	if (n != 36)
		return false;
	for (int g = 0; g < 5; g++) {
		for (int k = 0; k < groups[g]; k++, i++)
			if (!is_hex(t[i]))
				return false;
		if (g < 4 && t[i++] != '-')
			return false;
	}
	return true;
}

/* hh:mm[:ss[.frac]], or an ISO date-time: <time> */
static bool
is_time(const char *t, size_t n)
{
	size_t i = 0, colons = 0, dashes = 0;

	for (; i < n; i++) {
		if (t[i] == ':')
			colons++;
		else if (t[i] == '-')
			dashes++;
		else if (!is_digit(t[i]) && t[i] != '.' && t[i] != ',' && t[i] != 'T' &&
			 t[i] != 'Z')
			return false;
	}
	return (colons == 1 || colons == 2) && (dashes == 0 || dashes == 2) && is_digit(t[0]) &&
	       n >= 5 && (t[1] == ':' || t[2] == ':' || (dashes == 2 && n > 10));
}

/* a.b.c.d with an optional :port; or hex groups with at least two ':' */
static bool
is_ip(const char *t, size_t n)
{
	size_t dots = 0, colons = 0, i;

	for (i = 0; i < n && (is_digit(t[i]) || t[i] == '.'); i++)
		dots += t[i] == '.';
	if (dots == 3 && i > 6 && (i == n || t[i] == ':'))
		return true;
	for (i = 0; i < n; i++) {
		if (t[i] == ':')
			colons++;
		else if (!is_hex(t[i]) && t[i] != '.')
			return false;
	}
	return colons >= 2 && n >= 2;
}

static bool
is_hexid(const char *t, size_t n)
{
	size_t digits = 0;

	if (n > 2 && t[0] == '0' && (t[1] | 0x20) == 'x')
		return true;
	if (n < 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_hex(t[i]))
			return false;
		digits += is_digit(t[i]);
	}
	return digits > 0;
}

/* 1532ms, 0.5s, 2h, 30m, 12us, 100ns, 3sec, 5min */
static bool
is_duration(const char *t, size_t n)
{
	static const struct {
		const char *u;
		size_t n;
	} units[] = {{"ms", 2}, {"s", 1},   {"us", 2},	{"ns", 2},   {"m", 1},
		     {"h", 1},	{"sec", 3}, {"min", 3}, {"secs", 4}, {"mins", 4}};
	size_t i = 0;

	while (i < n && (is_digit(t[i]) || t[i] == '.'))
		i++;
	if (i == 0 || !is_digit(t[0]) || i == n)
		return false;
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (units[k].n == n - i && memcmp(units[k].u, t + i, n - i) == 0)
			return true;
	return false;
}

static size_t
emit(char *out, size_t o, size_t cap, const char *s, size_t n)
{
	if (o + n >= cap)
		n = cap - 1 - o;
	memcpy(out + o, s, n);
	return o + n;
}

#define EMIT(lit) (o = emit(out, o, cap, lit, sizeof lit - 1))

/* One token: a masked class, or the token with its digit runs as <n>. */
static size_t
emit_token(char *out, size_t o, size_t cap, const char *t, size_t n)
{
	bool digits = false, at = false;

	for (size_t i = 0; i < n && !digits; i++)
		digits = is_digit(t[i]);
	at = n > 2 && memchr(t + 1, '@', n - 2) != NULL; /* an '@' inside, not at an end */
	if (at && memchr(t, '.', n))
		return EMIT("<email>"), o;
	if (!digits)
		return emit(out, o, cap, t, n);
	if (is_uuid(t, n))
		return EMIT("<uuid>"), o;
	if (is_time(t, n))
		return EMIT("<time>"), o;
	if (is_ip(t, n))
		return EMIT("<ip>"), o;
	if (is_hexid(t, n))
		return EMIT("<hex>"), o;
	if (is_duration(t, n))
		return EMIT("<dur>"), o;
	for (size_t i = 0; i < n && o + 1 < cap;) {
		if (is_digit(t[i])) {
			while (i < n &&
			       (is_digit(t[i]) || (t[i] == '.' && i + 1 < n && is_digit(t[i + 1]))))
				i++;
			EMIT("<n>");
		} else {
			out[o++] = t[i++];
		}
	}
	return o;
}

size_t
wm_groups_signature(const char *msg, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;

	if (cap == 0)
		return 0;
	if (n > WM_GROUP_SIG_INPUT)
		n = WM_GROUP_SIG_INPUT;
	while (i < n && o + 1 < cap) {
		char c = msg[i];

		if (c == '\n' || c == '\r')
			break;
		if (c == '"' || (c == '\'' && (i == 0 || !is_alnum(msg[i - 1])))) {
			const char *q = memchr(msg + i + 1, c, n - i - 1);

			if (q) {
				o = c == '"' ? (EMIT("\"*\""), o) : (EMIT("'*'"), o);
				i = (size_t)(q - msg) + 1;
				continue;
			}
		}
		if (is_tok(c)) {
			size_t s = i;

			while (i < n && is_tok(msg[i]))
				i++;
			o = emit_token(out, o, cap, msg + s, i - s);
			continue;
		}
		out[o++] = (unsigned char)c < 0x20 ? ' ' : c;
		i++;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

/* ---- the space-saving table ---- */

struct wm_groups {
	struct wm_group *slot; /* k slots; the first `used` are live */
	size_t k, used;
	size_t *heap;	 /* slot indices, min-heap by count */
	size_t *bucket;	 /* nbuckets chain heads, slot index + 1 */
	size_t nbuckets; /* power of two >= 2k */
	uint64_t total, evicted;
	char sig[WM_GROUP_SIG_MAX];
	char msgbuf[WM_GROUP_SIG_INPUT + 1];
	struct sig_cache *cache; /* SIG_CACHE_N recent signatures */
};

/* Recent signatures by their exact input: a message seen again (a retry
 * loop, a health check failing every few seconds) skips the tokenising.
 * Direct-mapped on the service and the input's length; a hit is only taken
 * on byte-identical input, so the signature is the same as computed anew. */
#define SIG_CACHE_N 16

struct sig_cache {
	size_t in_len; /* 0: empty */
	size_t cap;
	size_t out_len;
	char in[WM_GROUP_SIG_INPUT];
	char out[WM_GROUP_SIG_MAX];
};

struct wm_groups *
wm_groups_new(size_t k)
{
	struct wm_groups *g = calloc(1, sizeof *g);

	if (!g)
		return NULL;
	g->k = k ? k : 1;
	for (g->nbuckets = 16; g->nbuckets < 2 * g->k; g->nbuckets *= 2)
		;
	g->slot = calloc(g->k, sizeof *g->slot);
	g->heap = calloc(g->k, sizeof *g->heap);
	g->bucket = calloc(g->nbuckets, sizeof *g->bucket);
	g->cache = calloc(SIG_CACHE_N, sizeof *g->cache);
	if (!g->slot || !g->heap || !g->bucket || !g->cache) {
		wm_groups_free(g);
		return NULL;
	}
	return g;
}

void
wm_groups_free(struct wm_groups *g)
{
	if (!g)
		return;
	free(g->slot);
	free(g->heap);
	free(g->bucket);
	free(g->cache);
	free(g);
}

uint64_t
wm_groups_total(const struct wm_groups *g)
{
	return g->total;
}

uint64_t
wm_groups_evicted(const struct wm_groups *g)
{
	return g->evicted;
}

/* FNV-1a, 64 bit */
static uint64_t
hash_bytes(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
heap_swap(struct wm_groups *g, size_t a, size_t b)
{
	size_t t = g->heap[a];

	g->heap[a] = g->heap[b];
	g->heap[b] = t;
	g->slot[g->heap[a]].heap_pos = a;
	g->slot[g->heap[b]].heap_pos = b;
}

/* Restore the heap below position p after its count grew. */
static void
heap_down(struct wm_groups *g, size_t p)
{
	for (;;) {
		size_t l = 2 * p + 1, r = l + 1, m = p;

		if (l < g->used && g->slot[g->heap[l]].count < g->slot[g->heap[m]].count)
			m = l;
		if (r < g->used && g->slot[g->heap[r]].count < g->slot[g->heap[m]].count)
			m = r;
		if (m == p)
			return;
		heap_swap(g, p, m);
		p = m;
	}
}

static void
chain_unlink(struct wm_groups *g, size_t idx)
{
	size_t *pp = &g->bucket[g->slot[idx].hash & (g->nbuckets - 1)];

	while (*pp && *pp != idx + 1)
		pp = &g->slot[*pp - 1].next;
	if (*pp)
		*pp = g->slot[idx].next;
}

static struct wm_group *
lookup(struct wm_groups *g, uint64_t h, const char *svc, size_t svclen)
{
	for (size_t e = g->bucket[h & (g->nbuckets - 1)]; e; e = g->slot[e - 1].next) {
		struct wm_group *grp = &g->slot[e - 1];

		if (grp->hash == h && strcmp(grp->signature, g->sig) == 0 &&
		    strncmp(grp->service, svc, svclen) == 0 && grp->service[svclen] == '\0')
			return grp;
	}
	return NULL;
}

/* A slot for a new signature: a free one, or the least counted one (evicted). */
static struct wm_group *
claim(struct wm_groups *g, uint64_t h)
{
	size_t idx;
	uint64_t inherited = 0;
	struct wm_group *grp;

	if (g->used < g->k) {
		idx = g->used;
		g->heap[g->used] = idx;
		g->slot[idx].heap_pos = g->used++;
	} else {
		idx = g->heap[0];
		inherited = g->slot[idx].count;
		chain_unlink(g, idx);
		g->evicted++;
	}
	grp = &g->slot[idx];
	memset(grp->signature, 0, sizeof grp->signature);
	grp->count = grp->error = inherited;
	grp->first_ms = grp->last_ms = -1;
	grp->level = WM_LVL_UNKNOWN;
	grp->hash = h;
	grp->next = g->bucket[h & (g->nbuckets - 1)];
	g->bucket[h & (g->nbuckets - 1)] = idx + 1;
	return grp;
}

/* wm_groups_signature(m, n, out, cap) through the cache; svc picks the entry. */
static size_t
cached_signature(struct wm_groups *g, const char *svc, size_t svclen, const char *m, size_t n,
		 char *out, size_t cap)
{
	struct sig_cache *c;
	size_t k = n < WM_GROUP_SIG_INPUT ? n : WM_GROUP_SIG_INPUT, len;

	if (k == 0 || cap == 0 || cap > WM_GROUP_SIG_MAX)
		return wm_groups_signature(m, n, out, cap);
	c = &g->cache[(hash_bytes(k * 0x9e3779b97f4a7c15ULL, svc, svclen) >> 7) % SIG_CACHE_N];
	if (c->in_len == k && c->cap == cap && memcmp(c->in, m, k) == 0) {
		memcpy(out, c->out, c->out_len + 1);
		return c->out_len;
	}
	len = wm_groups_signature(m, n, out, cap);
	c->in_len = k;
	c->cap = cap;
	c->out_len = len;
	memcpy(c->in, m, k);
	memcpy(c->out, out, len + 1);
	return len;
}

static size_t
make_signature(struct wm_groups *g, const struct wm_logline *ll)
{
	const char *m;
	size_t n = wm_logline_message(ll, g->msgbuf, sizeof g->msgbuf, &m), o = 0;

	if (ll->format == WM_LOGFMT_NGINX_ACCESS && ll->status > 0) {
		o = (size_t)snprintf(g->sig, sizeof g->sig, "%d ", ll->status);
		if (ll->method) {
			n = ll->method_len + 1 + ll->path_len;
			m = ll->method;
		}
	}
	return o + cached_signature(g, ll->service ? ll->service : "",
				    ll->service ? ll->service_len : 0, m, n, g->sig + o,
				    sizeof g->sig - o);
}

void
wm_groups_add(struct wm_groups *g, const struct wm_logline *ll)
{
	size_t svclen = ll->service ? ll->service_len : 0, siglen;
	struct wm_group *grp;
	uint64_t h;

	if (svclen >= WM_GROUP_SERVICE_MAX)
		svclen = WM_GROUP_SERVICE_MAX - 1;
	siglen = make_signature(g, ll);
	h = hash_bytes(hash_bytes(0xcbf29ce484222325ULL, g->sig, siglen),
		       ll->service ? ll->service : "", svclen);
	g->total++;
	grp = lookup(g, h, ll->service ? ll->service : "", svclen);
	if (!grp) {
		grp = claim(g, h);
		memcpy(grp->signature, g->sig, siglen + 1);
		memcpy(grp->service, ll->service ? ll->service : "", svclen);
		grp->service[svclen] = '\0';
		wm_utf8_sanitize(ll->text, ll->text_len, grp->example, sizeof grp->example);
	}
	grp->count++;
	if (ll->level > grp->level)
		grp->level = ll->level;
	if (ll->ts_ms >= 0) {
		if (grp->first_ms < 0 || ll->ts_ms < grp->first_ms)
			grp->first_ms = ll->ts_ms;
		if (ll->ts_ms > grp->last_ms)
			grp->last_ms = ll->ts_ms;
	}
	heap_down(g, grp->heap_pos);
}

static int
by_count(const void *a, const void *b)
{
	const struct wm_group *x = *(const struct wm_group *const *)a;
	const struct wm_group *y = *(const struct wm_group *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->first_ms != y->first_ms)
		return x->first_ms < y->first_ms ? -1 : 1;
	return strcmp(x->signature, y->signature);
}

const struct wm_group **
wm_groups_sorted(const struct wm_groups *g, size_t *n)
{
	const struct wm_group **v;

	*n = 0;
	if (g->used == 0 || !(v = malloc(g->used * sizeof *v)))
		return NULL;
	for (size_t i = 0; i < g->used; i++)
		v[i] = &g->slot[i];
	qsort(v, g->used, sizeof *v, by_count);
	*n = g->used;
	return v;
}
