/* journal.h - wm-run's append-only journal: one JSON object per line, fsync per record.
 *
 * A run directory holds (documented for wm-report in warunginmon(7), RUN DIRECTORY):
 *   journal.jsonl  the records, in order
 *   lock           flock()ed by the one process appending (the driver, or
 *                  ack/note/approve when no driver runs); holds its pid
 *   sock           the driver's unix socket (ack, note, approve, stop, status)
 *   baseline.json  the baseline metrics of the first hours
 * Every record has "v" (WM_JOURNAL_VERSION), "seq" (1, 2, … without gaps),
 * "type", "wall_ms" and "mono_ms" (both clocks, clock.h), then its own fields.
 *
 * Resume: a tick is done when its tick_end is written; a tick with starts but
 * no end was killed midway and is attempted again (attempt N+1); a second end
 * for one tick, an end without its start, or a gap in seq make the journal
 * invalid (WM_EPROTO, naming the line).  A last line without its newline is
 * what kill -9 or a crash mid-write leaves: it is reported (torn_bytes),
 * never an error, and wm_journal_open cuts it off and journals a "repair".
 * A failed write (full disk, file size limit) is cut back to the last whole
 * record and the journal refuses further records: the caller stops loudly
 * (SIGXFSZ must be ignored for a size limit to be an error instead of a kill).
 */
#ifndef WM_JOURNAL_H
#define WM_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "base/err.h"
#include "model/schedule.h"

#define WM_JOURNAL_VERSION 1
#define WM_JOURNAL_FILE "journal.jsonl"
#define WM_JOURNAL_LOCK "lock"
#define WM_JOURNAL_SOCKET "sock"
#define WM_JOURNAL_BASELINE "baseline.json"
#define WM_JOURNAL_LINE_MAX (4u * 1024 * 1024)	 /* one record, bytes */
#define WM_JOURNAL_FILE_MAX (512u * 1024 * 1024) /* what the reader loads */
#define WM_JOURNAL_DIGEST_MAX 72

/* One tick as the journal tells it. */
struct wm_journal_tick {
	char tier[WM_SCHEDULE_NAME_MAX];
	int64_t at_ms;	     /* planned offset from T+0 (plan ms) */
	int attempts;	     /* tick_start records */
	bool ended;	     /* its tick_end is written: done */
	bool missed;	     /* journaled as missed */
	int state;	     /* the end's state (0 OK … 3 UNKNOWN) */
	int64_t end_wall_ms; /* when its tick_end was written */
};

/* What a reader rebuilds. */
struct wm_journal_state {
	int64_t records; /* valid records */
	int64_t last_seq;
	size_t valid_bytes;    /* up to the end of the last whole record */
	size_t torn_bytes;     /* of a last line cut mid-write; 0 when none */
	bool started;	       /* a run_start was read */
	bool ended;	       /* a run_end was read */
	int64_t start_wall_ms; /* from run_start */
	int64_t scale;
	char digest[WM_JOURNAL_DIGEST_MAX];
	size_t n_ticks, cap_ticks;
	struct wm_journal_tick *ticks;
	size_t n_keys, cap_keys;
	char **keys; /* idempotency keys of notifications sent */
};

/* Called with every valid record in order (the caller replays what it needs,
 * e.g. incidents); non-zero stops reading and is returned. */
typedef int (*wm_journal_record_fn)(const cJSON *rec, void *ctx);

struct wm_journal;

/* Read and validate a journal held in memory (see above): fills *st (zeroed
 * first; free with wm_journal_state_free even on error).  Returns 0, -1 with
 * WM_EPROTO "journal line N: …" (WM_ENOMEM), or fn's non-zero value. */
int wm_journal_read_mem(const char *buf, size_t len, struct wm_journal_state *st,
			wm_journal_record_fn fn, void *ctx, struct wm_err *err);
/* The same from DIR/journal.jsonl; a missing journal is an empty state. */
int wm_journal_read(const char *dir, struct wm_journal_state *st, wm_journal_record_fn fn,
		    void *ctx, struct wm_err *err);
void wm_journal_state_free(struct wm_journal_state *st);

/* The tick (tier, at_ms), or NULL when the journal never mentions it. */
const struct wm_journal_tick *wm_journal_tick(const struct wm_journal_state *st, const char *tier,
					      int64_t at_ms);
/* A wm_schedule_settled_fn over a struct wm_journal_state (ctx): ended or missed. */
bool wm_journal_settled(const char *tier, int64_t at_ms, void *ctx);
/* Was a notification with this idempotency key sent? */
bool wm_journal_notified(const struct wm_journal_state *st, const char *key);

/* The run directory of target (NULL = "local") starting at start_wall_ms:
 * STATE/runs/TARGET/YYYYMMDDTHHMMSSZ (warunginmon(7)), STATE being state_dir
 * (wm_config_state_dir's answer; NULL: wm_state_dir's).  STATE/runs/TARGET
 * is created (0700), the run's own directory is not.  Returns 0 or -1. */
int wm_journal_run_dir(const char *state_dir, const char *target, int64_t start_wall_ms, char *buf,
		       size_t len, struct wm_err *err);

/* Open the run directory dir for appending (created, mode 0700, when
 * missing): take the lock (WM_EBUSY "another process (pid N) holds …" when
 * held), read the journal into *st (may be NULL), cut a torn last line and
 * journal a "repair".  clock stamps the records and must outlive the handle.
 * Returns the handle, or NULL with err set. */
struct wm_journal *wm_journal_open(const char *dir, const struct wm_clock *clock,
				   struct wm_journal_state *st, struct wm_err *err);

/* Append one record of type (lower case [a-z_], up to 32) with the members of
 * fields (an object, or NULL; borrowed; must not hold the header's keys),
 * write and fsync it.  Returns 0, or -1: WM_EINVAL (bad type or field),
 * WM_ETOOBIG (over WM_JOURNAL_LINE_MAX), WM_EPROTO (the record would make
 * the journal invalid: a second tick_end, an end without its start, …;
 * nothing is written), WM_EIO (the write or fsync failed: the partial
 * record is cut and the journal refuses every later record). */
int wm_journal_append(struct wm_journal *j, const char *type, const cJSON *fields,
		      struct wm_err *err);

/* A tick record with the members the reader checks: type is "tick_start"
 * (attempt), "tick_end" (attempt, state 0..3, late) or "tick_missed" (tier
 * and at_ms only).  As wm_journal_append. */
int wm_journal_append_tick(struct wm_journal *j, const char *type, const char *tier, int64_t at_ms,
			   int attempt, int state, bool late, struct wm_err *err);

/* The run as the journal tells it now: what was read at open, and every
 * record appended since (owned by the handle). */
const struct wm_journal_state *wm_journal_state_of(const struct wm_journal *j);
/* Call fn with every record appended from now on (header included), after
 * it is written; its return value is ignored.  NULL removes the hook. */
void wm_journal_set_hook(struct wm_journal *j, wm_journal_record_fn fn, void *ctx);

/* The seq of the last record written or read. */
int64_t wm_journal_seq(const struct wm_journal *j);

/* Close the journal and release the lock (NULL is fine). */
void wm_journal_close(struct wm_journal *j);

#endif
