/* security_match.c - attack shapes, whole words, masked accounts (see security.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "checks/security.h"

#define TARGET_MAX 2048 /* bytes of a request target examined */

static const char *const attack_names[WM_ATTACK_COUNT] = {"sqli", "traversal", "xss", "cmd",
							  "scanner"};

/* Needles, matched in the lower-cased, percent-decoded target with an empty SQL comment
 * and runs of blanks made one space.  Chosen to be rare in real requests:
 * a quote followed by SQL, not SQL words alone. */
static const char *const sqli[] = {"union select",
				   "union all select",
				   "' or ",
				   "\" or ",
				   " or 1=1",
				   "'or'",
				   "' and ",
				   "sleep(",
				   "benchmark(",
				   "information_schema",
				   "'--",
				   "' --",
				   "';",
				   "xp_cmdshell",
				   "waitfor delay",
				   "extractvalue(",
				   "updatexml(",
				   "pg_sleep(",
				   "select * from",
				   NULL};
static const char *const traversal[] = {"../",	   "..\\",	  "/etc/passwd", "/etc/shadow",
					"win.ini", "/proc/self/", "c:\\windows", NULL};
static const char *const xss[] = {
    "<script", "javascript:", "onerror=", "onload=", "<iframe", "<svg", "alert(", NULL};
static const char *const cmd[] = {"$(",	    "`",     "/bin/sh", "/bin/bash",  "cmd.exe",
				  ";wget",  ";curl", "|wget",	"|curl",      "; wget",
				  "; curl", "|sh",   ";sh ",	"powershell", NULL};

const char *
wm_attack_name(int a)
{
	return a >= 0 && a < WM_ATTACK_COUNT ? attack_names[a] : "?";
}

static int
hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode (and '+' to space after the '?'), lower-case, an empty SQL comment and
 * blank runs to one space.  Returns the length. */
static size_t
decode(const char *s, size_t n, char *out, size_t cap, size_t *qpos)
{
	size_t k = 0;
	bool query = false;

	*qpos = (size_t)-1;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		char c = s[i];

		if (c == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
			c = (char)(hex(s[i + 1]) << 4 | hex(s[i + 2]));
			i += 2;
		} else if (c == '+' && query) {
			c = ' ';
		} else if (c == '?' && !query) {
			query = true;
			*qpos = k;
		}
		if (c == '/' && i + 3 < n && s[i + 1] == '*' && s[i + 2] == '*' &&
		    s[i + 3] == '/') {
			c = ' ';
			i += 3;
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c | 0x20);
		if (c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		if (c == ' ' && k > 0 && out[k - 1] == ' ')
			continue;
		out[k++] = c;
	}
	out[k] = '\0';
	return k;
}

static bool
contains(const char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle);
	const char *p = h, *end = h + hn;

	while (nn > 0 && nn <= (size_t)(end - p) &&
	       (p = memchr(p, needle[0], (size_t)(end - p) - nn + 1)) != NULL) {
		if (memcmp(p, needle, nn) == 0)
			return true;
		p++;
	}
	return false;
}

static bool
any(const char *h, size_t hn, const char *const *needles)
{
	for (; *needles; needles++)
		if (contains(h, hn, *needles))
			return true;
	return false;
}

/* Is one of the comma-listed items (lower-cased here) inside h[0..hn)? */
static bool
any_listed(const char *h, size_t hn, const char *list)
{
	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);
		char item[128];

		if (len > 0 && len < sizeof item) {
			for (size_t i = 0; i < len; i++)
				item[i] = (char)(list[i] >= 'A' && list[i] <= 'Z' ? list[i] | 0x20
										  : list[i]);
			item[len] = '\0';
			if (contains(h, hn, item))
				return true;
		}
		list = comma ? comma + 1 : NULL;
	}
	return false;
}

unsigned
wm_security_attack_shape(const char *target, size_t n, const char *scanner)
{
	char once[TARGET_MAX], twice[TARGET_MAX];
	size_t q1, q2, len = decode(target, n, once, sizeof once, &q1);
	unsigned bits = 0;
	size_t plen;

	/* double encoding (%252e%252e) and encoded comments hide from one pass */
	len = decode(once, len, twice, sizeof twice, &q2);
	plen = q2 == (size_t)-1 ? len : q2;
	if (any(twice, len, sqli))
		bits |= 1u << WM_ATTACK_SQLI;
	if (any(twice, len, traversal))
		bits |= 1u << WM_ATTACK_TRAVERSAL;
	if (any(twice, len, xss))
		bits |= 1u << WM_ATTACK_XSS;
	if (any(twice, len, cmd))
		bits |= 1u << WM_ATTACK_CMD;
	if (any_listed(twice, plen, scanner ? scanner : WM_SECURITY_SCANNER_PATHS))
		bits |= 1u << WM_ATTACK_SCANNER;
	return bits;
}

static bool
word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool
word_at(const char *t, size_t n, const char *w, size_t wl)
{
	for (size_t i = 0; i + wl <= n; i++) {
		size_t k = 0;

		if ((t[i] | 0x20) != (w[0] | 0x20) || (i > 0 && word_char((unsigned char)t[i - 1])))
			continue;
		while (k < wl && (t[i + k] | 0x20) == (w[k] | 0x20))
			k++;
		if (k == wl && (i + wl == n || !word_char((unsigned char)t[i + wl])))
			return true;
	}
	return false;
}

bool
wm_security_word(const char *text, size_t n, const char *words, const char **word, size_t *word_len)
{
	while (words && *words) {
		const char *comma = strchr(words, ',');
		size_t wl = comma ? (size_t)(comma - words) : strlen(words);

		if (wl > 0 && word_at(text, n, words, wl)) {
			if (word)
				*word = words;
			if (word_len)
				*word_len = wl;
			return true;
		}
		words = comma ? comma + 1 : NULL;
	}
	return false;
}

void
wm_security_mask_email(const char *s, size_t n, char *out, size_t cap)
{
	const char *at = memchr(s, '@', n);
	size_t k = 0;

	if (cap == 0)
		return;
	if (n > 0 && (unsigned char)s[0] > ' ' && (unsigned char)s[0] < 0x7f && s[0] != '@' &&
	    s[0] != '"' && s[0] != '\\')
		out[k++] = s[0];
	for (const char *m = "***"; *m && k + 1 < cap; m++)
		out[k++] = *m;
	if (at)
		for (const char *p = at; p < s + n && k + 1 < cap; p++)
			/* the domain, printable ASCII only */
			out[k++] = (unsigned char)*p > ' ' && (unsigned char)*p < 0x7f &&
					   *p != '"' && *p != '\\'
				       ? (char)(*p | ((*p >= 'A' && *p <= 'Z') ? 0x20 : 0))
				       : '?';
	out[k < cap ? k : cap - 1] = '\0';
}

bool
wm_security_path_in(const char *path, size_t n, const char *list)
{
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);

		while (len > 1 && list[len - 1] == '/')
			len--;
		if (len == n && memcmp(path, list, n) == 0)
			return true;
		list = comma ? comma + 1 : NULL;
	}
	return false;
}
