/* check_render.c - every renderer byte for byte on hand-built results
 * (tests/unit/render_fixture.c against tests/fixtures/render/), the escapes
 * each format needs, the same exit code in every format, atomic files. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "render/render.h"
#include "render/render_family.h"
#include "render_fixture.h"
#include "unit.h"

static const char *const format_names[] = {"text",   "json",	   "ndjson",
					   "nagios", "prometheus", "openmetrics"};
#define NFORMATS (sizeof(format_names) / sizeof(format_names[0]))

/* Render r into a malloc'd string. */
static char *
render(const struct wm_result *r, enum wm_format f, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(wm_render(r, f, mem, flags), 0);
	fclose(mem);
	return buf;
}

static char *
expected(const char *name)
{
	char path[512];
	char *buf = NULL;
	size_t len;
	struct wm_err err = {0};

	snprintf(path, sizeof(path), "%s/tests/fixtures/render/%s", WM_TEST_SRCDIR, name);
	ck_assert_msg(wm_file_read(path, 1 << 20, &buf, &len, &err) == 0, "%s", err.msg);
	return buf;
}

/* Loop index: fixture (full, empty, labels) x format. */
START_TEST(test_golden)
{
	static const char *const names[] = {"full", "empty", "labels"};
	const char *which = names[_i / NFORMATS];
	enum wm_format f = (enum wm_format)(_i % NFORMATS);
	struct wm_result *r = _i < (int)NFORMATS       ? fixture_full()
			      : _i < 2 * (int)NFORMATS ? fixture_empty()
						       : fixture_labels();
	char name[64];
	char *got, *want;

	snprintf(name, sizeof(name), "%s.%s", which, format_names[f]);
	got = render(r, f, 0);
	want = expected(name);
	ck_assert_msg(strcmp(got, want) == 0, "%s differs:\n--- got\n%s--- want\n%s", name, got,
		      want);
	free(got);
	free(want);
	wm_result_free(r);
}
END_TEST

/* Names that collide once sanitised: one family, one series each. */
START_TEST(test_golden_collide)
{
	struct wm_result *r = fixture_collide();
	char *got = render(r, WM_FORMAT_PROMETHEUS, 0);
	char *want = expected("collide.prometheus");

	ck_assert_msg(strcmp(got, want) == 0, "--- got\n%s--- want\n%s", got, want);
	ck_assert_ptr_nonnull(strstr(got, "\nwm_cache_entries{tool=\"wm-x\",target=\"t\","
					  "check=\"cache\"} 3\n# HELP"));
	ck_assert_ptr_nonnull(strstr(got, "\nwm_check_state_value{"));
	free(got);
	free(want);
	wm_result_free(r);
}
END_TEST

/* The escapes, spelled out here rather than only in the golden files. */
START_TEST(test_escapes)
{
	struct wm_result *r = fixture_full();
	char *json = render(r, WM_FORMAT_JSON, 0);
	char *nagios = render(r, WM_FORMAT_NAGIOS, 0);
	char *prom = render(r, WM_FORMAT_PROMETHEUS, 0);
	char *text = render(r, WM_FORMAT_TEXT, 0);

	/* JSON: quote, backslash, newline, tab, control char, invalid UTF-8 */
	ck_assert_ptr_nonnull(strstr(json, "\"summary\":\"say \\\"hi\\\" \\\\ back\\nline\\t"
					   "\\u0001 \xef\xbf\xbd end | pipe\""));
	ck_assert_ptr_nonnull(strstr(json, "\"sample\":\"x\\\"y\xef\xbf\xbd(\""));
	ck_assert_ptr_nonnull(strstr(json, "\"value\":null,\"unit\":\"ms\""));
	ck_assert_ptr_nonnull(
	    strstr(json, "\"warn\":null,\"crit\":null,\"min\":null,\"max\":null"));
	/* perfdata: quoted label with ' doubled, U for unknown, unit mapping */
	ck_assert_ptr_nonnull(strstr(nagios, " 'errors ''now'''=3c;;;; "));
	ck_assert_ptr_nonnull(strstr(nagios, " 'redis.ping.latency'=U;~:100;~:500;; "));
	ck_assert_ptr_nonnull(strstr(nagios, "'hit_rate'=91.2%;85:;70:;0;100 "));
	ck_assert_ptr_null(strchr(strchr(nagios, '\n') + 1, '|'));
	/* Prometheus label values: \\, \" and \n */
	ck_assert_ptr_nonnull(strstr(prom, "target=\"prod \\\"eu\\\"\\\\1\\n\""));
	ck_assert_ptr_nonnull(strstr(prom, "check=\"redis.ping\"} NaN\n"));
	ck_assert_ptr_nonnull(
	    strstr(prom, "\nwm_redis_hit_ratio{tool=\"wm-cache\",target=\"prod "));
	/* text: no raw control characters reach a terminal */
	for (const char *p = text; *p; p++)
		ck_assert(*p == '\n' || (unsigned char)*p >= 0x20);
	free(json);
	free(nagios);
	free(prom);
	free(text);
	wm_result_free(r);
}
END_TEST

/* Perfdata numbers: integers whole, fractions to six significant digits (a
 * clock difference's noise does not reach the graph), big and tiny values
 * without exponents; JSON keeps every digit. */
START_TEST(test_perfdata_numbers)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
	    {0.045807999558746815, "'a'=0.045808ms;"},
	    {1047784, "'a'=1047784ms;"},
	    {91.25, "'a'=91.25ms;"},
	    {1234567.5, "'a'=1234567.5ms;"},
	    {-2.5e-7, "'a'=-0.00000025ms;"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wm_result *r = wm_result_new("wm-x", "1", NULL);
		struct wm_check *c = wm_result_add_check(r, "c");
		char *nagios, *json;

		wm_check_add_metric(c, "a", cases[i].v, "ms");
		nagios = render(r, WM_FORMAT_NAGIOS, 0);
		json = render(r, WM_FORMAT_JSON, 0);
		ck_assert_msg(strstr(nagios, cases[i].want) != NULL, "%s", nagios);
		if (i == 0)
			ck_assert_ptr_nonnull(strstr(json, "\"value\":0.045807999558746815"));
		free(nagios);
		free(json);
		wm_result_free(r);
	}
}
END_TEST

/* Occurrences of needle in s. */
static int
count_of(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* s without its ANSI SGR sequences (in place). */
static void
strip_sgr(char *s)
{
	char *o = s;

	for (const char *p = s; *p; p++) {
		if (*p == '\033') {
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
}

/* Text for a width, with or without --long, against its golden file: cut,
 * never wrapped; the same lines up to the cut. */
START_TEST(test_text_widths)
{
	static const struct {
		size_t width;
		unsigned flags;
		const char *golden;
	} cases[] = {
	    {40, 0, "full.text-40"},
	    {100, 0, "full.text-100"},
	    {0, WM_RENDER_LONG, "full.text-long"},
	    {60, WM_RENDER_LONG, "labels.text-long-60"},
	    {30, WM_RENDER_COLOR, "full.text-30-color"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wm_result *r =
		    strncmp(cases[i].golden, "labels", 6) ? fixture_full() : fixture_labels();
		struct wm_render_opts o = {.flags = cases[i].flags, .width = cases[i].width};
		char *got = NULL, *want = expected(cases[i].golden);
		size_t len = 0;
		FILE *mem = open_memstream(&got, &len);

		ck_assert_int_eq(wm_render_to(r, WM_FORMAT_TEXT, mem, &o), 0);
		fclose(mem);
		ck_assert_msg(strcmp(got, want) == 0, "%s differs:\n--- got\n%s--- want\n%s",
			      cases[i].golden, got, want);
		/* no line is wider than asked (colour codes take no column) */
		strip_sgr(got);
		for (char *line = strtok(got, "\n"); line && cases[i].width;
		     line = strtok(NULL, "\n")) {
			size_t cols = 0;

			for (const char *p = line; *p; p++)
				cols += ((unsigned char)*p & 0xc0) != 0x80;
			ck_assert_msg(cols <= cases[i].width, "%s: '%s'", cases[i].golden, line);
		}
		free(got);
		free(want);
		wm_result_free(r);
	}
}
END_TEST

/* What a terminal gets: COLUMNS first, then the terminal's own width;
 * colour on a terminal unless NO_COLOR (non-empty) or TERM=dumb. */
START_TEST(test_terminal)
{
	struct wm_render_opts o = {0};
	struct winsize ws = {.ws_col = 77, .ws_row = 24};
	int master = posix_openpt(O_RDWR | O_NOCTTY), tty;

	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	tty = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(tty, 0);
	ck_assert_int_eq(ioctl(tty, TIOCSWINSZ, &ws), 0);

	wm_render_terminal(&o, tty, NULL, NULL, "xterm");
	ck_assert_uint_eq(o.width, 77);
	ck_assert_uint_eq(o.flags, WM_RENDER_COLOR);
	o.flags = 0;
	wm_render_terminal(&o, tty, "120", "", NULL);
	ck_assert_uint_eq(o.width, 120);
	ck_assert_uint_eq(o.flags, WM_RENDER_COLOR); /* an empty NO_COLOR is unset */
	o.flags = 0;
	wm_render_terminal(&o, tty, "wide", "1", "xterm");
	ck_assert_uint_eq(o.width, 77); /* COLUMNS not a number: the terminal's */
	ck_assert_uint_eq(o.flags, 0);
	wm_render_terminal(&o, tty, NULL, NULL, "dumb");
	ck_assert_uint_eq(o.flags, 0);
	close(tty);
	/* not a terminal: no colour, no width unless COLUMNS says one */
	wm_render_terminal(&o, master + 1000, NULL, NULL, "xterm");
	ck_assert_uint_eq(o.width, 0);
	ck_assert_uint_eq(o.flags, 0);
	wm_render_terminal(&o, master + 1000, "50", NULL, "xterm");
	ck_assert_uint_eq(o.width, 50);
	ck_assert_uint_eq(o.flags, 0);
	close(master);
}
END_TEST

START_TEST(test_color)
{
	struct wm_result *r = fixture_full();
	char *plain = render(r, WM_FORMAT_TEXT, 0);
	char *color = render(r, WM_FORMAT_TEXT, WM_RENDER_COLOR);

	ck_assert_ptr_null(strchr(plain, '\033'));
	ck_assert_ptr_nonnull(strstr(color, "WM-CACHE \033[1;31mCRITICAL\033[0m - "));
	ck_assert_ptr_nonnull(strstr(color, "\n\033[32mOK\033[0m        redis.hit_rate  "));
	/* only the state words: the header's and one per row, and nothing else */
	ck_assert_int_eq(count_of(color, "\033["), 2 * (1 + 3));
	strip_sgr(color);
	ck_assert_str_eq(color, plain);
	/* colour is a text-only flag */
	free(plain);
	plain = render(r, WM_FORMAT_JSON, WM_RENDER_COLOR);
	ck_assert_ptr_null(strchr(plain, '\033'));
	free(plain);
	free(color);
	wm_result_free(r);
}
END_TEST

START_TEST(test_pretty_json)
{
	struct wm_result *r = fixture_full();
	char *compact = render(r, WM_FORMAT_JSON, 0);
	char *pretty = render(r, WM_FORMAT_JSON, WM_RENDER_PRETTY);
	cJSON *a = cJSON_Parse(compact), *b = cJSON_Parse(pretty);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(strchr(compact, '\n') == compact + strlen(compact) - 1);
	ck_assert(strstr(pretty, "\n\t\"schema\":\t1,\n") != NULL);
	ck_assert(cJSON_Compare(a, b, 1));
	cJSON_Delete(a);
	cJSON_Delete(b);
	free(compact);
	free(pretty);
	wm_result_free(r);
}
END_TEST

START_TEST(test_check_line)
{
	struct wm_result *r = fixture_full();
	char *nd = render(r, WM_FORMAT_NDJSON, 0), *line = NULL, *p = nd;
	size_t len = 0;

	for (size_t i = 0; i < r->nchecks; i++) {
		FILE *mem = open_memstream(&line, &len);

		ck_assert_int_eq(wm_render_check_line(r, r->checks[i], mem), 0);
		fclose(mem);
		ck_assert_int_eq(strncmp(p, line, len), 0);
		p += len;
		free(line);
	}
	ck_assert_str_eq(p, "");
	free(nd);
	wm_result_free(r);
}
END_TEST

/* The state each format shows: the same word, the same code. */
static void
assert_state_shown(const struct wm_result *r, enum wm_state s)
{
	char want[64];
	char *out;

	snprintf(want, sizeof(want), "WM-CACHE %s - ", wm_state_name(s));
	out = render(r, WM_FORMAT_TEXT, 0);
	ck_assert_int_eq(strncmp(out, want, strlen(want)), 0);
	free(out);
	out = render(r, WM_FORMAT_NAGIOS, 0);
	ck_assert_int_eq(strncmp(out, want, strlen(want)), 0);
	free(out);
	snprintf(want, sizeof(want), "\"state\":\"%s\",\"summary\"", wm_state_name(s));
	out = render(r, WM_FORMAT_JSON, 0);
	ck_assert_ptr_nonnull(strstr(out, want));
	free(out);
	snprintf(want, sizeof(want), "wm_result_state{tool=\"wm-cache\",target=\"\"} %d\n", (int)s);
	out = render(r, WM_FORMAT_PROMETHEUS, 0);
	ck_assert_ptr_nonnull(strstr(out, want));
	free(out);
}

START_TEST(test_exit_code_every_format)
{
	enum wm_state s = (enum wm_state)_i;
	struct wm_result *r = wm_result_new("wm-cache", "1", NULL);
	struct wm_check *c = wm_result_add_check(r, "a");

	wm_check_set(c, s, "x");
	wm_check_set(wm_result_add_check(r, "b"), WM_OK, NULL);
	/* Rendering in any format leaves the exit code alone and prints something. */
	for (int f = 0; f < (int)NFORMATS; f++) {
		char *out = render(r, (enum wm_format)f, 0);

		ck_assert_msg(out && *out, "format %d printed nothing", f);
		free(out);
		ck_assert_int_eq(wm_result_exit_code(r), (int)s);
	}
	assert_state_shown(r, s);
	wm_result_free(r);
}
END_TEST

START_TEST(test_summary)
{
	struct wm_result *r = wm_result_new("wm-x", "1", NULL);
	struct wm_check *a, *b;
	char *s;

	a = wm_result_add_check(r, "a");
	s = wm_render_summary(r);
	ck_assert_str_eq(s, "1 check OK");
	free(s);
	b = wm_result_add_check(r, "b");
	wm_check_set(a, WM_UNKNOWN, NULL);
	s = wm_render_summary(r);
	ck_assert_str_eq(s, "2 checks: 1 OK, 1 UNKNOWN (a)");
	free(s);
	wm_check_set(b, WM_WARNING, "slow");
	s = wm_render_summary(r);
	ck_assert_str_eq(s, "2 checks: 1 WARNING, 1 UNKNOWN (b: slow)");
	free(s);
	wm_result_set_summary(r, "all %s", "fine");
	s = wm_render_summary(r);
	ck_assert_str_eq(s, "all fine");
	free(s);
	wm_result_free(r);
}
END_TEST

START_TEST(test_format_parse)
{
	ck_assert_int_eq(wm_format_parse("text"), WM_FORMAT_TEXT);
	ck_assert_int_eq(wm_format_parse("json"), WM_FORMAT_JSON);
	ck_assert_int_eq(wm_format_parse("ndjson"), WM_FORMAT_NDJSON);
	ck_assert_int_eq(wm_format_parse("nagios"), WM_FORMAT_NAGIOS);
	ck_assert_int_eq(wm_format_parse("prometheus"), WM_FORMAT_PROMETHEUS);
	ck_assert_int_eq(wm_format_parse("openmetrics"), WM_FORMAT_OPENMETRICS);
	ck_assert_int_eq(wm_format_parse("JSON"), -1);
	ck_assert_int_eq(wm_format_parse(""), -1);
	ck_assert_int_eq(wm_format_parse(NULL), -1);
	ck_assert_str_eq(wm_format_name(WM_FORMAT_PROMETHEUS), "prometheus");
	ck_assert_str_eq(wm_format_name(WM_FORMAT_OPENMETRICS), "openmetrics");
}
END_TEST

/* The family table follows the naming rules promtool and node_exporter
 * hold us to: wm_ and snake_case, unique, _total exactly on counters, no
 * ending kept for histograms and summaries, a HELP that needs no escape. */
START_TEST(test_family_table)
{
	static const char *const kept[] = {"_count", "_sum", "_bucket", "_created", "_info"};
	const struct wm_family *f, *g;
	char labels[128], other[128];
	size_t n = 0;

	for (size_t i = 0; (f = wm_family_at(i, labels, sizeof(labels))); i++, n++) {
		size_t len = strlen(f->name);
		bool total = len > 6 && strcmp(f->name + len - 6, "_total") == 0;

		ck_assert_msg(strncmp(f->name, "wm_", 3) == 0 &&
				  strspn(f->name, "abcdefghijklmnopqrstuvwxyz0123456789_") == len,
			      "%s", f->name);
		ck_assert_msg(total == (f->type == WM_FAMILY_COUNTER), "%s", f->name);
		for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++)
			ck_assert_msg(!strstr(f->name + 3, kept[k]) ||
					  strcmp(strstr(f->name + 3, kept[k]), kept[k]) != 0,
				      "%s", f->name);
		ck_assert_msg(f->help && f->help[0] && f->help[strlen(f->help) - 1] == '.' &&
				  !strpbrk(f->help, "\\\n"),
			      "%s: %s", f->name, f->help);
		ck_assert_msg(strspn(labels, "abcdefghijklmnopqrstuvwxyz,") == strlen(labels),
			      "%s: %s", f->name, labels);
		for (size_t j = 0; j < i; j++) {
			g = wm_family_at(j, other, sizeof(other));
			ck_assert_msg(strcmp(f->name, g->name) != 0, "%s twice", f->name);
		}
	}
	ck_assert_uint_ge(n, 30);
	ck_assert_ptr_null(wm_family_at(n, labels, sizeof(labels)));
}
END_TEST

/* Metrics find their family by area and name, the instance from the check. */
START_TEST(test_family_find)
{
	struct wm_result *r = fixture_labels();
	struct wm_family_use u;

	wm_family_find(r->checks[0], &r->checks[0]->metrics[1], &u);
	ck_assert_str_eq(u.family->name, "wm_service_restarts_total");
	ck_assert_str_eq(u.instance_label, "service");
	ck_assert_str_eq(u.instance, "auth-ms");
	ck_assert(u.project && !u.hidden);
	wm_family_find(r->checks[4], &r->checks[4]->metrics[0], &u); /* errors.backend errors */
	ck_assert(u.hidden && !u.family);
	wm_family_find(r->checks[5], &r->checks[5]->metrics[1], &u); /* shop_items_rows */
	ck_assert_str_eq(u.family->name, "wm_pg_table_rows");
	ck_assert_str_eq(u.extra_label, "table");
	ck_assert_uint_eq(u.extra_len, strlen("shop_items"));
	wm_family_find(r->checks[7], &r->checks[7]->metrics[0], &u); /* custom.thing */
	ck_assert(!u.family && !u.hidden);
	wm_result_free(r);
}
END_TEST

/* Names in dir other than "." and "..", joined by spaces. */
static void
list_dir(const char *dir, char *buf, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	buf[0] = '\0';
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(buf + strlen(buf), cap - strlen(buf), "%s ", e->d_name);
	closedir(d);
}

START_TEST(test_render_file)
{
	char dir[] = "/tmp/check_render.XXXXXX", path[128], names[256];
	struct wm_result *r = fixture_full();
	struct wm_err err = {0};
	char *want = render(r, WM_FORMAT_PROMETHEUS, 0), *got = NULL;
	size_t len;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/wm.prom", dir);
	ck_assert_int_eq(wm_render_file(r, WM_FORMAT_PROMETHEUS, 0, path, &err), 0);
	ck_assert_int_eq(wm_file_read(path, 1 << 20, &got, &len, &err), 0);
	ck_assert_str_eq(got, want);
	free(got);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	list_dir(dir, names, sizeof(names));
	ck_assert_str_eq(names, "wm.prom ");

	/* A failed write leaves the old file as it was and no temp file. */
	if (geteuid() != 0) {
		ck_assert_int_eq(chmod(dir, 0555), 0);
		ck_assert_int_eq(wm_render_file(r, WM_FORMAT_JSON, 0, path, &err), -1);
		ck_assert_int_eq(chmod(dir, 0755), 0);
	} else {
		/* root writes anywhere: make the rename fail instead */
		snprintf(path, sizeof(path), "%s/wm.dir", dir);
		ck_assert_int_eq(mkdir(path, 0755), 0);
		ck_assert_int_eq(wm_render_file(r, WM_FORMAT_JSON, 0, path, &err), -1);
		rmdir(path);
		snprintf(path, sizeof(path), "%s/wm.prom", dir);
	}
	ck_assert_int_ne(err.code, WM_EOK);
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
	ck_assert_int_eq(wm_file_read(path, 1 << 20, &got, &len, &err), 0);
	ck_assert_str_eq(got, want);
	free(got);
	list_dir(dir, names, sizeof(names));
	ck_assert_str_eq(names, "wm.prom ");
	unlink(path);
	rmdir(dir);
	free(want);
	wm_result_free(r);
}
END_TEST

/* Strict UTF-8 check, written apart from the renderer's own. */
static bool
valid_utf8(const unsigned char *s)
{
	while (*s) {
		int n = *s < 0x80	      ? 0
			: (*s & 0xe0) == 0xc0 ? 1
			: (*s & 0xf0) == 0xe0 ? 2
			: (*s & 0xf8) == 0xf0 ? 3
					      : -1;
		unsigned cp;

		if (n < 0 || (n == 1 && *s < 0xc2) || (n == 3 && *s > 0xf4))
			return false;
		cp = n ? (unsigned)(*s & (0x3f >> n)) : *s;
		for (int i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		s += n + 1;
	}
	return true;
}

/* A random text of 0-40 bytes from 1-255 (biased toward the troublesome). */
static char *
random_text(unsigned *seed)
{
	static const char special[] = "\"\\\n\t|'=@:~{}%\x7f\x01\xc3\xa9\xe2\x82\xac\xff\xc0";
	size_t len = (size_t)(rand_r(seed) % 41);
	char *t = malloc(len + 1);

	for (size_t i = 0; i < len; i++) {
		int k = rand_r(seed) % 3;

		t[i] = k == 0 ? special[rand_r(seed) % (sizeof(special) - 1)]
			      : (char)(1 + rand_r(seed) % 255);
	}
	t[len] = '\0';
	return t;
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Whatever bytes the collectors captured, every format stays well-formed:
 * JSON parses and is UTF-8, one line per check in ndjson and in the nagios
 * long output, Prometheus samples one per line, text has no control bytes. */
START_TEST(test_random_texts)
{
	unsigned seed = 20261128;

	for (int round = 0; round < 200; round++) {
		char *t[8];
		struct wm_result *r;
		struct wm_check *c;
		char *out;
		cJSON *doc;

		for (int i = 0; i < 8; i++)
			t[i] = random_text(&seed);
		r = wm_result_new(t[0], "1", t[1]);
		c = wm_result_add_check(r, t[2]);
		wm_check_set(c, (enum wm_state)(round % 4), "%s", t[3]);
		wm_check_add_metric(c, t[4], round % 7 ? round * 1.5 : NAN, t[5]);
		cJSON_AddStringToObject(wm_check_data(c), t[6], t[7]);

		out = render(r, WM_FORMAT_JSON, 0);
		doc = cJSON_Parse(out);
		ck_assert_msg(doc && valid_utf8((unsigned char *)out), "round %d: %s", round, out);
		ck_assert_int_eq(count_lines(out), 1);
		cJSON_Delete(doc);
		free(out);
		out = render(r, WM_FORMAT_NDJSON, 0);
		ck_assert(valid_utf8((unsigned char *)out) && count_lines(out) == 1);
		free(out);
		out = render(r, WM_FORMAT_NAGIOS, 0);
		ck_assert_int_eq(count_lines(out), 2);
		ck_assert_ptr_null(strchr(strchr(out, '\n') + 1, '|'));
		free(out);
		out = render(r, WM_FORMAT_PROMETHEUS, 0);
		/* 3 result families (3 lines each), check state (3), metric (3) */
		ck_assert_msg(valid_utf8((unsigned char *)out) && count_lines(out) == 15, "%s",
			      out);
		free(out);
		out = render(r, WM_FORMAT_TEXT, 0);
		for (const char *p = out; *p; p++)
			ck_assert(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f));
		ck_assert(valid_utf8((unsigned char *)out));
		free(out);
		wm_result_free(r);
		for (int i = 0; i < 8; i++)
			free(t[i]);
	}
}
END_TEST

static int
out_of_space(void)
{
	struct wm_result *r = fixture_full();
	FILE *full = fopen("/dev/full", "w");
	int rc;

	ck_assert_ptr_nonnull(full);
	rc = wm_render(r, WM_FORMAT_JSON, full, 0);
	fclose(full);
	wm_result_free(r);
	return rc;
}

START_TEST(test_write_error)
{
	ck_assert_int_eq(out_of_space(), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_golden, 0, 3 * NFORMATS);
	tcase_add_test(tc, test_golden_collide);
	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_perfdata_numbers);
	tcase_add_test(tc, test_random_texts);
	tcase_add_test(tc, test_color);
	tcase_add_test(tc, test_text_widths);
	tcase_add_test(tc, test_terminal);
	tcase_add_test(tc, test_pretty_json);
	tcase_add_test(tc, test_check_line);
	tcase_add_loop_test(tc, test_exit_code_every_format, 0, 4);
	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_format_parse);
	tcase_add_test(tc, test_family_table);
	tcase_add_test(tc, test_family_find);
	tcase_add_test(tc, test_render_file);
	tcase_add_test(tc, test_write_error);
	/* generous: the machine running the tests may be busy (ASan, -j) */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
