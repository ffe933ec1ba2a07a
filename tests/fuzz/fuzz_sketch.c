/* fuzz_sketch.c - the sketch's journal form (wm_sketch_parse) on any bytes;
 * what parses must format back to the same text, answer monotone quantiles
 * within [min, max] and merge with itself.  The same bytes read as doubles
 * feed a 16-bucket sketch (collapsing at once) that must survive the text
 * form unchanged. */
#include "config.h"

#include <math.h>

#include "fuzz.h"
#include "model/sketch.h"

static void
check_sane(const struct wm_sketch *s)
{
	double prev = -INFINITY;

	if (wm_sketch_count(s) == 0) {
		if (!isnan(wm_sketch_quantile(s, 0.5)))
			abort();
		return;
	}
	for (int i = 0; i <= 20; i++) {
		double v = wm_sketch_quantile(s, i / 20.0);

		if (!(v >= prev) || v < wm_sketch_min(s) || v > wm_sketch_max(s))
			abort();
		prev = v;
	}
}

static void
roundtrip(const struct wm_sketch *s)
{
	struct wm_err e = {0};
	char *a = wm_sketch_format(s, &e), *b;
	struct wm_sketch *t;

	if (!a)
		abort();
	t = wm_sketch_parse(a, strlen(a), &e);
	if (!t)
		abort(); /* what we write must read back */
	b = wm_sketch_format(t, &e);
	if (!b || strcmp(a, b) != 0)
		abort();
	for (int i = 0; i <= 10; i++) {
		double x = wm_sketch_quantile(s, i / 10.0), y = wm_sketch_quantile(t, i / 10.0);

		if (!(x == y || (isnan(x) && isnan(y))))
			abort();
	}
	free(a);
	free(b);
	wm_sketch_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_err e = {0};
	struct wm_sketch *s = wm_sketch_parse((const char *)data, size, &e), *t, *d;
	struct fuzz_in in = {data, size};

	if (s) {
		check_sane(s);
		roundtrip(s);
		t = wm_sketch_parse((const char *)data, size, &e);
		if (!t || wm_sketch_merge(t, s, &e) < 0)
			abort();
		if (wm_sketch_count(t) != 2 * wm_sketch_count(s))
			abort();
		check_sane(t);
		wm_sketch_free(t);
		wm_sketch_free(s);
	} else if (e.code == WM_EOK || e.msg[0] == '\0') {
		abort(); /* a refusal must say why */
	}
	d = wm_sketch_new(0.01 + (fuzz_byte(&in) % 4) * 0.1, 16, &e);
	if (!d)
		abort();
	while (in.n >= sizeof(double))
		(void)wm_sketch_add(d, fuzz_double(&in), &e);
	check_sane(d);
	roundtrip(d);
	wm_sketch_free(d);
	return 0;
}
