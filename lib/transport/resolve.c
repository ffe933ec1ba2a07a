/* resolve.c - getaddrinfo in a thread, waited for until a deadline. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "base/duration.h"
#include "transport/resolve.h"

/* Shared by the caller and the thread; the last of the two to let go frees it. */
struct ask {
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	int refs;
	bool done;
	int rc;
	wm_resolve_fn fn;
	char addr[WM_RESOLVE_ADDR_MAX];
	char host[];
};

static void
let_go(struct ask *a)
{
	bool last;

	pthread_mutex_lock(&a->lock);
	last = --a->refs == 0;
	pthread_mutex_unlock(&a->lock);
	if (last) {
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->done_cv);
		free(a);
	}
}

/* The first IPv4 address, else the first of any family, as text. */
static int
first_addr(const struct addrinfo *res, char *buf, size_t size)
{
	const struct addrinfo *p, *pick = NULL;

	for (p = res; p && !pick; p = p->ai_next)
		if (p->ai_family == AF_INET)
			pick = p;
	for (p = res; p && !pick; p = p->ai_next)
		if (p->ai_family == AF_INET6)
			pick = p;
	if (!pick)
		return EAI_NONAME;
	if (pick->ai_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)pick->ai_addr)->sin_addr, buf,
			  (socklen_t)size);
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)pick->ai_addr)->sin6_addr, buf,
			  (socklen_t)size);
	return 0;
}

static void *
asker(void *arg)
{
	struct ask *a = arg;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
	char addr[WM_RESOLVE_ADDR_MAX] = "";
	int rc = a->fn(a->host, NULL, &hints, &res);

	if (rc == 0) {
		rc = first_addr(res, addr, sizeof(addr));
		freeaddrinfo(res);
	}
	pthread_mutex_lock(&a->lock);
	a->rc = rc;
	memcpy(a->addr, addr, sizeof(addr));
	a->done = true;
	pthread_cond_signal(&a->done_cv);
	pthread_mutex_unlock(&a->lock);
	let_go(a);
	return NULL;
}

static bool
needs_lookup(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return host && *host && host[0] != '/' && host[0] != '@' &&
	       inet_pton(AF_INET, host, buf) != 1 && inet_pton(AF_INET6, host, buf) != 1;
}

int
wm_resolve(const char *host, int64_t deadline_ms, wm_resolve_fn fn, char *addr, size_t size,
	   struct wm_err *err)
{
	size_t n = host ? strlen(host) : 0;
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t t;
	struct ask *a;
	int rc;

	if (!needs_lookup(host)) {
		snprintf(addr, size, "%s", host ? host : "");
		return 1;
	}
	a = calloc(1, sizeof(*a) + n + 1);
	if (!a) {
		wm_err_set(err, WM_ENOMEM, "out of memory resolving %s", host);
		return -1;
	}
	memcpy(a->host, host, n + 1);
	a->fn = fn ? fn : getaddrinfo;
	a->refs = 2;
	pthread_mutex_init(&a->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&a->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &ta, asker, a);
	pthread_attr_destroy(&ta);
	if (rc != 0) {
		a->refs = 1;
		let_go(a);
		wm_err_set(err, WM_ENOMEM, "resolving %s: cannot start a thread", host);
		return -1;
	}
	pthread_mutex_lock(&a->lock);
	while (!a->done) {
		struct timespec ts;

		if (deadline_ms <= 0) {
			pthread_cond_wait(&a->done_cv, &a->lock);
			continue;
		}
		if (wm_monotonic_ms() >= deadline_ms)
			break;
		ts.tv_sec = deadline_ms / 1000;
		ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000L;
		pthread_cond_timedwait(&a->done_cv, &a->lock, &ts);
	}
	if (!a->done)
		wm_err_set(err, WM_ENOHOST, "resolving %s: no answer in time", host);
	else if (a->rc != 0)
		wm_err_set(err, a->rc == EAI_MEMORY ? WM_ENOMEM : WM_ENOHOST, "resolving %s: %s",
			   host, gai_strerror(a->rc));
	else
		snprintf(addr, size, "%s", a->addr);
	rc = a->done && a->rc == 0 ? 0 : -1;
	pthread_mutex_unlock(&a->lock);
	let_go(a);
	return rc;
}
