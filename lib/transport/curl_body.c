/* curl_body.c - the bounded body buffer of libcurl clients (curl_body.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "transport/curl_body.h"

size_t
wm_curl_body_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct wm_curl_body *b = arg;
	size_t n = size * nmemb;

	if (n > b->max || b->len > b->max - n) {
		b->toobig = true;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *nb;

		while (cap < b->len + n + 1)
			cap *= 2;
		nb = realloc(b->buf, cap);
		if (!nb) {
			b->nomem = true;
			return 0;
		}
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return n;
}
