/* sketch_text.c - the sketch as one line of text for the journal, and back.
 * The parser takes hostile input (a damaged or edited journal): every field
 * is bounded and checked, and the result must satisfy the invariants that
 * sketch.c relies on (see sketch_int.h). */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sketch.h"
#include "model/sketch_int.h"

/* A growing output buffer. */
struct sbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void __attribute__((format(printf, 2, 3))) sbuf_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if ((size_t)n < b->cap - b->len)
			break;
		char *np = realloc(b->p, b->cap * 2 + (size_t)n);

		if (!np) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = b->cap * 2 + (size_t)n;
	}
	b->len += (size_t)n;
}

static void
format_store(struct sbuf *b, const char *name, const struct wm_sketch_store *st)
{
	if (st->total == 0)
		return;
	sbuf_add(b, " %s=%d:", name, st->lo);
	for (int k = st->lo; k <= st->hi; k++) {
		uint64_t c = st->bins[k - st->offset];

		if (c)
			sbuf_add(b, "%s%llu", k > st->lo ? "," : "", (unsigned long long)c);
		else
			sbuf_add(b, ",");
	}
}

char *
wm_sketch_format(const struct wm_sketch *s, struct wm_err *e)
{
	struct sbuf b = {.cap = 256};

	b.p = malloc(b.cap);
	if (!b.p) {
		wm_err_set(e, WM_ENOMEM, "out of memory");
		return NULL;
	}
	b.p[0] = '\0';
	sbuf_add(&b, "dds1 a=%.17g b=%d c=%d n=%llu z=%llu", s->alpha, s->max_bins,
		 wm_sketch_collapsed(s), (unsigned long long)s->count, (unsigned long long)s->zero);
	if (s->count)
		sbuf_add(&b, " min=%.17g max=%.17g sum=%.17g", s->min, s->max, s->sum);
	format_store(&b, "p", &s->pos);
	format_store(&b, "m", &s->neg);
	if (b.failed) {
		free(b.p);
		wm_err_set(e, WM_ENOMEM, "out of memory");
		return NULL;
	}
	return b.p;
}

/* A cursor over the text being parsed. */
struct cur {
	const char *p, *end;
	struct wm_err *e;
};

static int
bad(struct cur *c, const char *what)
{
	return wm_err_set(c->e, WM_EINVAL, "sketch: bad %s", what);
}

/* Expect the literal "name=". */
static int
expect_key(struct cur *c, const char *name)
{
	size_t n = strlen(name);

	if ((size_t)(c->end - c->p) <= n || memcmp(c->p, name, n) != 0 || c->p[n] != '=')
		return bad(c, name);
	c->p += n + 1;
	return 0;
}

/* Decimal digits into *v (no sign, no space, no overflow). */
static int
parse_u64(struct cur *c, uint64_t *v, const char *what)
{
	uint64_t x = 0;
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return bad(c, what);
		x = x * 10 + d;
		c->p++;
	}
	if (c->p == start || c->p - start > 20)
		return bad(c, what);
	*v = x;
	return 0;
}

static int
parse_int(struct cur *c, int *v, const char *what)
{
	int neg = 0;
	uint64_t x;

	if (c->p < c->end && *c->p == '-') {
		neg = 1;
		c->p++;
	}
	if (parse_u64(c, &x, what) < 0 || x > 1000000)
		return bad(c, what);
	*v = neg ? -(int)x : (int)x;
	return 0;
}

/* A double as %.17g prints it, up to the next space or the end. */
static int
parse_double(struct cur *c, double *v, const char *what)
{
	char buf[64];
	const char *sp = c->p;
	char *endp;
	size_t n;

	while (sp < c->end && *sp != ' ')
		sp++;
	n = (size_t)(sp - c->p);
	if (n == 0 || n >= sizeof(buf))
		return bad(c, what);
	memcpy(buf, c->p, n);
	buf[n] = '\0';
	if (buf[0] == ' ' || buf[0] == '\t' || buf[0] == '+')
		return bad(c, what);
	errno = 0;
	*v = strtod(buf, &endp);
	if (*endp != '\0' || (errno == ERANGE && fabs(*v) > 1))
		return bad(c, what);
	c->p = sp;
	return 0;
}

static int
expect_space(struct cur *c, const char *what)
{
	if (c->p >= c->end || *c->p != ' ')
		return bad(c, what);
	c->p++;
	return 0;
}

/* " name=KEY:C,C,,C" into store st of s; the counts are summed into *total. */
static int
parse_store(struct cur *c, struct wm_sketch *s, struct wm_sketch_store *st, const char *name,
	    uint64_t *total)
{
	int key, first = 1;

	if (expect_key(c, name) < 0 || parse_int(c, &key, name) < 0)
		return -1;
	if (c->p >= c->end || *c->p != ':')
		return bad(c, name);
	c->p++;
	for (;; key++) {
		uint64_t n = 0;

		if (!first) {
			if (c->p >= c->end || *c->p != ',')
				break;
			c->p++;
		}
		if (key < s->key_min || key > s->key_max)
			return bad(c, name);
		if (c->p < c->end && *c->p >= '0' && *c->p <= '9' && parse_u64(c, &n, name) < 0)
			return -1;
		if (first && n == 0)
			return bad(c, name); /* a store starts at its lowest non-empty key */
		first = 0;
		if (st->total && key - st->lo + 1 > s->max_bins)
			return bad(c, name); /* wider than the bound */
		if (n == 0)
			continue;
		if (*total > UINT64_MAX - n)
			return bad(c, name);
		*total += n;
		if (wm_sketch_store_add(s, st, key, n) < 0)
			return wm_err_set(c->e, WM_ENOMEM, "out of memory");
	}
	if (st->hi != key - 1)
		return bad(c, name); /* trailing empty buckets */
	return 0;
}

static int
parse_all(struct cur *c, struct wm_sketch **out)
{
	double alpha, min = 0, max = 0, sum = 0;
	int bins, collapsed;
	uint64_t n, z, total;
	struct wm_sketch *s;

	if (c->end - c->p < 5 || memcmp(c->p, "dds1 ", 5) != 0)
		return bad(c, "header (not dds1)");
	c->p += 5;
	if (expect_key(c, "a") < 0 || parse_double(c, &alpha, "a") < 0 ||
	    expect_space(c, "a") < 0 || expect_key(c, "b") < 0 || parse_int(c, &bins, "b") < 0 ||
	    expect_space(c, "b") < 0 || expect_key(c, "c") < 0 ||
	    parse_int(c, &collapsed, "c") < 0 || expect_space(c, "c") < 0 ||
	    expect_key(c, "n") < 0 || parse_u64(c, &n, "n") < 0 || expect_space(c, "n") < 0 ||
	    expect_key(c, "z") < 0 || parse_u64(c, &z, "z") < 0)
		return -1;
	s = wm_sketch_new(alpha, bins, c->e);
	if (!s)
		return -1;
	*out = s;
	if (n) {
		if (expect_space(c, "min") < 0 || expect_key(c, "min") < 0 ||
		    parse_double(c, &min, "min") < 0 || expect_space(c, "max") < 0 ||
		    expect_key(c, "max") < 0 || parse_double(c, &max, "max") < 0 ||
		    expect_space(c, "sum") < 0 || expect_key(c, "sum") < 0 ||
		    parse_double(c, &sum, "sum") < 0)
			return -1;
		if (!isfinite(min) || !isfinite(max) || min > max)
			return bad(c, "min/max");
	}
	total = z;
	if (c->p < c->end && c->end - c->p >= 3 && !memcmp(c->p, " p=", 3)) {
		c->p++;
		if (parse_store(c, s, &s->pos, "p", &total) < 0)
			return -1;
	}
	if (c->p < c->end && c->end - c->p >= 3 && !memcmp(c->p, " m=", 3)) {
		c->p++;
		if (parse_store(c, s, &s->neg, "m", &total) < 0)
			return -1;
	}
	if (c->p != c->end)
		return bad(c, "trailing text");
	if (total != n)
		return bad(c, "n (not the sum of the counts)");
	if ((s->pos.total && !(max >= DBL_MIN)) || (s->neg.total && !(min <= -DBL_MIN)) ||
	    (z && !(min < DBL_MIN && max > -DBL_MIN)))
		return bad(c, "min/max (outside the buckets)");
	if (collapsed != 0 && collapsed != 1)
		return bad(c, "c");
	s->pos.collapsed = s->neg.collapsed = collapsed;
	s->zero = z;
	s->count = n;
	if (n) {
		s->min = min;
		s->max = max;
		s->sum = sum;
	}
	return 0;
}

struct wm_sketch *
wm_sketch_parse(const char *text, size_t len, struct wm_err *e)
{
	struct cur c = {.p = text, .end = text + len, .e = e};
	struct wm_sketch *s = NULL;

	if (len > WM_SKETCH_TEXT_MAX) {
		wm_err_set(e, WM_ETOOBIG, "sketch: %zu bytes, more than %u", len,
			   WM_SKETCH_TEXT_MAX);
		return NULL;
	}
	if (parse_all(&c, &s) < 0) {
		wm_sketch_free(s);
		return NULL;
	}
	return s;
}
