/* percentiles.c - the sketch's side of benchmark B3 (bench/percentiles.sh):
 * the q-quantile of a file of numbers, one per line, in one pass.
 *
 *   bench/percentiles FILE [Q]        (Q default 0.99)
 *       prints "count N pQ V bins B max_rss_kib R" on one line
 *   bench/percentiles --generate N [SEED]
 *       writes N lognormal response times in ms (median ~50 ms, a slow
 *       tail) with three decimals, one per line, to stdout
 *
 * Reading is what a real consumer of log durations does: the file is read
 * in 1 MiB blocks and each number parsed by hand (digits, '.', digits; any
 * other shape falls back to strtod), then added to a DDSketch (lib/model/sketch.h)
 * of the default accuracy (1 %) and bound.  Built by make check so that it
 * cannot rot; run it from a build without sanitizers for real numbers. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "model/sketch.h"

static int
usage(void)
{
	fprintf(stderr, "usage: percentiles FILE [Q] | percentiles --generate N [SEED]\n");
	return 3;
}

/* splitmix64 and Box-Muller: the same numbers on every machine. */
static uint64_t rng = 1;

static double
unif(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static int
generate(long long n, uint64_t seed)
{
	rng = seed;
	for (long long i = 0; i < n; i++) {
		double g = sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());

		if (printf("%.3f\n", exp(log(50) + 0.9 * g)) < 0)
			return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* One number at p: the fast path for "123.456\n" in one pass, else strtod
 * on a bounded copy of the line.  Every line ends in '\n' (main makes sure),
 * so the scans need no bound.  Advances *pp past the line. */
static int
parse_line(const char **pp, double *v)
{
	static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	const char *p = *pp, *q = p, *f, *nl;
	uint64_t x = 0;

	while ((unsigned)(*q - '0') < 10)
		x = x * 10 + (unsigned)(*q++ - '0');
	f = q;
	if (*q == '.')
		for (f = ++q; (unsigned)(*q - '0') < 10; q++)
			x = x * 10 + (unsigned)(*q - '0');
	if (*q == '\n' && q > p && q - p <= 18 && q - f <= 9) {
		*v = (double)x / pow10[q - f];
		*pp = q + 1;
		return 0;
	}
	nl = strchr(q, '\n');
	*pp = nl + 1;
	{
		char buf[64], *endp;
		size_t len = (size_t)(nl - p);

		if (len == 0 || len >= sizeof(buf))
			return -1;
		memcpy(buf, p, len);
		buf[len] = '\0';
		errno = 0;
		*v = strtod(buf, &endp);
		return (*endp && *endp != '\r') || endp == buf ? -1 : 0;
	}
}

int
main(int argc, char **argv)
{
	static char buf[(1 << 20) + 64];
	struct wm_err e = {0};
	struct wm_sketch *s;
	struct rusage ru;
	double q = 0.99;
	size_t have = 0;
	FILE *f;

	if (argc >= 3 && !strcmp(argv[1], "--generate"))
		return generate(strtoll(argv[2], NULL, 10),
				argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
	if (argc < 2 || argc > 3)
		return usage();
	if (argc == 3 && (q = strtod(argv[2], NULL), !(q >= 0 && q <= 1)))
		return usage();
	f = fopen(argv[1], "rb");
	s = wm_sketch_new_default(&e);
	if (!f || !s) {
		fprintf(stderr, "percentiles: %s: %s\n", argv[1], f ? e.msg : strerror(errno));
		return 3;
	}
	for (;;) {
		size_t n = fread(buf + have, 1, sizeof(buf) - 64 - have, f);
		const char *p = buf, *last;
		char *end = buf + have + n;
		double v;

		if (n == 0 && have == 0)
			break;
		if (n == 0 && end[-1] != '\n')
			*end++ = '\n'; /* the last line without its newline */
		*end = '\0';	       /* strchr in parse_line stops here at worst */
		/* whole lines only; the tail waits for the next block */
		last = memrchr(buf, '\n', (size_t)(end - buf));
		if (!last) {
			fprintf(stderr, "percentiles: line longer than 1 MiB\n");
			return 3;
		}
		while (p <= last) {
			if (parse_line(&p, &v) == 0 && wm_sketch_add(s, v, &e) < 0)
				return 3;
		}
		have = (size_t)(end - (last + 1));
		memmove(buf, last + 1, have);
		if (n == 0)
			break;
	}
	fclose(f);
	getrusage(RUSAGE_SELF, &ru);
	printf("count %llu p%g %.9g bins %zu max_rss_kib %ld\n",
	       (unsigned long long)wm_sketch_count(s), q * 100, wm_sketch_quantile(s, q),
	       wm_sketch_bins(s), ru.ru_maxrss);
	wm_sketch_free(s);
	return 0;
}
