/* groups.h - group log messages by a normalised signature, in bounded memory.
 *
 * The signature of a message is its first line (at most WM_GROUP_SIG_INPUT
 * bytes; for JSON the message field, not the whole object) with the variable
 * parts masked: quoted strings -> "*", UUIDs -> <uuid>, e-mail addresses ->
 * <email>, IPv4/IPv6 addresses -> <ip>, hex ids (0x.., or 8+ hex digits
 * holding a digit) -> <hex>, durations (1532ms, 0.5s) -> <dur>, any other run
 * of digits -> <n>.  So 47 lines "Auth route error [LOGIN]: Password salah"
 * from different users and times are one group; nginx access lines group by
 * status and normalised request line.
 *
 * Memory: at most k groups, whatever the input (the "space-saving" algorithm
 * of Metwally, Agrawal and El Abbadi, 2005).  A group table is a hash table
 * (chained, 2k buckets) over k slots plus a min-heap of the slots by count.
 * A new signature while the table is full replaces the least-counted group: it
 * inherits that count + 1 and records the inherited part in `error`.  Hence
 * every group's true count lies in [count - error, count], and any signature
 * occurring more than total/k times is guaranteed to be in the table.  Each
 * add is O(1) hashing plus O(log k) heap work.
 */
#ifndef WM_GROUPS_H
#define WM_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "logs/logline.h"

#define WM_GROUP_SIG_INPUT 1024	 /* bytes of a message that make its signature */
#define WM_GROUP_SIG_MAX 256	 /* bytes of a stored signature */
#define WM_GROUP_EXAMPLE_MAX 512 /* bytes of the stored example line */
#define WM_GROUP_SERVICE_MAX 64

struct wm_group {
	uint64_t count;	  /* estimated occurrences (>= true count) */
	uint64_t error;	  /* overestimate bound: true count >= count - error */
	int64_t first_ms; /* first and last line time seen, -1 when unknown */
	int64_t last_ms;
	int level;			    /* the highest level seen in the group */
	char service[WM_GROUP_SERVICE_MAX]; /* "" when none */
	char signature[WM_GROUP_SIG_MAX];
	char example[WM_GROUP_EXAMPLE_MAX]; /* the first line seen, valid UTF-8 */
	/* private */
	uint64_t hash;
	size_t heap_pos;
	size_t next; /* hash chain, slot index + 1, 0 = end */
};

struct wm_groups;

/* A table of at most k groups (k >= 1); NULL when out of memory. */
struct wm_groups *wm_groups_new(size_t k);
void wm_groups_free(struct wm_groups *g);
/* Count ll (its service, level, time, message) in its group. */
void wm_groups_add(struct wm_groups *g, const struct wm_logline *ll);
/* Lines added and groups evicted so far. */
uint64_t wm_groups_total(const struct wm_groups *g);
uint64_t wm_groups_evicted(const struct wm_groups *g);
/* The groups sorted by count (highest first; ties: first seen first) into a
 * malloc'd array of pointers valid until the next add or free; NULL and 0 when
 * empty or out of memory.  The caller frees the array, not the groups. */
const struct wm_group **wm_groups_sorted(const struct wm_groups *g, size_t *n);

/* The normalised signature of msg[0..n) into out (NUL-terminated, at most
 * cap-1 bytes); returns its length. */
size_t wm_groups_signature(const char *msg, size_t n, char *out, size_t cap);

#endif
