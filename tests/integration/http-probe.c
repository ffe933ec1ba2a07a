/* http-probe.c - one request through lib/clients/http.h (and, with --prom, the body
 * through lib/model/promtext.h and lib/model/histogram.h), for
 * tests/integration/http-world.test.  Prints "key value" lines:
 *   status N | body_len N | header NAME VALUE (each) | timing dns|connect|
 *   tls|first_byte|total MS | error CODE MESSAGE
 * and with --prom FAMILY: families N, samples N, series N, count N, p99 V,
 * bucket (LO, HI], mean V (sum by (le) of FAMILY's series as they are).
 * --save FILE writes the body as received.
 * --delta PREV CUR (no request): the increase of FAMILY (--prom) from the
 * exposition file PREV to CUR, as PromQL's F_bucket - F_bucket offset W
 * sees it (a series missing from PREV is dropped, a reset takes CUR), then
 * sum by (le): prints series, dropped, count, p50, p90, p99 (%.17g).
 * Exit 0 when the request got an answer, 1 when it failed, 2 on bad usage.
 * A test driver, not a program of the suite. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "model/histogram.h"
#include "clients/http.h"
#include "model/promtext.h"

static int
prom(const char *body, size_t len, const char *family)
{
	struct wm_err e = {0};
	struct wm_prom_doc *d = wm_prom_parse(body, len, &e);
	struct wm_prom_hist *h, *a;
	size_t nh, na;
	struct wm_hist_q q;
	char b[64];

	if (!d) {
		printf("prom_error %s\n", e.msg);
		return 1;
	}
	printf("families %zu\nsamples %zu\n", d->nfamilies, d->nsamples);
	if (wm_prom_histograms(d, family, &h, &nh, &e) < 0 ||
	    wm_hist_aggregate(h, nh, NULL, 0, &a, &na, &e) < 0) {
		printf("prom_error %s\n", e.msg);
		wm_prom_free(d);
		return 1;
	}
	printf("series %zu\n", nh);
	if (na == 1) {
		q = wm_hist_quantile(0.99, a[0].buckets, a[0].nbuckets);
		wm_hist_bucket_format(&q, b, sizeof(b));
		printf("count %.17g\np99 %.17g\nbucket %s\nmean %.17g\n", a[0].count, q.value, b,
		       wm_hist_mean(&a[0]));
	}
	wm_prom_hists_free(a, na);
	wm_prom_hists_free(h, nh);
	wm_prom_free(d);
	return 0;
}

static struct wm_prom_hist *
read_hists(const char *path, const char *family, size_t *n)
{
	struct wm_err e = {0};
	struct wm_prom_doc *d;
	struct wm_prom_hist *h = NULL;
	char *text;
	size_t len;

	if (wm_file_read(path, WM_PROM_TEXT_MAX, &text, &len, &e) < 0 ||
	    !(d = wm_prom_parse(text, len, &e))) {
		printf("prom_error %s: %s\n", path, e.msg);
		return NULL;
	}
	if (wm_prom_histograms(d, family, &h, n, &e) < 0)
		printf("prom_error %s: %s\n", path, e.msg);
	wm_prom_free(d);
	free(text);
	return h;
}

static int
delta(const char *prev, const char *cur, const char *family)
{
	struct wm_err e = {0};
	size_t np = 0, nc = 0, nd = 0, na = 0, dropped = 0;
	struct wm_prom_hist *hp = read_hists(prev, family, &np), *hc = NULL, *d = NULL, *a = NULL;
	static const double qs[] = {0.5, 0.9, 0.99};
	int rc = 1;

	if (hp)
		hc = read_hists(cur, family, &nc);
	if (hc)
		d = calloc(nc + 1, sizeof(*d));
	for (size_t i = 0; d && i < nc; i++) {
		const struct wm_prom_hist *m = wm_hist_match(hp, np, &hc[i]);

		if (!m)
			dropped++;
		else if (wm_hist_delta(m, &hc[i], &d[nd++], NULL, &e) < 0)
			goto out;
	}
	if (!d || wm_hist_aggregate(d, nd, NULL, 0, &a, &na, &e) < 0 || na != 1) {
		printf("prom_error no series of %s in both\n", family);
		goto out;
	}
	printf("series %zu\ndropped %zu\ncount %.17g\n", nd, dropped, a[0].count);
	for (size_t i = 0; i < 3; i++)
		printf("p%g %.17g\n", qs[i] * 100,
		       wm_hist_quantile(qs[i], a[0].buckets, a[0].nbuckets).value);
	rc = 0;
out:
	wm_prom_hists_free(a, na);
	wm_prom_hists_free(d, nd);
	wm_prom_hists_free(hp, np);
	wm_prom_hists_free(hc, nc);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"method", required_argument, NULL, 'X'},
	    {"header", required_argument, NULL, 'H'},
	    {"data", required_argument, NULL, 'd'},
	    {"unix", required_argument, NULL, 'u'},
	    {"cafile", required_argument, NULL, 'c'},
	    {"insecure", no_argument, NULL, 'k'},
	    {"follow", no_argument, NULL, 'L'},
	    {"max-body", required_argument, NULL, 'm'},
	    {"timeout", required_argument, NULL, 't'},
	    {"prom", required_argument, NULL, 'p'},
	    {"save", required_argument, NULL, 's'},
	    {"delta", no_argument, NULL, 'D'},
	    {NULL, 0, NULL, 0},
	};
	const char *hdrs[33] = {NULL}, *family = NULL, *save = NULL;
	struct wm_http_req rq = {0};
	struct wm_http_resp r;
	struct wm_err e = {0};
	struct wm_http *h;
	int c, nh = 0, rc, offline = 0;

	while ((c = getopt_long(argc, argv, "X:H:d:u:c:kLm:t:p:s:D", opts, NULL)) != -1) {
		switch (c) {
		case 'X':
			rq.method = optarg;
			break;
		case 'H':
			if (nh < 32)
				hdrs[nh++] = optarg;
			break;
		case 'd':
			rq.body = optarg;
			rq.body_len = strlen(optarg);
			break;
		case 'u':
			rq.unix_socket = optarg;
			break;
		case 'c':
			rq.ca_file = optarg;
			break;
		case 'k':
			rq.insecure = true;
			break;
		case 'L':
			rq.follow_redirects = true;
			break;
		case 'm':
			rq.body_max = strtoul(optarg, NULL, 10);
			break;
		case 't':
			rq.timeout_ms = strtoll(optarg, NULL, 10);
			break;
		case 'p':
			family = optarg;
			break;
		case 's':
			save = optarg;
			break;
		case 'D':
			offline = 1;
			break;
		default:
			return 2;
		}
	}
	if (offline && family && optind == argc - 2)
		return delta(argv[optind], argv[optind + 1], family);
	if (optind != argc - 1) {
		fprintf(stderr, "usage: http-probe [OPTIONS] URL\n");
		return 2;
	}
	rq.url = argv[optind];
	rq.headers = hdrs;
	h = wm_http_new(&e);
	if (!h) {
		printf("error %s %s\n", wm_err_name(e.code), e.msg);
		return 1;
	}
	rc = wm_http_request(h, &rq, &r, &e);
	wm_http_free(h);
	if (rc < 0) {
		printf("error %s %s\n", wm_err_name(e.code), e.msg);
		return 1;
	}
	printf("status %ld\nbody_len %zu\nredirects %ld\n", r.status, r.body_len, r.redirects);
	for (size_t i = 0; i < r.nheaders; i++)
		printf("header %s %s\n", r.headers[i].name, r.headers[i].value);
	printf("timing dns %.3f\ntiming connect %.3f\ntiming tls %.3f\ntiming first_byte %.3f\n"
	       "timing total %.3f\n",
	       r.t.dns_ms, r.t.connect_ms, r.t.tls_ms, r.t.first_byte_ms, r.t.total_ms);
	if (save) {
		FILE *f = fopen(save, "wb");

		if (!f || fwrite(r.body, 1, r.body_len, f) != r.body_len || fclose(f) != 0) {
			fprintf(stderr, "http-probe: cannot write %s\n", save);
			return 2;
		}
	}
	if (family)
		rc = prom(r.body, r.body_len, family);
	else
		printf("body %.200s\n", r.body);
	wm_http_resp_free(&r);
	return rc ? 1 : 0;
}
