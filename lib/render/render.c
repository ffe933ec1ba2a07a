/* render.c - format table, derived summary, atomic file output, and the
 * helpers every renderer shares. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/file.h"
#include "render/render.h"
#include "render/render_int.h"

static const struct {
	const char *name;
	enum wm_format format;
} formats[] = {
    {"text", WM_FORMAT_TEXT},
    {"json", WM_FORMAT_JSON},
    {"ndjson", WM_FORMAT_NDJSON},
    {"nagios", WM_FORMAT_NAGIOS},
    {"prometheus", WM_FORMAT_PROMETHEUS},
    {"openmetrics", WM_FORMAT_OPENMETRICS},
};

int
wm_format_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0)
			return (int)formats[i].format;
	return -1;
}

const char *
wm_format_name(enum wm_format f)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].format == f)
			return formats[i].name;
	return "text";
}

int
wm_render(const struct wm_result *r, enum wm_format f, FILE *out, unsigned flags)
{
	struct wm_render_opts o = {.flags = flags};

	return wm_render_to(r, f, out, &o);
}

void
wm_render_terminal(struct wm_render_opts *o, int fd, const char *columns, const char *no_color,
		   const char *term)
{
	struct winsize ws;
	bool tty = isatty(fd);
	char *end;
	long n = columns && *columns ? strtol(columns, &end, 10) : 0;

	o->width = 0;
	if (n > 0 && n < 100000 && *end == '\0')
		o->width = (size_t)n;
	else if (tty && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		o->width = ws.ws_col;
	if (tty && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0))
		o->flags |= WM_RENDER_COLOR;
}

int
wm_render_to(const struct wm_result *r, enum wm_format f, FILE *out, const struct wm_render_opts *o)
{
	unsigned flags = o->flags;
	int rc;

	switch (f) {
	case WM_FORMAT_JSON:
		rc = wm_render_json(r, out, flags & WM_RENDER_PRETTY);
		break;
	case WM_FORMAT_NDJSON:
		rc = wm_render_ndjson(r, out);
		break;
	case WM_FORMAT_NAGIOS:
		rc = wm_render_nagios(r, out);
		break;
	case WM_FORMAT_PROMETHEUS:
		rc = wm_render_prometheus(r, out, false);
		break;
	case WM_FORMAT_OPENMETRICS:
		rc = wm_render_prometheus(r, out, true);
		break;
	case WM_FORMAT_TEXT:
	default:
		rc = wm_render_text(r, out, o);
		break;
	}
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = -1;
	return rc;
}

int
wm_render_file(const struct wm_result *r, enum wm_format f, unsigned flags, const char *path,
	       struct wm_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int rc;

	mem = open_memstream(&buf, &len);
	if (!mem)
		return wm_err_errno(err, WM_ENOMEM, errno, "rendering %s", path);
	rc = wm_render(r, f, mem, flags);
	if (fclose(mem) != 0)
		rc = -1;
	if (rc < 0) {
		free(buf);
		return wm_err_set(err, WM_ENOMEM, "rendering %s: out of memory", path);
	}
	rc = wm_file_write_atomic(path, buf, len, 0644, err);
	free(buf);
	return rc;
}

/* Counts per state, and the first check having the overall state. */
static char *
derive_summary(const struct wm_result *r)
{
	size_t count[4] = {0};
	enum wm_state worst = wm_result_state(r);
	const struct wm_check *first = NULL;
	char buf[1024];
	size_t n = 0;
	static const enum wm_state order[] = {WM_OK, WM_WARNING, WM_CRITICAL, WM_UNKNOWN};

	if (r->nchecks == 0)
		return strdup("no checks");
	for (size_t i = 0; i < r->nchecks; i++) {
		count[r->checks[i]->state & 3]++;
		if (!first && r->checks[i]->state == worst)
			first = r->checks[i];
	}
	if (worst == WM_OK) {
		snprintf(buf, sizeof(buf), "%zu check%s OK", r->nchecks,
			 r->nchecks == 1 ? "" : "s");
		return strdup(buf);
	}
	n = (size_t)snprintf(buf, sizeof(buf), "%zu check%s:", r->nchecks,
			     r->nchecks == 1 ? "" : "s");
	for (size_t k = 0, sep = 0; k < 4; k++) {
		if (!count[order[k]] || n >= sizeof(buf))
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s %zu %s", sep++ ? "," : "",
				      count[order[k]], wm_state_name(order[k]));
	}
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, first->summary[0] ? " (%s: %s)" : " (%s)",
			 first->name, first->summary);
	return strdup(buf);
}

char *
wm_render_summary(const struct wm_result *r)
{
	if (r->summary)
		return strdup(r->summary);
	return derive_summary(r);
}

/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

char *
wm_render_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p);
	char *out = malloc(len * 3 + 1), *o = out;

	if (!out)
		return NULL;
	while (*p) {
		size_t n = utf8_seq(p);

		if (n == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
			continue;
		}
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	*o = '\0';
	return out;
}

void
wm_render_double(char *buf, size_t cap, double v)
{
	snprintf(buf, cap, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, cap, "%.17g", v);
}

void
wm_render_tool_upper(char *buf, size_t cap, const char *tool)
{
	size_t i;

	/* a program name is printable ASCII; anything else must not break a
	 * status line (newline, '|') or a terminal */
	for (i = 0; tool[i] && i + 1 < cap; i++) {
		char ch = tool[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		else if (ch <= ' ' || ch > '~' || ch == '|')
			ch = '_';
		buf[i] = ch;
	}
	if (cap)
		buf[i] = '\0';
}
