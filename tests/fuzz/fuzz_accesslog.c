/* fuzz_accesslog.c - nginx access lines by log_format on hostile input.  Byte 0
 * picks the format: the world's, combined, or (odd bytes) the input's first
 * line compiled as a log_format; every further line is parsed with it and the
 * client address taken with and without trusted proxies.  Every field must lie
 * inside the line (ASan checks the reads). */
#include "config.h"

#include "logs/accesslog.h"
#include "fuzz.h"

static void
inside(struct wm_al_str s, const char *line, size_t n)
{
	if (s.p && (s.p < line || s.p + s.len > line + n))
		abort();
}

static void
one(const struct wm_accesslog_format *f, const char *line, size_t n)
{
	struct wm_accesslog_entry e;
	/* a copy of exactly n bytes: a read past the line is caught */
	char *copy = malloc(n ? n : 1);

	if (!copy)
		abort();
	memcpy(copy, line, n);
	if (wm_accesslog_parse(f, &e, copy, n)) {
		if (e.status < 100 || e.status > 999)
			abort();
		inside(e.addr, copy, n);
		inside(e.method, copy, n);
		inside(e.path, copy, n);
		inside(e.query, copy, n);
		inside(e.xff, copy, n);
		inside(e.agent, copy, n);
		inside(wm_accesslog_client(&e, true), copy, n);
		inside(wm_accesslog_client(&e, false), copy, n);
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_accesslog_format f;
	struct wm_err err = {0};
	const char *p = (const char *)data + (size ? 1 : 0), *end = (const char *)data + size;
	unsigned pick = size ? data[0] : 0;

	if (pick & 1) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char *spec = fuzz_cstr((const uint8_t *)p, (size_t)((nl ? nl : end) - p));
		int rc = wm_accesslog_format_parse(&f, spec, &err);

		free(spec);
		if (rc < 0)
			return 0;
		p = nl ? nl + 1 : end;
	} else if (wm_accesslog_format_parse(
		       &f, pick & 2 ? WM_ACCESSLOG_COMBINED : WM_ACCESSLOG_WORLD, &err) < 0) {
		abort();
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		one(&f, p, n);
		(void)wm_accesslog_private(p, n < 64 ? n : 64);
		p += n + (nl ? 1 : 0);
	}
	return 0;
}
