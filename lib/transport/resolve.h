/* resolve.h - a host name to an address, by a deadline.
 *
 * getaddrinfo(3) has no timeout, and libpq and hiredis call it before any of
 * their own timeouts start: a slow or silent DNS server would hold wm-db or
 * wm-cache past --timeout.  wm_resolve asks in a thread of its own and stops
 * waiting at the deadline (the thread finishes by itself and frees what it
 * holds).  Numeric addresses, socket paths and empty names are given back as
 * they are, at no cost.
 */
#ifndef WM_RESOLVE_H
#define WM_RESOLVE_H

#include <netdb.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_RESOLVE_ADDR_MAX 64 /* INET6_ADDRSTRLEN, rounded up */

/* The resolver wm_resolve calls: getaddrinfo's shape, so tests can slow it. */
typedef int (*wm_resolve_fn)(const char *node, const char *service, const struct addrinfo *hints,
			     struct addrinfo **res);

/* The first address of host (IPv4 preferred, as the clients connect to one)
 * into addr, by deadline_ms (CLOCK_MONOTONIC, wm_monotonic_ms; 0: wait as
 * long as the resolver does).  1 when host needed no lookup (addr is a copy
 * of it), 0 when it was resolved, -1 with err: WM_ENOHOST (no such host, or
 * no answer by the deadline: either way nothing could be asked, UNKNOWN in
 * every program, warunginmon(7)), WM_ENOMEM.  fn NULL: getaddrinfo. */
int wm_resolve(const char *host, int64_t deadline_ms, wm_resolve_fn fn, char *addr, size_t size,
	       struct wm_err *err);

#endif
