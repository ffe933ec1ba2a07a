/* security_int.h - the analyzer's state, shared by security.c,
 * security_table.c and security_report.c. */
#ifndef WM_SECURITY_INT_H
#define WM_SECURITY_INT_H

#include "logs/accesslog.h"
#include "checks/security.h"

#define SEC_KEY_MAX 128 /* bytes of a table key, NUL included */
#define SEC_PROBES 16	/* slots looked at per key: the eviction sample */
#define SEC_MSG_MAX 512 /* bytes of a backend message examined */

struct sec_entry {
	char key[SEC_KEY_MAX];
	uint32_t hash;
	bool used;
	uint64_t count, count_2xx;
	int64_t first_ms, last_ms;
	/* brute-force tables only */
	size_t ring_n, ring_next;
	uint64_t max_window;
	bool over;
};

/* A bounded table: open addressing, and when the SEC_PROBES slots of a new key
 * are all taken the least counted of them is replaced, its count inherited
 * (space-saving: counts may then be over, never under). */
struct sec_table {
	struct sec_entry *e;
	size_t slots;
	int64_t *rings; /* brute tables: slots x ring_cap failure times */
	size_t ring_cap;
	uint64_t evicted;
};

int sec_table_init(struct sec_table *t, size_t slots, size_t ring_cap);
void sec_table_free(struct sec_table *t);
/* The entry of key (created, or replacing a least counted one), counted once
 * at time ts; NULL only for an empty key. */
struct sec_entry *sec_table_hit(struct sec_table *t, const char *key, size_t len, int64_t ts);
/* Record a failure at ts in e's ring; true when the last `need` failures fall
 * within window_ms (a brute force). */
bool sec_table_fail(struct sec_table *t, struct sec_entry *e, int64_t ts, size_t need,
		    int64_t window_ms);
/* Used entries, most counted first (ties by key), malloc'd array of pointers. */
struct sec_entry **sec_table_sorted(const struct sec_table *t, size_t *n);

struct sec_join {
	int64_t ts_ms;
	char account[64];
};

struct wm_security {
	struct wm_security_opts o;
	struct wm_accesslog_format fmt;
	bool fmt_upstream; /* the format logs $upstream_response_time */
	struct wm_security_counts c;
	struct sec_table t[WM_SECT_COUNT];
	struct sec_table brute_client, brute_account;
	struct sec_join *join; /* ring of WM_SECURITY_JOIN backend failed logins */
	size_t join_n, join_next;
	/* the backend's last "Login attempt:" account, for the failure after it */
	char attempt[64];
	int64_t attempt_ms;
	char msg[SEC_MSG_MAX];
};

#endif
