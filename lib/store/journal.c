/* journal.c - the run directory's lock and the appending side of the journal. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/duration.h"
#include "base/file.h"
#include "store/journal.h"
#include "store/journal_int.h"
#include "store/statedir.h"

struct wm_journal {
	int fd;	     /* journal.jsonl, O_APPEND */
	int lock_fd; /* lock, flock()ed */
	bool broken; /* a write failed: no more records */
	int64_t seq;
	off_t size; /* bytes of whole records */
	const struct wm_clock *clock;
	struct wm_journal_state st; /* the run as read, and appended since */
	wm_journal_record_fn hook;
	void *hook_ctx;
};

static const char *const header_keys[] = {"v", "seq", "type", "wall_ms", "mono_ms"};

/* Take DIR/lock: WM_EBUSY naming the holder's pid when another process has it. */
static int
take_lock(const char *dir, struct wm_err *err)
{
	char path[4096], pid[32] = "";
	int fd;
	ssize_t n;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_LOCK) >= sizeof(path))
		return wm_err_set(err, WM_EINVAL, "run directory name too long");
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return wm_err_errno(err, WM_EIO, errno, "%s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		if (e == EWOULDBLOCK)
			return wm_err_set(err, WM_EBUSY,
					  "%s: another process (pid %s) drives this run", dir,
					  *pid ? pid : "?");
		return wm_err_errno(err, WM_EIO, e, "%s", path);
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		int e = errno;

		close(fd);
		return wm_err_errno(err, WM_EIO, e, "%s", path);
	}
	return fd;
}

int
wm_journal_run_dir(const char *state_dir, const char *target, int64_t start_wall_ms, char *buf,
		   size_t len, struct wm_err *err)
{
	char state[4096], safe[256], t[WM_TIME_BUF], stamp[20];
	int n;

	if (state_dir)
		n = snprintf(state, sizeof(state), "%s", state_dir);
	else if (wm_state_dir(state, sizeof(state), err) != 0)
		return -1;
	else
		n = 0;
	if (n < 0 || (size_t)n >= sizeof(state))
		return wm_err_set(err, WM_EINVAL, "state directory name too long");
	if (wm_state_sanitise(target ? target : "local", safe, sizeof(safe)) != 0)
		return wm_err_set(err, WM_EINVAL, "target name too long");
	if (wm_time_format(start_wall_ms, t, sizeof(t)) != 0)
		return wm_err_set(err, WM_EINVAL, "run start out of range");
	/* "2026-11-28T00:13:41.123Z" → "20261128T001341Z" */
	snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", t, t + 5, t + 8, t + 11,
		 t + 14, t + 17);
	n = snprintf(buf, len, "%s/runs/%s", state, safe);
	if (n < 0 || (size_t)n >= len)
		return wm_err_set(err, WM_EINVAL, "run directory name too long");
	if (wm_file_mkdirs(buf, 0700, err) != 0)
		return -1;
	n = snprintf(buf, len, "%s/runs/%s/%s", state, safe, stamp);
	if (n < 0 || (size_t)n >= len)
		return wm_err_set(err, WM_EINVAL, "run directory name too long");
	return 0;
}

/* fsync the directory, so a new journal's name survives a crash as its
 * records do. */
static int
sync_dir(const char *dir, struct wm_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : fsync(fd);
	int e = errno;

	if (fd >= 0)
		close(fd);
	return rc ? wm_err_errno(err, WM_EIO, e, "%s: fsync", dir) : 0;
}

struct wm_journal *
wm_journal_open(const char *dir, const struct wm_clock *clock, struct wm_journal_state *st,
		struct wm_err *err)
{
	struct wm_journal *j;
	struct wm_journal_state *s;
	char path[4096];

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return wm_err_errno(err, WM_EIO, errno, "%s", dir), NULL;
	if (!(j = calloc(1, sizeof(*j))))
		return wm_err_set(err, WM_ENOMEM, "out of memory"), NULL;
	j->fd = -1;
	j->clock = clock;
	s = &j->st;
	if (st)
		memset(st, 0, sizeof(*st));
	if ((j->lock_fd = take_lock(dir, err)) < 0)
		goto out_free;
	if (wm_journal_read(dir, s, NULL, NULL, err) != 0)
		goto out_free;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_FILE) >= sizeof(path)) {
		wm_err_set(err, WM_EINVAL, "run directory name too long");
		goto out_free;
	}
	j->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (j->fd < 0) {
		wm_err_errno(err, WM_EIO, errno, "%s", path);
		goto out_free;
	}
	if (s->valid_bytes == 0 && s->torn_bytes == 0 && sync_dir(dir, err) != 0)
		goto out_free;
	j->seq = s->last_seq;
	j->size = (off_t)s->valid_bytes;
	if (s->torn_bytes) {
		/* kill -9 mid-write left half a record: cut it, and say so (in
		 * the journal too, unless the torn record was the run_start). */
		cJSON *f;

		if (ftruncate(j->fd, j->size) != 0) {
			wm_err_errno(err, WM_EIO, errno, "%s: cutting a torn record", path);
			goto out_free;
		}
		if (!s->started)
			goto out_done;
		f = cJSON_CreateObject();
		if (!f || !cJSON_AddNumberToObject(f, "dropped_bytes", (double)s->torn_bytes) ||
		    wm_journal_append(j, "repair", f, err) != 0) {
			cJSON_Delete(f);
			goto out_free;
		}
		cJSON_Delete(f);
	}
out_done:
	if (st && wm_journal_state_copy(st, s) != 0) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		wm_journal_state_free(st);
		goto out_free;
	}
	return j;

out_free:
	wm_journal_close(j);
	return NULL;
}

/* Write all of buf at the end; -1 with errno on failure. */
static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
wm_journal_append(struct wm_journal *j, const char *type, const cJSON *fields, struct wm_err *err)
{
	char head[256], *body = NULL, *line;
	const char *why;
	cJSON *rec;
	size_t hn, bn, n;
	int e;

	if (j->broken)
		return wm_err_set(err, WM_EIO, "journal: an earlier write failed");
	if (strlen(type) < 1 || strlen(type) > 32 ||
	    strspn(type, "abcdefghijklmnopqrstuvwxyz_") != strlen(type))
		return wm_err_set(err, WM_EINVAL, "journal: bad record type '%.40s'", type);
	if (fields && !cJSON_IsObject(fields))
		return wm_err_set(err, WM_EINVAL, "journal: fields are not an object");
	for (size_t i = 0; fields && i < sizeof(header_keys) / sizeof(header_keys[0]); i++)
		if (cJSON_GetObjectItemCaseSensitive(fields, header_keys[i]))
			return wm_err_set(err, WM_EINVAL, "journal: field '%s' is the header's",
					  header_keys[i]);
	hn = (size_t)snprintf(head, sizeof(head),
			      "{\"v\":%d,\"seq\":%" PRId64 ",\"type\":\"%s\",\"wall_ms\":%" PRId64
			      ",\"mono_ms\":%" PRId64,
			      WM_JOURNAL_VERSION, j->seq + 1, type, wm_clock_wall_ms(j->clock),
			      wm_clock_mono_ms(j->clock));
	if (fields && !(body = cJSON_PrintUnformatted(fields)))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	/* body is "{...}": splice its members after the header's. */
	bn = body && body[1] != '}' ? strlen(body) - 1 : 0;
	n = hn + (bn ? 1 + bn : 1) + 1;
	if (n > WM_JOURNAL_LINE_MAX) {
		free(body);
		return wm_err_set(err, WM_ETOOBIG, "journal: a %s record of %zu bytes", type, n);
	}
	if (!(line = malloc(n + 1))) {
		free(body);
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	memcpy(line, head, hn);
	if (bn) {
		line[hn] = ',';
		memcpy(line + hn + 1, body + 1, bn);
	} else {
		line[hn] = '}';
	}
	line[n - 1] = '\n';
	free(body);
	/* The record as a reader will see it: refused here when it would make
	 * the journal invalid (a second tick_end), before anything is written. */
	rec = cJSON_ParseWithLength(line, n - 1);
	why = rec ? wm_journal_apply(&j->st, rec) : "";
	if (why) {
		cJSON_Delete(rec);
		free(line);
		if (!*why)
			return wm_err_set(err, WM_ENOMEM, "out of memory");
		return wm_err_set(err, WM_EPROTO, "journal: a %s record refused: %s", type, why);
	}
	if (write_all(j->fd, line, n) != 0 || fsync(j->fd) != 0) {
		e = errno;
		free(line);
		/* Never leave half a record behind: cut back to the last whole one. */
		/* If even that fails, the next reader reports the torn tail. */
		(void)!ftruncate(j->fd, j->size);
		j->broken = true;
		cJSON_Delete(rec);
		return wm_err_errno(err, WM_EIO, e, "journal: writing a %s record", type);
	}
	free(line);
	j->size += (off_t)n;
	j->seq++;
	if (j->hook)
		j->hook(rec, j->hook_ctx);
	cJSON_Delete(rec);
	return 0;
}

int
wm_journal_append_tick(struct wm_journal *j, const char *type, const char *tier, int64_t at_ms,
		       int attempt, int state, bool late, struct wm_err *err)
{
	cJSON *f = cJSON_CreateObject();
	bool ok = f && cJSON_AddStringToObject(f, "tier", tier) &&
		  cJSON_AddNumberToObject(f, "at_ms", (double)at_ms);
	bool end = !strcmp(type, "tick_end");
	int rc;

	if (strcmp(type, "tick_start") != 0 && !end && strcmp(type, "tick_missed") != 0) {
		cJSON_Delete(f);
		return wm_err_set(err, WM_EINVAL, "journal: '%.20s' is not a tick record", type);
	}
	if (ok && type[5] != 'm')
		ok = cJSON_AddNumberToObject(f, "attempt", attempt) != NULL;
	if (ok && end)
		ok = cJSON_AddNumberToObject(f, "state", state) &&
		     cJSON_AddBoolToObject(f, "late", late);
	rc = ok ? wm_journal_append(j, type, f, err) : wm_err_set(err, WM_ENOMEM, "out of memory");
	cJSON_Delete(f);
	return rc;
}

const struct wm_journal_state *
wm_journal_state_of(const struct wm_journal *j)
{
	return &j->st;
}

void
wm_journal_set_hook(struct wm_journal *j, wm_journal_record_fn fn, void *ctx)
{
	j->hook = fn;
	j->hook_ctx = ctx;
}

int64_t
wm_journal_seq(const struct wm_journal *j)
{
	return j->seq;
}

void
wm_journal_close(struct wm_journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	wm_journal_state_free(&j->st);
	free(j);
}
