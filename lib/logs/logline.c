/* logline.c - the prefixes (compose, Docker timestamp), dispatch to the format
 * recognisers, plain text, levels, times and safe UTF-8. */
#include "config.h"

#include <string.h>

#include "base/duration.h"
#include "logs/logline_int.h"

static const char *const level_names[WM_LVL_COUNT] = {
    "unknown", "trace", "debug", "info", "warn", "error", "critical",
};

const char *
wm_level_name(int level)
{
	if (level < 0 || level >= WM_LVL_COUNT)
		return "unknown";
	return level_names[level];
}

/* s[0..n) is the lower-case word lw, ASCII case-insensitively (s[0] has
 * been compared already) */
static inline bool
level_word_is(const char *s, size_t n, const char *lw, size_t wl)
{
	if (n != wl)
		return false;
	for (size_t i = 1; i < n; i++)
		if ((s[i] | 0x20) != lw[i])
			return false;
	return true;
}

#define LW(w, l)                                                                                   \
	do {                                                                                       \
		if (level_word_is(s, n, w, sizeof(w) - 1))                                         \
			return (l);                                                                \
	} while (0)

/* Every word at a plain text line's start comes here: the first byte picks
 * the few words it can be. */
int
wm_level_parse(const char *s, size_t n)
{
	if (n < 3 || n > 11)
		return WM_LVL_UNKNOWN;
	switch (s[0] | 0x20) {
	case 'a':
		LW("alert", WM_LVL_CRITICAL);
		break;
	case 'c':
		LW("critical", WM_LVL_CRITICAL);
		LW("crit", WM_LVL_CRITICAL);
		break;
	case 'd':
		LW("debug", WM_LVL_DEBUG);
		LW("dpanic", WM_LVL_CRITICAL);
		break;
	case 'e':
		LW("error", WM_LVL_ERROR);
		LW("err", WM_LVL_ERROR);
		LW("emerg", WM_LVL_CRITICAL);
		LW("emergency", WM_LVL_CRITICAL);
		break;
	case 'f':
		LW("fatal", WM_LVL_CRITICAL);
		break;
	case 'i':
		LW("info", WM_LVL_INFO);
		LW("information", WM_LVL_INFO);
		break;
	case 'l':
		LW("log", WM_LVL_INFO);
		break;
	case 'n':
		LW("notice", WM_LVL_INFO);
		break;
	case 'p':
		LW("panic", WM_LVL_CRITICAL);
		break;
	case 's':
		LW("severe", WM_LVL_ERROR);
		break;
	case 't':
		LW("trace", WM_LVL_TRACE);
		break;
	case 'v':
		LW("verbose", WM_LVL_DEBUG);
		break;
	case 'w':
		LW("warn", WM_LVL_WARN);
		LW("warning", WM_LVL_WARN);
		break;
	default:
		break;
	}
	return WM_LVL_UNKNOWN;
}
#undef LW

int
wm_level_from_number(double v)
{
	if (v >= 60)
		return WM_LVL_CRITICAL;
	if (v >= 50)
		return WM_LVL_ERROR;
	if (v >= 40)
		return WM_LVL_WARN;
	if (v >= 30)
		return WM_LVL_INFO;
	if (v >= 20)
		return WM_LVL_DEBUG;
	if (v >= 10)
		return WM_LVL_TRACE;
	return WM_LVL_UNKNOWN;
}

int
wm_ll_month(const char *s, size_t n, size_t i)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (i + 3 > n)
		return 0;
	for (int m = 0; m < 12; m++)
		if (s[i] == months[3 * m] && s[i + 1] == months[3 * m + 1] &&
		    s[i + 2] == months[3 * m + 2])
			return m + 1;
	return 0;
}

int64_t
wm_ll_utc_ms(int y, int mon, int d, int h, int mi, int sec, int ms)
{
	return ((wm_days_from_civil(y, mon, d) * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 +
	       ms;
}

size_t
wm_logline_parse_iso(const char *s, size_t n, int64_t *ms)
{
	struct wm_logline ll;
	int64_t v;
	size_t k;
	int off;

	ll.zone = NULL;
	ll.zone_len = 0;
	k = wm_ll_iso(s, n, &v, &ll);
	if (k == 0 || (ll.zone_len > 0 &&
		       wm_ll_zone_lookup(ll.zone, ll.zone_len, &off) == WM_LL_ZONE_AMBIGUOUS))
		return 0; /* not a time, or one we cannot place */
	*ms = v;
	return k;
}

size_t
wm_ll_iso(const char *s, size_t n, int64_t *ms, struct wm_logline *ll)
{
	int y, mo, d, h, mi, sec = 0, frac = 0, off;
	size_t i = 16;
	int64_t local;
	long z;

	if (!wm_ll_digits(s, n, 0, 4, &y) || n < 16 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || !wm_ll_digits(s, n, 5, 2, &mo) ||
	    !wm_ll_digits(s, n, 8, 2, &d) || !wm_ll_digits(s, n, 11, 2, &h) ||
	    !wm_ll_digits(s, n, 14, 2, &mi) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59)
		return 0;
	if (i < n && s[i] == ':' && wm_ll_digits(s, n, i + 1, 2, &sec)) {
		i += 3;
		if (i < n && (s[i] == '.' || s[i] == ',') && i + 1 < n && wm_isdigit(s[i + 1])) {
			int nd = 0;

			for (i++; i < n && wm_isdigit(s[i]); i++, nd++)
				if (nd < 3)
					frac = frac * 10 + (s[i] - '0');
			for (; nd < 3; nd++)
				frac *= 10;
		}
	}
	local = wm_ll_utc_ms(y, mo, d, h, mi, sec, frac);
	z = wm_ll_zone(s, n, i, &off, ll, local);
	if (z < 0) {
		*ms = -1; /* a time, but in which zone? */
		return i + (size_t)-z;
	}
	*ms = local - (int64_t)off * 60000;
	return i + (size_t)z;
}

static size_t
skip_ansi(const char *s, size_t n, size_t i)
{
	while (i + 1 < n && s[i] == '\x1b' && s[i + 1] == '[') {
		size_t j = i + 2;

		while (j < n && (wm_isdigit(s[j]) || s[j] == ';'))
			j++;
		if (j >= n || s[j] != 'm')
			break;
		i = j + 1;
	}
	return i;
}

/* [A-Za-z0-9_.-]: a table, as every line's prefix goes through it */
static const unsigned char name_table[256] = {
    ['-'] = 1, ['.'] = 1, ['_'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
    ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1,
    ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1,
    ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1,
    ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1,
    ['z'] = 1,
};

static bool
is_name_char(char c)
{
	return name_table[(unsigned char)c];
}

/* "name  | " (compose v2), "name_1  |" + ESC[0m + " " (v1, coloured).  Returns
 * the offset of the text after the prefix, 0 when there is none. */
static size_t
compose_prefix_scan(struct wm_logline *ll, const char *s, size_t n)
{
	size_t i = skip_ansi(s, n, 0), start = i, end, sp;

	while (i < n && is_name_char(s[i]) && i - start < 256)
		i++;
	end = i;
	for (sp = 0; i < n && s[i] == ' '; i++)
		sp++;
	if (end == start || sp == 0 || i >= n || s[i] != '|')
		return 0;
	i = skip_ansi(s, n, i + 1);
	if (i < n && s[i] == ' ')
		i++;
	ll->service = s + start;
	ll->service_len = end - start;
	return skip_ansi(s, n, i);
}

/* s[0..k) == p[0..k), 8 bytes at a time (k is short: a compose prefix) */
static bool
same_bytes(const char *s, const char *p, size_t k)
{
	size_t i = 0;

	for (; i + 8 <= k; i += 8) {
		uint64_t a, b;

		memcpy(&a, s + i, 8);
		memcpy(&b, p + i, 8);
		if (a != b)
			return false;
	}
	if (i < k && k >= 8) { /* the rest: the last 8 bytes, overlapping */
		uint64_t a, b;

		memcpy(&a, s + k - 8, 8);
		memcpy(&b, p + k - 8, 8);
		return a == b;
	}
	for (; i < k; i++)
		if (s[i] != p[i])
			return false;
	return true;
}

/* The compose prefix, from memo when the line starts with the same plain
 * "name  | " as the line it was taken from and no colour code follows:
 * then the scan would stop at the same place (no ESC to skip before or
 * after, the same name, spaces, '|' and one space). */
static size_t
compose_prefix(struct wm_logline *ll, const char *s, size_t n, struct wm_logline_memo *memo)
{
	size_t k, ret;

	if (!memo)
		return compose_prefix_scan(ll, s, n);
	k = memo->prefix_len;
	if (k > 0 && k <= n && (k == n || s[k] != '\x1b') && same_bytes(s, memo->prefix, k)) {
		ll->service = s;
		ll->service_len = memo->service_len;
		return k;
	}
	ret = compose_prefix_scan(ll, s, n);
	memo->prefix_len = 0;
	if (ret >= 2 && ret <= sizeof memo->prefix && ll->service == s && s[ret - 2] == '|' &&
	    s[ret - 1] == ' ' && !memchr(s, '\x1b', ret)) {
		memcpy(memo->prefix, s, ret);
		memo->prefix_len = ret;
		memo->service_len = ll->service_len;
	}
	return ret;
}

/* a[0..16) == b[0..16), in two loads each instead of a call to memcmp */
static inline bool
same16(const char *a, const char *b)
{
	uint64_t a0, a1, b0, b1;

	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* Docker's own layout, always 30 bytes, "2024-06-01T10:00:00.123456789Z"
 * then a space or the end of the line: digits read in place.  A line of the
 * minute in memo converts only its seconds.  -1 when it is not that layout. */
static bool
docker_fixed(const char *s, size_t n, struct wm_logline_memo *memo, int64_t *ms)
{
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, frac = 0;

	if (n < 30 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
	    s[29] != 'Z' || (n != 30 && s[30] != ' ') || !wm_ll_digits(s, n, 17, 2, &sec) ||
	    !wm_ll_digits(s, n, 20, 3, &frac))
		return false;
	if (memo && memo->valid && same16(s, memo->minute)) {
		*ms = memo->minute_ms + (int64_t)sec * 1000 + frac;
		return true;
	}
	if (!wm_ll_digits(s, n, 0, 4, &y) || !wm_ll_digits(s, n, 5, 2, &mo) ||
	    !wm_ll_digits(s, n, 8, 2, &d) || !wm_ll_digits(s, n, 11, 2, &h) ||
	    !wm_ll_digits(s, n, 14, 2, &mi) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59)
		return false;
	if (!memo) {
		*ms = wm_ll_utc_ms(y, mo, d, h, mi, sec, frac);
		return true;
	}
	memcpy(memo->minute, s, sizeof memo->minute);
	memo->minute_ms = wm_ll_utc_ms(y, mo, d, h, mi, 0, 0);
	memo->valid = true;
	*ms = memo->minute_ms + (int64_t)sec * 1000 + frac;
	return true;
}

/* Docker's "2024-06-01T10:00:00.123456789Z " (always a 'T', then a space or
 * the end of the line). */
static size_t
docker_timestamp(struct wm_logline *ll, const char *s, size_t n, struct wm_logline_memo *memo)
{
	int64_t ms;
	size_t k;

	if (n < 20 || s[10] != 'T')
		return 0;
	if (docker_fixed(s, n, memo, &ms)) {
		ll->docker_ts_ms = ll->ts_ms = ms;
		return n == 30 ? 30 : 31;
	}
	k = wm_logline_parse_iso(s, n, &ms);
	if (k == 0 || (k < n && s[k] != ' '))
		return 0;
	ll->docker_ts_ms = ms;
	ll->ts_ms = ms;
	return k < n ? k + 1 : k;
}

/* A bare time of day "06:48:52.683" (Elixir, many text loggers) followed
 * by the byte end: its length. */
static size_t
time_of_day(const char *s, size_t n, char end)
{
	int h, m, sec;
	size_t i = 8;

	if (n < 9 || s[2] != ':' || s[5] != ':' || !wm_ll_digits(s, n, 0, 2, &h) ||
	    !wm_ll_digits(s, n, 3, 2, &m) || !wm_ll_digits(s, n, 6, 2, &sec))
		return 0;
	if (s[i] == '.' || s[i] == ',')
		for (i++; i < n && wm_isdigit(s[i]); i++)
			;
	return i < n && s[i] == end ? i : 0;
}

/* The leading time of a text line, "2025-01-20 22:49:31.317 ", "22:49:31 ",
 * or either in brackets ("[2025-01-20 22:49:31.317] ", pino-pretty's
 * "[22:49:31.317] "): the line's time when it has a date, and where the
 * rest starts (0: no leading time). */
static size_t
leading_time(struct wm_logline *ll, const char *s, size_t n)
{
	int64_t ms = -1;
	size_t i = 0;

	if (n > 0 && wm_isdigit(s[0])) {
		if ((i = wm_ll_iso(s, n, &ms, ll)) == 0)
			i = time_of_day(s, n, ' ');
	} else if (n > 10 && s[0] == '[' && wm_isdigit(s[1])) {
		if ((i = wm_ll_iso(s + 1, n - 1, &ms, ll)) == 0)
			i = time_of_day(s + 1, n - 1, ']');
		i = i > 0 && i + 1 < n && s[i + 1] == ']' ? i + 2 : 0;
	}
	if (i > 0 && ll->ts_ms < 0)
		ll->ts_ms = ms;
	/* "time | LEVEL | msg" (loguru) */
	while (i > 0 && i < n && s[i] == ' ')
		i++;
	if (i > 0 && i + 1 < n && s[i] == '|' && s[i + 1] == ' ')
		for (i += 2; i < n && s[i] == ' '; i++)
			;
	return i;
}

/* Plain text: a leading time ("time level message" layouts, see
 * leading_time) is taken as the line's time, then a leading level word
 * ("INFO:", "[error]", "WARN ") as its level, before any word of the message
 * can count. */
static void
plain_text(struct wm_logline *ll, const char *s, size_t n)
{
	size_t i = leading_time(ll, s, n), w;
	bool bracket = false;
	int lvl;

	ll->msg = s + i; /* the message starts after the time */
	ll->msg_len = n - i;
	if (i < n && s[i] == '[') {
		bracket = true;
		i++;
	}
	for (w = i; w < n && wm_isalpha(s[w]) && w - i < 12; w++)
		;
	if (w == i || w >= n)
		return;
	lvl = wm_level_parse(s + i, w - i);
	if (lvl == WM_LVL_UNKNOWN || (w - i) < 4)
		return;
	/* "[error]", "error:", or an upper-case "ERROR " */
	if ((bracket && s[w] == ']') || (!bracket && s[w] == ':') ||
	    (!bracket && s[w] == ' ' && wm_isupper(s[i]) && wm_isupper(s[w - 1]))) {
		ll->level = lvl;
		ll->structured = true;
		for (w++; w < n && (s[w] == ' ' || s[w] == ':'); w++)
			;
		ll->msg = s + w; /* and after the level word */
		ll->msg_len = n - w;
	}
}

void
wm_logline_parse(struct wm_logline *ll, const char *line, size_t len, unsigned flags)
{
	wm_logline_parse_memo(ll, line, len, flags, NULL);
}

void
wm_logline_parse_memo(struct wm_logline *ll, const char *line, size_t len, unsigned flags,
		      struct wm_logline_memo *memo)
{
	size_t i = 0;
	const char *b;
	size_t n;

	memset(ll, 0, sizeof *ll);
	ll->ts_ms = ll->docker_ts_ms = -1;
	ll->request_time = ll->upstream_response_time = -1;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (flags & WM_LOGLINE_COMPOSE)
		i = compose_prefix(ll, line, len, memo);
	i += docker_timestamp(ll, line + i, len - i, memo);
	b = line + i;
	n = len - i;
	ll->text = ll->msg = b;
	ll->text_len = ll->msg_len = n;
	if (wm_ll_json(ll, b, n, flags & WM_LOGLINE_LAZY) || wm_ll_redis(ll, b, n) ||
	    wm_ll_nginx_error(ll, b, n) || wm_ll_apache_error(ll, b, n) ||
	    wm_ll_nginx_access(ll, b, n) || wm_ll_postgres(ll, b, n) || wm_ll_logfmt(ll, b, n))
		return;
	ll->format = WM_LOGFMT_TEXT;
	plain_text(ll, b, n);
}

size_t
wm_logline_strip_ansi(const char *line, size_t n, size_t from, char *out)
{
	size_t o = from, i = from;

	memcpy(out, line, from);
	while (i < n) {
		const char *esc = memchr(line + i, '\x1b', n - i);
		size_t k = esc ? (size_t)(esc - line) : n;

		memcpy(out + o, line + i, k - i);
		o += k - i;
		if (!esc)
			break;
		i = k + 1;
		if (i < n && line[i] == '[') {
			/* parameters and intermediates 0x20-0x3f, then a final byte */
			for (i++; i < n && line[i] >= 0x20 && line[i] <= 0x3f; i++)
				;
			if (i < n && line[i] >= 0x40 && line[i] <= 0x7e)
				i++;
		} else if (i < n) {
			i++;
		}
	}
	return o;
}

static size_t
put_utf8(char *out, size_t o, size_t cap, unsigned cp)
{
	if (cp < 0x80) {
		if (o + 1 >= cap)
			return o;
		out[o++] = (char)cp;
	} else if (cp < 0x800) {
		if (o + 2 >= cap)
			return o;
		out[o++] = (char)(0xc0 | (cp >> 6));
		out[o++] = (char)(0x80 | (cp & 0x3f));
	} else {
		if (o + 3 >= cap)
			return o;
		out[o++] = (char)(0xe0 | (cp >> 12));
		out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[o++] = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

static int
hexval(char c)
{
	if (wm_isdigit(c))
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t
wm_logline_message(const struct wm_logline *ll, char *buf, size_t cap, const char **out)
{
	const char *s = ll->msg;
	size_t n = ll->msg_len, o = 0;

	if (!ll->msg_escaped) {
		*out = s;
		return n;
	}
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		char c = s[i];
		unsigned cp = 0;
		int k;

		if (c != '\\' || i + 1 >= n) {
			buf[o++] = c;
			continue;
		}
		c = s[++i];
		switch (c) {
		case 'n':
			buf[o++] = '\n';
			break;
		case 't':
			buf[o++] = '\t';
			break;
		case 'r':
			buf[o++] = '\r';
			break;
		case 'b':
			buf[o++] = '\b';
			break;
		case 'f':
			buf[o++] = '\f';
			break;
		case 'u':
			for (k = 0; k < 4 && i + 1 < n && hexval(s[i + 1]) >= 0; k++)
				cp = cp * 16 + (unsigned)hexval(s[++i]);
			o = put_utf8(buf, o, cap, cp);
			break;
		default:
			buf[o++] = c;
			break;
		}
	}
	if (cap > 0)
		buf[o] = '\0';
	*out = buf;
	return o;
}

/* Length of the valid UTF-8 sequence at s[i..n), 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n, size_t i)
{
	unsigned c = s[i];
	size_t len;
	unsigned min, cp;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		len = 2, min = 0x80, cp = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		len = 3, min = 0x800, cp = c & 0x0f;
	else if ((c & 0xf8) == 0xf0)
		len = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (i + len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i + k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t
wm_utf8_sanitize(const char *s, size_t n, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;

	if (cap == 0)
		return 0;
	while (i < n) {
		size_t k = utf8_seq(u, n, i);

		if (k == 0) {
			size_t o2 = put_utf8(out, o, cap, 0xfffd);

			if (o2 == o)
				break;
			o = o2;
			i++;
			continue;
		}
		if (o + k >= cap)
			break;
		if (k == 1 && (u[i] < 0x20 || u[i] == 0x7f) && u[i] != '\t')
			out[o++] = ' ';
		else
			memcpy(out + o, s + i, k), o += k;
		i += k;
	}
	out[o] = '\0';
	return o;
}

static bool
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!wm_isdigit(s[i]))
			return false;
	return true;
}

bool
wm_logline_service_is(const char *n, size_t len, const char *svc)
{
	size_t sl = strlen(svc);

	for (size_t start = 0; n && start + sl <= len; start++) {
		size_t end = start + sl;

		if (start > 0 && n[start - 1] != '-' && n[start - 1] != '_')
			continue;
		if (memcmp(n + start, svc, sl) != 0)
			continue;
		if (end == len ||
		    ((n[end] == '-' || n[end] == '_') && all_digits(n + end + 1, len - end - 1)))
			return true;
	}
	return false;
}
