/* check_fastpath.c - the fast paths of the log pipeline give what the slow
 * ones gave: the word scan that replaces PCRE2 for the default patterns (and,
 * as it looks at every 4th byte only, the every-byte scan before it, kept
 * here as a reference), the colon-driven PostgreSQL recogniser against the byte-by-byte scan it
 * replaced (kept here as the reference), and the signature cache of
 * lib/logs/groups.c against signatures computed directly, and the Docker minute
 * and compose prefix memo (wm_logline_parse_memo) against parsing each line
 * alone; the SSE2 word scan against the portable one; the level words'
 * switch against the table loop before it; nginx's timing fields found from
 * their '=' against the space-by-space scan before it; the lazy JSON scan
 * (WM_LOGLINE_LAZY) against the whole one.  On hand-made edge cases, on every
 * fixture under tests/fixtures/logs and on the real logs of $WM_REAL_LOGS
 * (see unit.h). */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logs/classify.h"
#include "logs/classify_int.h"
#include "logs/groups.h"
#include "logs/logline_int.h"
#include "logs/logstream.h"
#include "unit.h"

/* ---- the reference PostgreSQL recogniser (the scan before the fast path) ---- */

static const struct {
	const char *word;
	int level;
} ref_sev[] = {
    {"LOG", WM_LVL_INFO},	{"INFO", WM_LVL_INFO},	   {"NOTICE", WM_LVL_INFO},
    {"STATEMENT", WM_LVL_INFO}, {"DETAIL", WM_LVL_INFO},   {"HINT", WM_LVL_INFO},
    {"CONTEXT", WM_LVL_INFO},	{"LOCATION", WM_LVL_INFO}, {"QUERY", WM_LVL_INFO},
    {"WARNING", WM_LVL_WARN},	{"ERROR", WM_LVL_ERROR},   {"FATAL", WM_LVL_CRITICAL},
    {"PANIC", WM_LVL_CRITICAL}, {"DEBUG1", WM_LVL_DEBUG},  {"DEBUG2", WM_LVL_DEBUG},
    {"DEBUG3", WM_LVL_DEBUG},	{"DEBUG4", WM_LVL_DEBUG},  {"DEBUG5", WM_LVL_DEBUG},
};

static bool
ref_postgres(struct wm_logline *ll, const char *s, size_t n)
{
	size_t lim = n < 512 ? n : 512;

	for (size_t i = 0; i < lim; i++) {
		size_t w = i;

		if (!wm_isupper(s[i]) || (i > 0 && s[i - 1] != ' '))
			continue;
		while (w < n && (wm_isupper(s[w]) || wm_isdigit(s[w])))
			w++;
		if (w + 3 > n || s[w] != ':' || s[w + 1] != ' ' || s[w + 2] != ' ')
			continue;
		for (size_t k = 0; k < sizeof ref_sev / sizeof ref_sev[0]; k++) {
			int64_t ms;

			if (strlen(ref_sev[k].word) != w - i ||
			    memcmp(ref_sev[k].word, s + i, w - i))
				continue;
			ll->format = WM_LOGFMT_POSTGRES;
			ll->level = ref_sev[k].level;
			ll->structured = true;
			if (ll->ts_ms < 0 && wm_logline_parse_iso(s, n, &ms) > 0)
				ll->ts_ms = ms;
			for (w += 3; w < n && s[w] == ' '; w++)
				;
			ll->msg = s + w;
			ll->msg_len = n - w;
			return true;
		}
	}
	return false;
}

/* ---- the reference word scan (every byte, before the sampled one) ---- */

static int
ref_word_level(const unsigned char *w, size_t n)
{
	static const struct {
		const char *w;
		int level;
	} words[] = {{"critical", WM_LVL_CRITICAL}, {"fatal", WM_LVL_CRITICAL},
		     {"panic", WM_LVL_CRITICAL},    {"error", WM_LVL_ERROR},
		     {"warn", WM_LVL_WARN},	    {"warning", WM_LVL_WARN}};

	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		size_t i;

		if (strlen(words[k].w) != n)
			continue;
		for (i = 0; i < n && (w[i] | 0x20) == (unsigned char)words[k].w[i]; i++)
			;
		if (i == n)
			return words[k].level;
	}
	return WM_LVL_INFO;
}

static bool
ref_is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int
ref_words(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s, *end = u + n, *p = u;
	int best = WM_LVL_INFO;

	while (p < end) {
		const unsigned char *start;
		int lvl;

		if (!ref_is_word(*p)) {
			p++;
			continue;
		}
		for (start = p++; p < end && ref_is_word(*p); p++)
			;
		lvl = ref_word_level(start, (size_t)(p - start));
		if (lvl > best)
			best = lvl;
	}
	return best;
}

static void
blank(struct wm_logline *ll)
{
	memset(ll, 0, sizeof *ll);
	ll->ts_ms = ll->docker_ts_ms = -1;
}

/* Both recognisers on s[0..n): same answer, same fields. */
static void
same_postgres(const char *s, size_t n)
{
	struct wm_logline a, b;
	bool ra, rb;

	blank(&a);
	blank(&b);
	ra = wm_ll_postgres(&a, s, n);
	rb = ref_postgres(&b, s, n);
	ck_assert_msg(ra == rb, "postgres %d vs %d on: %.*s", ra, rb, (int)(n > 200 ? 200 : n), s);
	ck_assert_int_eq(a.format, b.format);
	ck_assert_int_eq(a.level, b.level);
	ck_assert_int_eq(a.structured, b.structured);
	ck_assert(a.msg == b.msg);
	ck_assert_uint_eq(a.msg_len, b.msg_len);
	ck_assert(a.ts_ms == b.ts_ms);
}

/* The word scan and PCRE2 on s[0..n): same level. */
static void
same_words(struct wm_classifier *c, const char *s, size_t n)
{
	int fast = wm_classify_default_words(s, n), slow = wm_classifier_text_pcre(c, s, n);

	ck_assert_msg(fast == slow, "words %d vs pcre %d on: %.*s", fast, slow,
		      (int)(n > 200 ? 200 : n), s);
	ck_assert_msg(fast == ref_words(s, n), "words %d vs reference scan on: %.*s", fast,
		      (int)(n > 200 ? 200 : n), s);
	ck_assert_int_eq(wm_classifier_text(c, s, n), slow);
	ck_assert_msg(wm_classify_words_sampled(s, n) == fast, "sampled scan differs on: %.*s",
		      (int)(n > 200 ? 200 : n), s);
}

/* Two parses of one line: every field the same. */
static void
same_parse(const struct wm_logline *a, const struct wm_logline *b)
{
	ck_assert(a->ts_ms == b->ts_ms);
	ck_assert(a->docker_ts_ms == b->docker_ts_ms);
	ck_assert(a->service == b->service);
	ck_assert_uint_eq(a->service_len, b->service_len);
	ck_assert_int_eq(a->level, b->level);
	ck_assert_int_eq(a->structured, b->structured);
	ck_assert_int_eq(a->format, b->format);
	ck_assert(a->msg == b->msg);
	ck_assert_uint_eq(a->msg_len, b->msg_len);
	ck_assert_int_eq(a->msg_escaped, b->msg_escaped);
	ck_assert(a->text == b->text);
	ck_assert_uint_eq(a->text_len, b->text_len);
	ck_assert_int_eq(a->status, b->status);
	ck_assert(a->ip == b->ip && a->ip_len == b->ip_len);
	ck_assert(a->method == b->method && a->method_len == b->method_len);
	ck_assert(a->path == b->path && a->path_len == b->path_len);
	ck_assert(a->request_time == b->request_time);
	ck_assert(a->upstream_response_time == b->upstream_response_time);
}

/* With the memo of the lines before (the Docker minute) and without. */
static void
same_memo(struct wm_logline_memo *memo, const char *s, size_t n, unsigned flags)
{
	struct wm_logline a, b;

	wm_logline_parse_memo(&a, s, n, flags, memo);
	wm_logline_parse(&b, s, n, flags);
	same_parse(&a, &b);
}

/* With WM_LOGLINE_LAZY (wm-errors) and without: what wm-errors reads is the
 * same (a JSON line's status, method, path and ip may be left unset). */
static void
same_lazy(const char *s, size_t n, unsigned flags)
{
	struct wm_logline a, b;

	wm_logline_parse(&a, s, n, flags | WM_LOGLINE_LAZY);
	wm_logline_parse(&b, s, n, flags);
	ck_assert_msg(a.ts_ms == b.ts_ms && a.level == b.level && a.structured == b.structured &&
			  a.format == b.format && a.msg == b.msg && a.msg_len == b.msg_len &&
			  a.msg_escaped == b.msg_escaped,
		      "lazy parse differs on: %.*s", (int)(n > 200 ? 200 : n), s);
	ck_assert(a.docker_ts_ms == b.docker_ts_ms);
	ck_assert(a.service == b.service && a.service_len == b.service_len);
	ck_assert(a.text == b.text && a.text_len == b.text_len);
	ck_assert(a.zone == b.zone && a.zone_len == b.zone_len);
	ck_assert(a.zone_local_ms == b.zone_local_ms);
	if (b.format != WM_LOGFMT_JSON) {
		ck_assert_int_eq(a.status, b.status);
		ck_assert(a.method == b.method && a.path == b.path && a.ip == b.ip);
	}
}

static void
same_all(struct wm_classifier *c, struct wm_logline_memo *memo, const char *s, size_t n)
{
	struct wm_logline ll;

	same_lazy(s, n, WM_LOGLINE_COMPOSE);
	same_lazy(s, n, 0);

	same_words(c, s, n);
	same_postgres(s, n);
	same_memo(memo, s, n, WM_LOGLINE_COMPOSE);
	same_memo(memo + 1, s, n, 0);
	wm_logline_parse(&ll, s, n, WM_LOGLINE_COMPOSE);
	same_words(c, ll.msg, ll.msg_len);
	same_postgres(ll.text, ll.text_len);
}

/* Every line of every regular file under dir (recursively); lines counted. */
static size_t
walk(struct wm_classifier *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t lines = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		FILE *f;
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;
		struct wm_logline_memo memo[2];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			lines += walk(c, path);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !(f = fopen(path, "r")))
			continue;
		memset(memo, 0, sizeof memo); /* a new stream */
		while ((len = getline(&line, &cap, f)) > 0) {
			size_t n = (size_t)len;

			if (line[n - 1] == '\n')
				n--;
			same_all(c, memo, line, n > WM_LOGLINE_MAX ? WM_LOGLINE_MAX : n);
			lines++;
		}
		free(line);
		fclose(f);
	}
	closedir(d);
	return lines;
}

/* ---- the reference level words (the table loop before the switch) ---- */

static int
ref_level_parse(const char *s, size_t n)
{
	static const struct {
		const char *word;
		int level;
	} w[] = {
	    {"trace", WM_LVL_TRACE},	    {"debug", WM_LVL_DEBUG},
	    {"verbose", WM_LVL_DEBUG},	    {"info", WM_LVL_INFO},
	    {"information", WM_LVL_INFO},   {"notice", WM_LVL_INFO},
	    {"log", WM_LVL_INFO},	    {"warn", WM_LVL_WARN},
	    {"warning", WM_LVL_WARN},	    {"error", WM_LVL_ERROR},
	    {"err", WM_LVL_ERROR},	    {"severe", WM_LVL_ERROR},
	    {"critical", WM_LVL_CRITICAL},  {"crit", WM_LVL_CRITICAL},
	    {"fatal", WM_LVL_CRITICAL},	    {"panic", WM_LVL_CRITICAL},
	    {"dpanic", WM_LVL_CRITICAL},    {"emerg", WM_LVL_CRITICAL},
	    {"emergency", WM_LVL_CRITICAL}, {"alert", WM_LVL_CRITICAL},
	};

	for (size_t k = 0; k < sizeof w / sizeof w[0]; k++) {
		size_t i;

		if (strlen(w[k].word) != n)
			continue;
		for (i = 0; i < n && (s[i] | 0x20) == w[k].word[i]; i++)
			;
		if (i == n)
			return w[k].level;
	}
	return WM_LVL_UNKNOWN;
}

/* ---- the reference nginx timing fields (space by space, before '=') ---- */

static double
ref_sum_times(const char *p, size_t n)
{
	double sum = 0;
	int got = 0;

	for (size_t i = 0; i < n;) {
		char tmp[24];
		size_t k = 0;

		while (i < n && !((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
			i++;
		while (i < n && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.') && k + 1 < sizeof tmp)
			tmp[k++] = p[i++];
		if (k == 0)
			break;
		tmp[k] = '\0';
		sum += strtod(tmp, NULL);
		got = 1;
	}
	return got ? sum : -1;
}

static void
ref_access_timing(double *rt, double *urt, const char *s, size_t n, size_t i)
{
	const char *sp;

	*rt = *urt = -1;
	for (; i + 4 < n && (sp = memchr(s + i, ' ', n - 4 - i)) != NULL; i++) {
		size_t j;

		i = (size_t)(sp - s);
		if (s[i + 1] == 'r' && s[i + 2] == 't' && s[i + 3] == '=') {
			for (j = i + 4; j < n && s[j] != ' '; j++)
				;
			*rt = ref_sum_times(s + i + 4, j - i - 4);
		} else if (i + 6 < n && s[i + 1] == 'u' && memcmp(s + i, " urt=\"", 6) == 0) {
			const char *q = i + 6 < n ? memchr(s + i + 6, '"', n - i - 6) : NULL;

			j = q ? (size_t)(q - s) : n;
			*urt = ref_sum_times(s + i + 6, j - i - 6);
		}
	}
}

START_TEST(test_level_words)
{
	static const char *const words[] = {
	    "trace",	"debug", "verbose",   "info",	"information", "notice", "log",	   "warn",
	    "warning",	"error", "err",	      "severe", "critical",    "crit",	 "fatal",  "panic",
	    "dpanic",	"emerg", "emergency", "alert",	"x",	       "inf",	 "errors", "warnin",
	    "emergenc", "",	 "@LERT",     "[rror",
	};
	static const char alpha[] = "acdefgilmnoprstuvwACEFW@[_ ";
	unsigned seed = 4242;
	char buf[16];

	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		size_t n = strlen(words[k]);

		for (int r = 0; r < 64; r++) { /* random case */
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				buf[i] =
				    (seed >> 20) & 1 && words[k][i] >= 'a' && words[k][i] <= 'z'
					? (char)(words[k][i] - 32)
					: words[k][i];
			}
			ck_assert_int_eq(wm_level_parse(buf, n), ref_level_parse(buf, n));
			for (size_t m = 0; m < n; m++) /* every prefix */
				ck_assert_int_eq(wm_level_parse(buf, m), ref_level_parse(buf, m));
		}
	}
	for (int r = 0; r < 50000; r++) {
		size_t n = (size_t)(r % 13);

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
		}
		ck_assert_int_eq(wm_level_parse(buf, n), ref_level_parse(buf, n));
	}
	ck_assert_int_eq(wm_level_parse("WARNING", 7), WM_LVL_WARN);
	ck_assert_int_eq(wm_level_parse("Emergency", 9), WM_LVL_CRITICAL);
	ck_assert_int_eq(wm_level_parse("dpanic", 6), WM_LVL_CRITICAL);
}
END_TEST

START_TEST(test_access_timing)
{
	static const char head[] =
	    "10.0.0.1 - - [01/May/2025:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"ua\"";
	static const char *const tok[] = {
	    " rt=", " urt=\"", "0.012", "1", ".", ",", " ", "\"", "=", "rt", "u", ":", "-", "x=",
	};
	unsigned seed = 99;
	char buf[256];

	for (int r = 0; r < 30000; r++) {
		size_t n = sizeof head - 1, start;
		struct wm_logline ll;
		double rt, urt;

		memcpy(buf, head, n);
		for (int t = 0; t < r % 14; t++) {
			const char *w;

			seed = seed * 1103515245u + 12345u;
			w = tok[(seed >> 16) % (sizeof tok / sizeof tok[0])];
			if (n + strlen(w) >= sizeof buf)
				break;
			memcpy(buf + n, w, strlen(w));
			n += strlen(w);
		}
		blank(&ll);
		ll.request_time = ll.upstream_response_time = -1;
		ck_assert(wm_ll_nginx_access(&ll, buf, n));
		start = (size_t)(ll.msg - buf) + ll.msg_len;
		ref_access_timing(&rt, &urt, buf, n, start);
		ck_assert_msg(ll.request_time == rt && ll.upstream_response_time == urt,
			      "rt %g/%g urt %g/%g on: %.*s", ll.request_time, rt,
			      ll.upstream_response_time, urt, (int)n, buf);
	}
}
END_TEST

START_TEST(test_words_edges)
{
	static const char *const cases[] = {
	    "error",
	    "ERROR",
	    "Error:",
	    "xerror",
	    "error2",
	    "errors",
	    "_error",
	    "error_",
	    "err or",
	    "an error.",
	    "error-prone",
	    "WARN",
	    "warning",
	    "Warnings",
	    "warnin",
	    "warn:",
	    "[warn]",
	    "fatal",
	    "FATALITY",
	    "nonfatal",
	    "panic!",
	    "PANICKED",
	    "critical",
	    "Critically",
	    "error then fatal",
	    "warn then error",
	    "\xc3\xa9rror",
	    "\xc3"
	    "error\xc3",
	    "error\xff",
	    "\terror\t",
	    "9error",
	    "error9",
	    "e",
	    "",
	    "CRIT",
	    "crit",
	    "err",
	    "severe",
	    "alert",
	    "WaRnInG x",
	    "fAtAl",
	    "x.critical.y",
	    "a/panic/b",
	    "\"error\"",
	    "level=error",
	    "ErRoR",
	    "err\x00or",
	    "error\x00",
	    "w\xc4\xb1rn",
	    "\xef\xbc\xa5RROR",
	};
	struct wm_classifier *c = wm_classifier_new(NULL, NULL, NULL, NULL);

	ck_assert_ptr_nonnull(c);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		same_words(c, cases[k], strlen(cases[k]));
	same_words(c, "err\x00or error", 12);
	/* and levels that do not depend on PCRE2 at all */
	ck_assert_int_eq(wm_classify_default_words("disk warning", 12), WM_LVL_WARN);
	ck_assert_int_eq(wm_classify_default_words("no errors", 9), WM_LVL_INFO);
	ck_assert_int_eq(wm_classify_default_words("ERROR then PANIC", 16), WM_LVL_CRITICAL);
	/* random bytes from a small alphabet rich in the words' letters */
	{
		static const char alpha[] = "errorwarningfatalpanicritcal _-.:\xc3\xa9\x00EWFPC9";
		unsigned seed = 12345;
		char buf[64];

		for (int r = 0; r < 20000; r++) {
			size_t n = (size_t)(r % 63) + 1;

			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				buf[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
			}
			same_words(c, buf, n);
		}
	}
	/* strings of whole words, their pieces and separators in random case, at
	 * every alignment (the scan looks at every 4th byte only) */
	{
		static const char *const tok[] = {
		    "error",  "fatal",	  "panic",     "warn",	  "warning", "critical", "err",
		    "errors", "warnings", "criticals", "fatally", "xpanic",  "a",	 "bc",
		    "def",    "ghij",	  " ",	       " ",	  "-",	     "_",	 "9",
		    ".",      "\xc3\xa9", "\n",	       "\\",	  "\"",
		};
		unsigned seed = 777;
		char buf[160];

		for (int r = 0; r < 20000; r++) {
			size_t n = (size_t)(r % 4); /* leading filler: the alignment */

			memset(buf, ' ', n);
			for (int t = 0; t < 1 + r % 12; t++) {
				const char *w;
				size_t wl;

				seed = seed * 1103515245u + 12345u;
				w = tok[(seed >> 16) % (sizeof tok / sizeof tok[0])];
				wl = strlen(w);
				for (size_t i = 0; i < wl && n < sizeof buf; i++) {
					seed = seed * 1103515245u + 12345u;
					buf[n++] = (seed >> 20) & 1 && w[i] >= 'a' && w[i] <= 'z'
						       ? (char)(w[i] - 32)
						       : w[i];
				}
			}
			same_words(c, buf, n);
		}
	}
	/* a classifier with other patterns keeps using them */
	{
		struct wm_classifier *own =
		    wm_classifier_new(NULL, "\\b(?:gagal|error)\\b", "", NULL);

		ck_assert_ptr_nonnull(own);
		ck_assert_int_eq(wm_classifier_text(own, "login gagal", 11), WM_LVL_ERROR);
		ck_assert_int_eq(wm_classifier_text(own, "warning", 7), WM_LVL_INFO);
		wm_classifier_free(own);
	}
	wm_classifier_free(c);
}
END_TEST

START_TEST(test_postgres_edges)
{
	char buf[1200];
	static const char *const cases[] = {
	    "2025-05-01 10:00:00.123 UTC [1] LOG:  checkpoint starting",
	    "2025-05-01 10:00:00 UTC [7] FATAL:  password authentication failed",
	    "ERROR:  relation does not exist",
	    "xERROR:  no",
	    "[1] ERROR: one space only",
	    "[1] ERROR:",
	    "[1] ERROR:  ",
	    "[1] Error:  mixed case",
	    "a DEBUG5:  b",
	    "a DEBUG6:  b",
	    "a 1ERROR:  b",
	    "a ERROR1:  b",
	    "a X:  ERROR:  b",
	    "a LOG:  b ERROR:  c",
	    "a STATEMENTS:  b",
	    "a NOTERROR:  b",
	    ":  ::  :",
	    "",
	};

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		same_postgres(cases[k], strlen(cases[k]));
	/* a severity starting around the 512-byte limit, and words ending past it */
	for (size_t at = 495; at < 530; at++) {
		static const char *const words[] = {"LOG", "ERROR", "STATEMENT", "DEBUG1"};

		for (size_t w = 0; w < 4; w++) {
			size_t wl = strlen(words[w]);

			memset(buf, 'x', sizeof buf);
			buf[at - 1] = ' ';
			memcpy(buf + at, words[w], wl);
			memcpy(buf + at + wl, ":  tail", 7);
			same_postgres(buf, at + wl + 7);
			same_postgres(buf, at + wl + 3);
			same_postgres(buf, at + wl + 2);
		}
	}
}
END_TEST

START_TEST(test_access_bracket_limit)
{
	/* the '[' of the time may be at most 300 bytes after the first space */
	for (size_t gap = 295; gap < 306; gap++) {
		char buf[600];
		const char *rest =
		    "[01/May/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"";
		struct wm_logline ll;
		size_t n;

		memcpy(buf, "1.2.3.4", 7);
		memset(buf + 7, 'a', gap);
		buf[7] = ' ';
		buf[7 + gap - 1] = ' ';
		n = 7 + gap;
		memcpy(buf + n, rest, strlen(rest));
		n += strlen(rest);
		blank(&ll);
		ck_assert_int_eq(wm_ll_nginx_access(&ll, buf, n), gap <= 300);
	}
}
END_TEST

START_TEST(test_fixtures_and_real_logs)
{
	struct wm_classifier *c = wm_classifier_new(NULL, NULL, NULL, NULL);
	const char *dir;
	size_t lines;

	ck_assert_ptr_nonnull(c);
	lines = walk(c, WM_TEST_SRCDIR "/tests/fixtures/logs");
	ck_assert_uint_gt(lines, 1000);
	if ((dir = wm_unit_real_logs("check_fastpath"))) {
		lines = walk(c, dir);
		ck_assert_msg(lines > 10000, "%s: %zu lines, more than 10000 expected", dir, lines);
	}
	wm_classifier_free(c);
}
END_TEST

/* ---- the signature cache: groups as if every signature were computed anew ---- */

struct tally {
	char **keys; /* "service\tsignature" of every line added */
	size_t n, cap;
	struct wm_groups *g;
};

/* The signature the table should give ll, computed directly. */
static void
direct_signature(const struct wm_logline *ll, char *out, size_t cap)
{
	static char msg[WM_GROUP_SIG_INPUT + 1];
	const char *m;
	size_t n = wm_logline_message(ll, msg, sizeof msg, &m), o = 0;

	if (ll->format == WM_LOGFMT_NGINX_ACCESS && ll->status > 0) {
		o = (size_t)snprintf(out, cap, "%d ", ll->status);
		if (ll->method) {
			n = ll->method_len + 1 + ll->path_len;
			m = ll->method;
		}
	}
	wm_groups_signature(m, n, out + o, cap - o);
}

static void
tally_line(struct tally *t, const char *line, size_t n)
{
	struct wm_logline ll;
	char sig[WM_GROUP_SIG_MAX], key[WM_GROUP_SIG_MAX + WM_GROUP_SERVICE_MAX + 2];

	wm_logline_parse(&ll, line, n, WM_LOGLINE_COMPOSE);
	if (ll.service_len >= WM_GROUP_SERVICE_MAX)
		ll.service_len = WM_GROUP_SERVICE_MAX - 1;
	direct_signature(&ll, sig, sizeof sig);
	snprintf(key, sizeof key, "%.*s\t%s", (int)(ll.service ? ll.service_len : 0),
		 ll.service ? ll.service : "", sig);
	/* twice, the second a sure cache hit, and once more later (below) */
	for (int k = 0; k < 2; k++) {
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 1024;
			t->keys = realloc(t->keys, t->cap * sizeof *t->keys);
			ck_assert_ptr_nonnull(t->keys);
		}
		t->keys[t->n++] = strdup(key);
		wm_groups_add(t->g, &ll);
	}
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
tally_file(struct tally *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	ck_assert_ptr_nonnull(f);
	while ((len = getline(&line, &cap, f)) > 0)
		tally_line(t, line, line[len - 1] == '\n' ? (size_t)len - 1 : (size_t)len);
	free(line);
	fclose(f);
}

START_TEST(test_signature_cache)
{
	static const char *const files[] = {"compose-warungin.log", "warungin-backend.jsonl",
					    "nginx_access_200.log", "nginx_error.log",
					    "postgres_fr.log",	    "compose_timestamps.log"};
	struct tally t = {NULL, 0, 0, wm_groups_new(16384)};
	const struct wm_group **v;
	size_t ng, i = 0, groups = 0;

	ck_assert_ptr_nonnull(t.g);
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
			char path[4096];

			snprintf(path, sizeof path, "%s/tests/fixtures/logs/%s", WM_TEST_SRCDIR,
				 files[k]);
			tally_file(&t, path);
		}
	ck_assert_uint_eq(wm_groups_evicted(t.g), 0);
	qsort(t.keys, t.n, sizeof *t.keys, by_key);
	v = wm_groups_sorted(t.g, &ng);
	ck_assert_ptr_nonnull(v);
	/* every run of equal keys is one group with that count */
	while (i < t.n) {
		size_t j = i;
		bool found = false;

		while (j < t.n && strcmp(t.keys[j], t.keys[i]) == 0)
			j++;
		for (size_t k = 0; k < ng && !found; k++) {
			char key[WM_GROUP_SIG_MAX + WM_GROUP_SERVICE_MAX + 2];

			snprintf(key, sizeof key, "%s\t%s", v[k]->service, v[k]->signature);
			if (strcmp(key, t.keys[i]) == 0) {
				found = true;
				ck_assert_uint_eq(v[k]->count, j - i);
			}
		}
		ck_assert_msg(found, "no group for %s", t.keys[i]);
		groups++;
		i = j;
	}
	ck_assert_uint_eq(groups, ng);
	ck_assert_uint_gt(ng, 50);
	for (i = 0; i < t.n; i++)
		free(t.keys[i]);
	free(t.keys);
	free(v);
	wm_groups_free(t.g);
}
END_TEST

/* The lazy JSON scan on hand-made lines: the same level, message and time;
 * it stops early where it can. */
START_TEST(test_lazy_json)
{
	static const char *const lines[] = {
	    "2024-06-01T10:00:00.000000000Z {\"level\":\"error\",\"message\":\"a\",\"x\":1}",
	    "2024-06-01T10:00:00.000000000Z {\"message\":\"a\",\"level\":\"warn\"}",
	    "2024-06-01T10:00:00.000000000Z {\"level\":\"info\",\"msg\":\"m\",\"message\":\"b\"}",
	    "2024-06-01T10:00:00.000000000Z {\"level\":\"info\",\"message\":\"b\",\"msg\":\"m\"}",
	    "2024-06-01T10:00:00.000000000Z "
	    "{\"level\":\"info\",\"message\":\"1\",\"message\":\"2\"}",
	    "2024-06-01T10:00:00.000000000Z "
	    "{\"level\":\"nope\",\"message\":\"x\",\"level\":\"error\"}",
	    "{\"level\":\"error\",\"message\":\"no docker time\",\"timestamp\":\"2024-06-01 "
	    "10:00:00\"}",
	    "{\"level\":\"error\",\"message\":\"zone\",\"time\":\"2024-06-01 10:00:00 CST\","
	    "\"timestamp\":\"2024-06-01T10:00:00Z\"}",
	    "{\"level\":30,\"time\":1717236000000,\"msg\":\"pino\",\"message\":\"later\"}",
	    "2024-06-01T10:00:00.000000000Z {\"level\":\"\\u001b[31merror\\u001b[39m\","
	    "\"message\":\"c\",\"statusCode\":500}",
	    "2024-06-01T10:00:00.000000000Z {\"level\":\"error\",\"message\":\"cut\",\"x\":",
	};
	struct wm_logline a, b;

	for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++)
		same_lazy(lines[k], strlen(lines[k]), 0);
	/* the first "message" of two is the message, lazily or not */
	wm_logline_parse(&b, lines[4], strlen(lines[4]), 0);
	ck_assert_uint_eq(b.msg_len, 1);
	ck_assert_int_eq(b.msg[0], '1');
	/* it did stop: statusCode after the message is not read */
	wm_logline_parse(&a, lines[9], strlen(lines[9]), WM_LOGLINE_LAZY);
	wm_logline_parse(&b, lines[9], strlen(lines[9]), 0);
	ck_assert_int_eq(b.status, 500);
	ck_assert_int_eq(a.status, 0);
	ck_assert_int_eq(a.level, WM_LVL_ERROR);
}
END_TEST

/* The Docker minute memo on hand-made sequences: each line as without it. */
START_TEST(test_memo_edges)
{
	static const char *const lines[] = {
	    "2024-06-01T10:00:00.123456789Z hello",
	    "2024-06-01T10:00:59.999999999Z same minute",
	    "2024-06-01T10:00:5x.999999999Z bad second after a hit",
	    "2024-06-01T10:00:59.99x999999Z bad fraction after a hit",
	    "2024-06-01T10:01:00.000000000Z",
	    "2024-06-01T10:01:07.5Z short fraction",
	    "2024-06-01T10:01:07.500000000+01:00 offset",
	    "2024-13-01T10:01:07.000000000Z bad month",
	    "2024-13-01T10:01:08.000000000Z bad month again",
	    "2024-06-01T10:01:07.000000000Zx no space",
	    "1969-12-31T23:59:59.999000000Z before 1970",
	    "1969-12-31T23:59:58.000000000Z before 1970 again",
	    "backend-1  | 2024-06-01T10:01:07.000000000Z {\"level\":\"error\",\"msg\":\"x\"}",
	    "backend-1  | 2024-06-01T10:01:08.000000000Z {\"level\":\"error\",\"msg\":\"x\"}",
	    "2024-12-31T23:59:59.000000000Z year end",
	    "2025-01-01T00:00:00.000000000Z new year",
	    "2024-06-02T10:01:07.000000000Z next day",
	    "2024-06-01T10:01:09.000000000Z back a day",
	    "2024-06-01T10:01 cut short",
	    "2024-06-01T10:01:09.000000000",
	    "",
	    /* the compose prefix memo */
	    "backend-1  | hello",
	    "backend-1  | again",
	    "backend-1  | \x1b[0m colour after",
	    "backend-1  | \x1b[0",
	    "backend-1  |  two spaces",
	    "backend-1  |",
	    "backend-1  | ",
	    "backend-1  |x",
	    "backend-1  | x",
	    "backend-1  ",
	    "backend-10  | other",
	    "backend-1 | one space",
	    "backend-1  | 2024-06-01T10:00:00.123456789Z msg",
	    "\x1b[36mbackend-1  |\x1b[0m x",
	    "\x1b[36mbackend-1  |\x1b[0m y",
	    "backend-1  | \x1b[32mgreen",
	    "a-name-of-seventy-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  | x",
	    "a-name-of-seventy-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  | y",
	    "nginx-1  | \"GET / HTTP/1.1\" 200",
	    "nginx-1  | \"GET / HTTP/1.1\" 500",
	    "| no name",
	    "backend-1  | last",
	};
	struct wm_logline_memo memo[2];
	struct wm_logline ll;

	memset(memo, 0, sizeof memo);
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
			same_memo(memo, lines[k], strlen(lines[k]), WM_LOGLINE_COMPOSE);
			same_memo(memo + 1, lines[k], strlen(lines[k]), 0);
		}
	/* a value known independently: 2024-06-01T10:00:00Z is 1717236000 */
	memset(memo, 0, sizeof memo);
	wm_logline_parse_memo(&ll, lines[0], strlen(lines[0]), 0, memo);
	wm_logline_parse_memo(&ll, lines[1], strlen(lines[1]), 0, memo);
	ck_assert(memo->valid);
	ck_assert(ll.docker_ts_ms == 1717236059999LL);
}
END_TEST

struct rec {
	int64_t ts, dts;
	int level, format;
	size_t text_len, service_len;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static void
record(void *ctx, const struct wm_logline *ll)
{
	struct recs *r = ctx;
	struct rec x = {ll->ts_ms,  ll->docker_ts_ms, ll->level,
			ll->format, ll->text_len,     ll->service_len};

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->v = realloc(r->v, r->cap * sizeof *r->v);
		ck_assert_ptr_nonnull(r->v);
	}
	r->v[r->n++] = x;
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	*n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

/* Lines through a log stream (its memo carried from line to line) in chunks
 * of 1, 7, 4096 bytes and whole: what each line is parsed as without a memo. */
START_TEST(test_memo_chunks)
{
	static const char *const files[] = {"compose_timestamps.log", "compose-warungin.log",
					    "compose_ansi_v1.log"};
	static const size_t chunks[] = {1, 7, 4096, 0};

	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[4096];
		size_t n, lines = 0;
		char *buf;

		snprintf(path, sizeof path, "%s/tests/fixtures/logs/%s", WM_TEST_SRCDIR, files[f]);
		buf = slurp(path, &n);
		for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
			struct recs r = {NULL, 0, 0};
			struct wm_log_analyzer a = {record, &r};
			struct wm_logstream *s = wm_logstream_new(NULL, WM_LOGLINE_COMPOSE);
			size_t step = chunks[c] ? chunks[c] : n, k = 0;

			ck_assert_ptr_nonnull(s);
			ck_assert_int_eq(wm_logstream_add(s, &a, NULL), 0);
			for (size_t o = 0; o < n; o += step)
				wm_logstream_feed(s, buf + o, n - o < step ? n - o : step);
			wm_logstream_flush(s);
			wm_logstream_free(s);
			for (size_t o = 0; o < n; k++) {
				const char *nl = memchr(buf + o, '\n', n - o);
				size_t len = nl ? (size_t)(nl - (buf + o)) : n - o;
				struct wm_logline ll;
				const char *line = buf + o, *esc = memchr(line, '\x1b', len);
				char clean[4096];
				size_t clen = len;

				/* the stream parses a line without its colour codes */
				ck_assert_uint_lt(len, sizeof clean);
				if (esc) {
					clen = wm_logline_strip_ansi(line, len,
								     (size_t)(esc - line), clean);
					line = clean;
				}
				wm_logline_parse(&ll, line, clen, WM_LOGLINE_COMPOSE);
				ck_assert_uint_lt(k, r.n);
				ck_assert(r.v[k].ts == ll.ts_ms && r.v[k].dts == ll.docker_ts_ms);
				ck_assert_int_eq(r.v[k].level, ll.level);
				ck_assert_int_eq(r.v[k].format, ll.format);
				ck_assert_uint_eq(r.v[k].text_len, ll.text_len);
				ck_assert_uint_eq(r.v[k].service_len, ll.service_len);
				o += len + 1;
			}
			ck_assert_uint_eq(k, r.n);
			lines = k;
			free(r.v);
		}
		ck_assert_uint_gt(lines, 10);
		free(buf);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("fastpath");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_words_edges);
	tcase_add_test(tc, test_level_words);
	tcase_add_test(tc, test_access_timing);
	tcase_add_test(tc, test_postgres_edges);
	tcase_add_test(tc, test_access_bracket_limit);
	tcase_add_test(tc, test_fixtures_and_real_logs);
	tcase_add_test(tc, test_signature_cache);
	tcase_add_test(tc, test_memo_edges);
	tcase_add_test(tc, test_lazy_json);
	tcase_add_test(tc, test_memo_chunks);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
