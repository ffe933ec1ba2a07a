/* classify.c - PCRE2 word patterns behind a line's own level. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs/classify.h"
#include "logs/classify_int.h"

enum { PAT_CRIT, PAT_ERR, PAT_WARN, PAT_ANY, PAT_N };

struct wm_classifier {
	pcre2_code *re[PAT_N]; /* NULL: level disabled (PAT_ANY: nothing enabled) */
	pcre2_match_data *md;
	bool words; /* the default patterns: wm_classify_default_words instead */
};

/* PCRE2's word characters without PCRE2_UCP or a locale: [A-Za-z0-9_]. */
static const unsigned char word_table[256] = {
    ['_'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
    ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
    ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
    ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
    ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

/* w[0..n) equals the lower-case word lw, ASCII case-insensitively. */
static bool
word_is(const unsigned char *w, size_t n, const char *lw, size_t ln)
{
	if (n != ln)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((w[i] | 0x20) != (unsigned char)lw[i])
			return false;
	return true;
}

/* The level of one whole word: only words of 4 to 8 letters can be one. */
static int
word_level(const unsigned char *w, size_t n)
{
	switch (w[0] | 0x20) {
	case 'c':
		return word_is(w, n, "critical", 8) ? WM_LVL_CRITICAL : WM_LVL_INFO;
	case 'f':
		return word_is(w, n, "fatal", 5) ? WM_LVL_CRITICAL : WM_LVL_INFO;
	case 'p':
		return word_is(w, n, "panic", 5) ? WM_LVL_CRITICAL : WM_LVL_INFO;
	case 'e':
		return word_is(w, n, "error", 5) ? WM_LVL_ERROR : WM_LVL_INFO;
	case 'w':
		return word_is(w, n, "warn", 4) || word_is(w, n, "warning", 7) ? WM_LVL_WARN
									       : WM_LVL_INFO;
	default:
		return WM_LVL_INFO;
	}
}

/* For each byte, the offsets (bit j: offset j) at which it stands in one of
 * the words: "error", "fatal", "panic", "warn", "warning", "critical".  A
 * byte with no bit is in none of them. */
#define OFFS(lc, m) [lc] = (m), [(lc)-32] = (m)
static const unsigned char offsets[256] = {
    OFFS('a', 1u << 1 | 1u << 3 | 1u << 6),
    OFFS('c', 1u << 0 | 1u << 4 | 1u << 5),
    OFFS('e', 1u << 0),
    OFFS('f', 1u << 0),
    OFFS('g', 1u << 6),
    OFFS('i', 1u << 2 | 1u << 3 | 1u << 4),
    OFFS('l', 1u << 4 | 1u << 7),
    OFFS('n', 1u << 2 | 1u << 3 | 1u << 5),
    OFFS('o', 1u << 3),
    OFFS('p', 1u << 0),
    OFFS('r', 1u << 1 | 1u << 2 | 1u << 4),
    OFFS('t', 1u << 2 | 1u << 3),
    OFFS('w', 1u << 0),
};
#undef OFFS

/* The index of the lowest bit set in m (not 0). */
static inline unsigned
lowest_bit(unsigned m)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctz(m);
#else
	unsigned j = 0;

	while (!(m & 1u)) {
		m >>= 1;
		j++;
	}
	return j;
#endif
}

/* The level of the word run starting at u[s] when it is a whole word (no word
 * byte before it, 4 to 8 bytes long); INFO otherwise. */
static int
word_at(const unsigned char *u, size_t n, size_t s)
{
	size_t e = s;

	if (s > 0 && word_table[u[s - 1]])
		return WM_LVL_INFO;
	while (e < n && e - s < 9 && word_table[u[e]])
		e++;
	if (e - s < 4 || e - s > 8)
		return WM_LVL_INFO;
	return word_level(u + s, e - s);
}

/* Every word of 4 or more bytes covers one of the bytes 3, 7, 11, ... so only
 * those are looked at; a byte found in a word at offset j makes the run
 * starting j bytes before it a candidate.  Each whole word of 4 to 8 bytes is
 * still looked at (perhaps more than once), the result being the highest
 * level, which does not depend on the order.  The portable scan; with SSE2
 * the one below. */
int
wm_classify_words_sampled(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	int best = WM_LVL_INFO;

	for (size_t q = 3; q < n; q += 4) {
		unsigned m = offsets[u[q]];

		while (m) {
			unsigned j = lowest_bit(m);
			int lvl;

			m &= m - 1;
			if (j > q || !(offsets[u[q - j]] & 1u))
				continue;
			lvl = word_at(u, n, q - j);
			if (lvl == WM_LVL_CRITICAL)
				return lvl;
			if (lvl > best)
				best = lvl;
		}
	}
	return best;
}

#if defined(__SSE2__)
/* 16 start positions at a time: a word can only be one of ours when its
 * first byte and one more at a fixed distance fit (case folded by | 0x20,
 * which maps no other byte onto a lower-case letter): e...r (error), f...l
 * (fatal), p...c (panic), w..n (warn, warning), c......l (critical).  The
 * few candidates left are looked at whole (word_at); the last positions,
 * where 16 bytes at +7 would read past the end, one by one. */
#include <emmintrin.h>

#define LOWER16(p) _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p)), b20)
#define EQ(a, c) _mm_cmpeq_epi8((a), _mm_set1_epi8(c))

/* Bit j: a word of ours may start at p[j] (reads p[0..23)). */
static inline unsigned
candidates16(const unsigned char *p)
{
	const __m128i b20 = _mm_set1_epi8(0x20);
	__m128i a0 = LOWER16(p), a3 = LOWER16(p + 3), a4 = LOWER16(p + 4), a7 = LOWER16(p + 7), m;

	m = _mm_and_si128(EQ(a0, 'e'), EQ(a4, 'r'));
	m = _mm_or_si128(m, _mm_and_si128(EQ(a0, 'f'), EQ(a4, 'l')));
	m = _mm_or_si128(m, _mm_and_si128(EQ(a0, 'p'), EQ(a4, 'c')));
	m = _mm_or_si128(m, _mm_and_si128(EQ(a0, 'w'), EQ(a3, 'n')));
	m = _mm_or_si128(m, _mm_and_si128(EQ(a0, 'c'), EQ(a7, 'l')));
	return (unsigned)_mm_movemask_epi8(m);
}

/* The highest level of the candidates in bits (bit j: u[at + j]), at least best. */
static inline int
candidates_level(const unsigned char *u, size_t n, size_t at, unsigned bits, int best)
{
	while (bits) {
		int lvl = word_at(u, n, at + lowest_bit(bits));

		bits &= bits - 1;
		if (lvl == WM_LVL_CRITICAL)
			return lvl;
		if (lvl > best)
			best = lvl;
	}
	return best;
}

int
wm_classify_default_words(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char tail[48];
	int best = WM_LVL_INFO;
	size_t i = 0;

	for (; i + 16 + 7 <= n; i += 16)
		if ((best = candidates_level(u, n, i, candidates16(u + i), best)) ==
		    WM_LVL_CRITICAL)
			return best;
	if (i + 4 > n)
		return best;
	if (n >= 16 + 7) {
		/* the 16 positions that end 7 bytes before the end, without
		 * those seen (before i), then the last 4 that can start a word */
		size_t k = n - 23;

		best = candidates_level(u, n, k, candidates16(u + k) & (~0u << (i - k)), best);
		for (i = n - 7; i + 4 <= n && best != WM_LVL_CRITICAL; i++)
			if (offsets[u[i]] & 1u) {
				int lvl = word_at(u, n, i);

				if (lvl > best)
					best = lvl;
			}
		return best;
	}
	/* a short line: from a zero-padded copy (a zero byte is no letter, so
	 * no candidate starts or ends in the padding) */
	memset(tail, 0, sizeof tail);
	memcpy(tail, u, n);
	if ((best = candidates_level(u, n, 0, candidates16(tail), best)) == WM_LVL_CRITICAL)
		return best;
	if (n > 16)
		best = candidates_level(u, n, 16, candidates16(tail + 16), best);
	return best;
}
#undef LOWER16
#undef EQ
#else
int
wm_classify_default_words(const char *s, size_t n)
{
	return wm_classify_words_sampled(s, n);
}
#endif

static pcre2_code *
compile(const char *pat, const char *what, struct wm_err *err)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re =
	    pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &ec, &off, NULL);

	if (!re) {
		PCRE2_UCHAR msg[128];

		pcre2_get_error_message(ec, msg, sizeof msg);
		wm_err_set(err, WM_EINVAL, "%s pattern '%s': %s at offset %zu", what, pat,
			   (const char *)msg, (size_t)off);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* interpreter when JIT is absent */
	return re;
}

/* (?:crit)|(?:err)|(?:warn) over the enabled ones, for the one-scan reject. */
static char *
alternation(const char *const pats[3])
{
	size_t len = 1;
	char *s;

	for (int k = 0; k < 3; k++)
		if (pats[k])
			len += strlen(pats[k]) + 6;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int k = 0; k < 3; k++) {
		size_t o = strlen(s);

		if (pats[k])
			snprintf(s + o, len - o, "%s(?:%s)", o ? "|" : "", pats[k]);
	}
	return s;
}

struct wm_classifier *
wm_classifier_new(const char *critical, const char *error, const char *warn, struct wm_err *err)
{
	const char *pats[3] = {critical ? critical : WM_CLASSIFY_CRITICAL,
			       error ? error : WM_CLASSIFY_ERROR, warn ? warn : WM_CLASSIFY_WARN};
	static const char *const what[3] = {"critical", "error", "warn"};
	struct wm_classifier *c = calloc(1, sizeof *c);
	char *any = NULL;

	if (!c)
		goto out_nomem;
	for (int k = 0; k < 3; k++) {
		if (!*pats[k]) {
			pats[k] = NULL;
			continue;
		}
		if (!(c->re[k] = compile(pats[k], what[k], err)))
			goto out_free;
	}
	if (pats[0] || pats[1] || pats[2]) {
		if (!(any = alternation(pats)))
			goto out_nomem;
		c->re[PAT_ANY] = compile(any, "combined", err);
		free(any);
		if (!c->re[PAT_ANY])
			goto out_free;
	}
	if (!(c->md = pcre2_match_data_create(1, NULL)))
		goto out_nomem;
	c->words = pats[0] && pats[1] && pats[2] && strcmp(pats[0], WM_CLASSIFY_CRITICAL) == 0 &&
		   strcmp(pats[1], WM_CLASSIFY_ERROR) == 0 &&
		   strcmp(pats[2], WM_CLASSIFY_WARN) == 0;
	return c;
out_nomem:
	wm_err_set(err, WM_ENOMEM, "out of memory compiling patterns");
out_free:
	wm_classifier_free(c);
	return NULL;
}

void
wm_classifier_free(struct wm_classifier *c)
{
	if (!c)
		return;
	for (int k = 0; k < PAT_N; k++)
		pcre2_code_free(c->re[k]);
	pcre2_match_data_free(c->md);
	free(c);
}

static int
matches(struct wm_classifier *c, int k, const char *s, size_t n)
{
	return c->re[k] && pcre2_match(c->re[k], (PCRE2_SPTR)s, n, 0, 0, c->md, NULL) >= 0;
}

int
wm_classifier_text(struct wm_classifier *c, const char *s, size_t n)
{
	if (c->words)
		return wm_classify_default_words(s, n);
	return wm_classifier_text_pcre(c, s, n);
}

int
wm_classifier_text_pcre(struct wm_classifier *c, const char *s, size_t n)
{
	if (!matches(c, PAT_ANY, s, n))
		return WM_LVL_INFO;
	if (matches(c, PAT_CRIT, s, n))
		return WM_LVL_CRITICAL;
	if (matches(c, PAT_ERR, s, n))
		return WM_LVL_ERROR;
	if (matches(c, PAT_WARN, s, n))
		return WM_LVL_WARN;
	return WM_LVL_INFO;
}

void
wm_classify(struct wm_classifier *c, struct wm_logline *ll)
{
	if (ll->structured && ll->level != WM_LVL_UNKNOWN)
		return;
	ll->level = wm_classifier_text(c, ll->msg, ll->msg_len);
}

struct wm_classify_set {
	struct wm_classifier *deflt;
	struct {
		char *service;
		struct wm_classifier *c;
	} * per;
	size_t n;
};

struct wm_classify_set *
wm_classify_set_new(struct wm_classifier *deflt)
{
	struct wm_classify_set *set = calloc(1, sizeof *set);

	if (set)
		set->deflt = deflt;
	else
		wm_classifier_free(deflt);
	return set;
}

void
wm_classify_set_free(struct wm_classify_set *set)
{
	if (!set)
		return;
	for (size_t k = 0; k < set->n; k++) {
		free(set->per[k].service);
		wm_classifier_free(set->per[k].c);
	}
	free(set->per);
	wm_classifier_free(set->deflt);
	free(set);
}

int
wm_classify_set_add(struct wm_classify_set *set, const char *service, struct wm_classifier *c,
		    struct wm_err *err)
{
	void *p = realloc(set->per, (set->n + 1) * sizeof *set->per);
	char *name = strdup(service);

	if (!p || !name) {
		if (p)
			set->per = p;
		free(name);
		wm_classifier_free(c);
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	set->per = p;
	set->per[set->n].service = name;
	set->per[set->n].c = c;
	set->n++;
	return 0;
}

struct wm_classifier *
wm_classify_set_get(const struct wm_classify_set *set, const char *service, size_t len)
{
	for (size_t k = 0; service && k < set->n; k++)
		if (wm_logline_service_is(service, len, set->per[k].service))
			return set->per[k].c;
	return set->deflt;
}
