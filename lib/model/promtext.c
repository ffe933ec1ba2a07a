/* promtext.c - the Prometheus text format 0.0.4: lines into families and
 * samples (see promtext.h for the rules followed and the bounds). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/promtext.h"

/* The parser's state: the document being built and where we are. */
struct pp {
	struct wm_prom_doc *doc;
	size_t cap_fam, cap_samp;
	size_t line;
	const char *p, *end; /* the current line, without its newline */
	struct wm_err *e;
};

static int __attribute__((format(printf, 3, 4))) fail(struct pp *pp, int code, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return wm_err_set(pp->e, code, "line %zu: %s", pp->line, msg);
}

static int
oom(struct pp *pp)
{
	return wm_err_set(pp->e, WM_ENOMEM, "out of memory");
}

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void
skip_blank(struct pp *pp)
{
	while (pp->p < pp->end && (*pp->p == ' ' || *pp->p == '\t'))
		pp->p++;
}

static int
is_name_char(char c, bool first, bool metric)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':'))
		return 1;
	return !first && c >= '0' && c <= '9';
}

/* A metric (or label) name at the cursor: its length, 0 if none. */
static size_t
scan_name(struct pp *pp, bool metric)
{
	const char *s = pp->p;

	while (s < pp->end && is_name_char(*s, s == pp->p, metric))
		s++;
	return (size_t)(s - pp->p);
}

static const char *const type_names[] = {"untyped", "counter", "gauge", "histogram", "summary"};

const char *
wm_prom_type_name(enum wm_prom_type t)
{
	return (unsigned)t < sizeof(type_names) / sizeof(type_names[0]) ? type_names[t] : "?";
}

const struct wm_prom_family *
wm_prom_family_find(const struct wm_prom_doc *doc, const char *name)
{
	for (size_t i = 0; i < doc->nfamilies; i++)
		if (strcmp(doc->families[i].name, name) == 0)
			return &doc->families[i];
	return NULL;
}

/* The index of family name (n bytes), creating it; SIZE_MAX on ENOMEM.
 * Linear: an exposition has tens of families, and samples of one family
 * come together, so the last one is tried first. */
static size_t
family_get(struct pp *pp, const char *name, size_t n)
{
	struct wm_prom_doc *d = pp->doc;
	struct wm_prom_family *f;

	for (size_t k = d->nfamilies; k-- > 0;)
		if (strlen(d->families[k].name) == n && !memcmp(d->families[k].name, name, n))
			return k;
	if (d->nfamilies == pp->cap_fam) {
		size_t cap = pp->cap_fam ? 2 * pp->cap_fam : 16;

		f = realloc(d->families, cap * sizeof(*f));
		if (!f)
			return SIZE_MAX;
		d->families = f;
		pp->cap_fam = cap;
	}
	f = &d->families[d->nfamilies];
	memset(f, 0, sizeof(*f));
	f->name = dupn(name, n);
	if (!f->name)
		return SIZE_MAX;
	return d->nfamilies++;
}

/* The family a sample named name (n bytes) belongs to: F for F_bucket/_sum/
 * _count of a histogram F, and F/F_sum/F_count of a summary F. */
static size_t
family_of_sample(struct pp *pp, const char *name, size_t n)
{
	static const struct {
		const char *suffix;
		size_t len;
	} sfx[] = {{"_bucket", 7}, {"_sum", 4}, {"_count", 6}};
	struct wm_prom_doc *d = pp->doc;

	for (size_t i = 0; i < 3; i++) {
		size_t base = n - sfx[i].len;

		if (n <= sfx[i].len || memcmp(name + base, sfx[i].suffix, sfx[i].len) != 0)
			continue;
		for (size_t k = 0; k < d->nfamilies; k++) {
			const struct wm_prom_family *f = &d->families[k];

			if (strlen(f->name) != base || memcmp(f->name, name, base) != 0)
				continue;
			if (f->type == WM_PROM_HISTOGRAM || (f->type == WM_PROM_SUMMARY && i > 0))
				return k;
		}
	}
	return family_get(pp, name, n);
}

/* "# HELP name text" or "# TYPE name type"; other comments are ignored. */
static int
parse_comment(struct pp *pp)
{
	bool help;
	size_t n, k;
	struct wm_prom_family *f;

	pp->p++; /* '#' */
	skip_blank(pp);
	if (pp->end - pp->p >= 4 && !memcmp(pp->p, "HELP", 4))
		help = true;
	else if (pp->end - pp->p >= 4 && !memcmp(pp->p, "TYPE", 4))
		help = false;
	else
		return 0;
	pp->p += 4;
	if (pp->p < pp->end && *pp->p != ' ' && *pp->p != '\t')
		return 0; /* "# HELPER": a comment */
	skip_blank(pp);
	n = scan_name(pp, true);
	if (n == 0)
		return fail(pp, WM_EPROTO, "%s without a metric name", help ? "HELP" : "TYPE");
	k = family_get(pp, pp->p, n);
	if (k == SIZE_MAX)
		return oom(pp);
	f = &pp->doc->families[k];
	pp->p += n;
	if (pp->p < pp->end && *pp->p != ' ' && *pp->p != '\t')
		return fail(pp, WM_EPROTO, "bad metric name in %s", help ? "HELP" : "TYPE");
	skip_blank(pp);
	if (help) {
		char *h, *o;

		if (f->help)
			return fail(pp, WM_EPROTO, "second HELP for %s", f->name);
		h = o = malloc((size_t)(pp->end - pp->p) + 1);
		if (!h)
			return oom(pp);
		for (; pp->p < pp->end; pp->p++) {
			if (*pp->p == '\\' && pp->p + 1 < pp->end &&
			    (pp->p[1] == '\\' || pp->p[1] == 'n')) {
				*o++ = pp->p[1] == 'n' ? '\n' : '\\';
				pp->p++;
			} else {
				*o++ = *pp->p;
			}
		}
		*o = '\0';
		f->help = h;
		return 0;
	}
	{
		const char *t = pp->p;
		size_t tl;
		int type = -1;

		while (pp->p < pp->end && *pp->p != ' ' && *pp->p != '\t' && *pp->p != '\r')
			pp->p++;
		tl = (size_t)(pp->p - t);
		skip_blank(pp);
		if (pp->p < pp->end && !(*pp->p == '\r' && pp->p + 1 == pp->end))
			return fail(pp, WM_EPROTO, "text after the type of %s", f->name);
		for (int i = 0; i < 5; i++)
			if (strlen(type_names[i]) == tl && !memcmp(type_names[i], t, tl))
				type = i;
		if (type < 0)
			return fail(pp, WM_EPROTO, "unknown type \"%.*s\" for %s",
				    (int)(tl > 32 ? 32 : tl), t, f->name);
		if (f->has_type || f->nsamples > 0)
			return fail(pp, WM_EPROTO, "second TYPE for %s, or TYPE after its samples",
				    f->name);
		f->type = (enum wm_prom_type)type;
		f->has_type = true;
		return 0;
	}
}

/* A quoted label value, unescaped into a new string. */
static char *
parse_label_value(struct pp *pp)
{
	char *v = malloc((size_t)(pp->end - pp->p) + 1), *o = v;

	if (!v) {
		oom(pp);
		return NULL;
	}
	for (;;) {
		if (pp->p >= pp->end) {
			fail(pp, WM_EPROTO, "unterminated label value");
			goto out_free;
		}
		if (*pp->p == '"')
			break;
		if (*pp->p == '\\') {
			if (pp->p + 1 >= pp->end) {
				fail(pp, WM_EPROTO, "unterminated label value");
				goto out_free;
			}
			switch (pp->p[1]) {
			case '\\':
				*o++ = '\\';
				break;
			case '"':
				*o++ = '"';
				break;
			case 'n':
				*o++ = '\n';
				break;
			default:
				fail(pp, WM_EPROTO, "bad escape \\%c in a label value",
				     pp->p[1] >= ' ' && pp->p[1] < 127 ? pp->p[1] : '?');
				goto out_free;
			}
			pp->p += 2;
			continue;
		}
		*o++ = *pp->p++;
	}
	pp->p++; /* closing quote */
	*o = '\0';
	return v;
out_free:
	free(v);
	return NULL;
}

static void
labels_free(struct wm_prom_label *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].name);
		free(l[i].value);
	}
	free(l);
}

/* "{a="x",b="y",}" into s->labels. */
static int
parse_labels(struct pp *pp, struct wm_prom_sample *s)
{
	size_t cap = 0;

	pp->p++; /* '{' */
	for (;;) {
		size_t n;
		struct wm_prom_label *l;

		skip_blank(pp);
		if (pp->p < pp->end && *pp->p == '}')
			break;
		n = scan_name(pp, false);
		if (n == 0)
			return fail(pp, WM_EPROTO, "bad label name");
		if (s->nlabels == WM_PROM_LABELS_MAX)
			return fail(pp, WM_ETOOBIG, "more than %d labels", WM_PROM_LABELS_MAX);
		for (size_t i = 0; i < s->nlabels; i++)
			if (strlen(s->labels[i].name) == n && !memcmp(s->labels[i].name, pp->p, n))
				return fail(pp, WM_EPROTO, "label %.*s given twice",
					    (int)(n > 64 ? 64 : n), pp->p);
		if (s->nlabels == cap) {
			cap = cap ? 2 * cap : 4;
			l = realloc(s->labels, cap * sizeof(*l));
			if (!l)
				return oom(pp);
			s->labels = l;
		}
		l = &s->labels[s->nlabels];
		l->value = NULL;
		l->name = dupn(pp->p, n);
		if (!l->name)
			return oom(pp);
		s->nlabels++;
		pp->p += n;
		skip_blank(pp);
		if (pp->p >= pp->end || *pp->p != '=')
			return fail(pp, WM_EPROTO, "expected = after label %s", l->name);
		pp->p++;
		skip_blank(pp);
		if (pp->p >= pp->end || *pp->p != '"')
			return fail(pp, WM_EPROTO, "expected a quoted value for label %s", l->name);
		pp->p++;
		l->value = parse_label_value(pp);
		if (!l->value)
			return -1;
		skip_blank(pp);
		if (pp->p < pp->end && *pp->p == ',') {
			pp->p++;
			continue;
		}
		if (pp->p < pp->end && *pp->p == '}')
			break;
		return fail(pp, WM_EPROTO, "expected , or } after label %s", l->name);
	}
	pp->p++; /* '}' */
	return 0;
}

int
wm_prom_parse_float(const char *s, size_t n, double *v)
{
	char buf[64], *endp;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (buf[0] == ' ' || buf[0] == '\t' || buf[0] == '\n')
		return -1;
	/* strtod's extras that Prometheus's parser (Go's ParseFloat) refuses:
	 * hex ("0x10", "-0x1p3"), and NaN signed or with a payload ("nan(1)") */
	{
		const char *u = buf + (buf[0] == '+' || buf[0] == '-');

		if (u[0] == '0' && (u[1] == 'x' || u[1] == 'X'))
			return -1;
		if (!strncasecmp(u, "nan", 3) && (u != buf || u[3] != '\0'))
			return -1;
	}
	errno = 0;
	*v = strtod(buf, &endp);
	if (*endp != '\0' || endp == buf)
		return -1;
	return 0;
}

static size_t
token_len(struct pp *pp)
{
	const char *t = pp->p;

	while (t < pp->end && *t != ' ' && *t != '\t' && *t != '\r')
		t++;
	return (size_t)(t - pp->p);
}

static int
parse_timestamp(struct pp *pp, struct wm_prom_sample *s, size_t n)
{
	char buf[24], *endp;
	long long ts;

	if (n == 0 || n >= sizeof(buf))
		return fail(pp, WM_EPROTO, "bad timestamp");
	memcpy(buf, pp->p, n);
	buf[n] = '\0';
	if (!((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '-' || buf[0] == '+'))
		return fail(pp, WM_EPROTO, "bad timestamp");
	errno = 0;
	ts = strtoll(buf, &endp, 10);
	if (*endp != '\0' || errno == ERANGE)
		return fail(pp, WM_EPROTO, "bad timestamp %s", buf);
	s->has_ts = true;
	s->ts_ms = ts;
	pp->p += n;
	return 0;
}

static int
check_special_labels(struct pp *pp, struct wm_prom_sample *s)
{
	const struct wm_prom_family *f = &pp->doc->families[s->family];
	const char *need = NULL, *v;
	double d;

	if (f->type == WM_PROM_HISTOGRAM && strlen(s->name) == strlen(f->name) + 7)
		need = "le"; /* F_bucket */
	else if (f->type == WM_PROM_SUMMARY && !strcmp(s->name, f->name))
		need = "quantile";
	if (!need)
		return 0;
	v = wm_prom_label(s, need);
	if (!v)
		return fail(pp, WM_EPROTO, "%s without a %s label", s->name, need);
	if (wm_prom_parse_float(v, strlen(v), &d) < 0)
		return fail(pp, WM_EPROTO, "%s: %s=\"%.32s\" is not a float", s->name, need, v);
	return 0;
}

static int
parse_sample(struct pp *pp)
{
	struct wm_prom_doc *d = pp->doc;
	struct wm_prom_sample *s;
	size_t n = scan_name(pp, true), tl;

	if (n == 0)
		return fail(pp, WM_EPROTO, "expected a metric name");
	if (d->nsamples == pp->cap_samp) {
		size_t cap = pp->cap_samp ? 2 * pp->cap_samp : 64;

		s = realloc(d->samples, cap * sizeof(*s));
		if (!s)
			return oom(pp);
		d->samples = s;
		pp->cap_samp = cap;
	}
	s = &d->samples[d->nsamples];
	memset(s, 0, sizeof(*s));
	d->nsamples++; /* owned from here: freed with the doc on error */
	s->line = pp->line;
	s->name = dupn(pp->p, n);
	if (!s->name)
		return oom(pp);
	s->family = family_of_sample(pp, pp->p, n);
	if (s->family == SIZE_MAX)
		return oom(pp);
	pp->p += n;
	skip_blank(pp);
	if (pp->p < pp->end && *pp->p == '{' && parse_labels(pp, s) < 0)
		return -1;
	skip_blank(pp);
	tl = token_len(pp);
	if (wm_prom_parse_float(pp->p, tl, &s->value) < 0)
		return fail(pp, WM_EPROTO, "bad value for %s", s->name);
	pp->p += tl;
	skip_blank(pp);
	tl = token_len(pp);
	if (tl && parse_timestamp(pp, s, tl) < 0)
		return -1;
	skip_blank(pp);
	if (pp->p < pp->end && !(*pp->p == '\r' && pp->p + 1 == pp->end))
		return fail(pp, WM_EPROTO, "text after the value of %s", s->name);
	d->families[s->family].nsamples++;
	return check_special_labels(pp, s);
}

const char *
wm_prom_label(const struct wm_prom_sample *s, const char *name)
{
	for (size_t i = 0; i < s->nlabels; i++)
		if (!strcmp(s->labels[i].name, name))
			return s->labels[i].value;
	return NULL;
}

void
wm_prom_free(struct wm_prom_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->nfamilies; i++) {
		free(doc->families[i].name);
		free(doc->families[i].help);
	}
	for (size_t i = 0; i < doc->nsamples; i++) {
		free(doc->samples[i].name);
		labels_free(doc->samples[i].labels, doc->samples[i].nlabels);
	}
	free(doc->families);
	free(doc->samples);
	free(doc);
}

struct wm_prom_doc *
wm_prom_parse(const char *text, size_t len, struct wm_err *e)
{
	struct pp pp = {.e = e};
	const char *p = text, *end = text + len;

	if (len > WM_PROM_TEXT_MAX) {
		wm_err_set(e, WM_ETOOBIG, "metrics text of %zu bytes, more than %u", len,
			   WM_PROM_TEXT_MAX);
		return NULL;
	}
	pp.doc = calloc(1, sizeof(*pp.doc));
	if (!pp.doc) {
		oom(&pp);
		return NULL;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		int rc = 0;

		pp.line++;
		pp.p = p;
		pp.end = le;
		if ((size_t)(le - p) > WM_PROM_LINE_MAX) {
			fail(&pp, WM_ETOOBIG, "longer than %u bytes", WM_PROM_LINE_MAX);
			goto out_free;
		}
		if (memchr(p, '\0', (size_t)(le - p))) {
			fail(&pp, WM_EPROTO, "NUL byte");
			goto out_free;
		}
		skip_blank(&pp);
		if (pp.p == pp.end || (*pp.p == '\r' && pp.p + 1 == pp.end))
			rc = 0;
		else if (*pp.p == '#')
			rc = parse_comment(&pp);
		else
			rc = parse_sample(&pp);
		if (rc < 0)
			goto out_free;
		p = nl ? nl + 1 : end;
	}
	return pp.doc;
out_free:
	wm_prom_free(pp.doc);
	return NULL;
}
