/* logstream.c - line splitting, Docker frame demultiplexing, window, fan-out. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logs/logstream.h"

struct docker_ctx {
	struct wm_logstream *s;
	const volatile sig_atomic_t *stop;
};

struct wm_logstream {
	struct wm_classify_set *classes;
	unsigned flags;
	struct wm_log_analyzer an[WM_LOGSTREAM_MAX_ANALYZERS];
	size_t nan;
	struct wm_log_analyzer outside;	       /* line NULL: none */
	const struct wm_zone_overrides *zones; /* borrowed, or NULL */
	int64_t since_ms, until_ms;
	char *service;
	/* the partial line */
	char *buf;
	size_t len;
	char *clean; /* the line without colour codes, allocated on first use */
	bool overflow;
	struct wm_logline_memo memo; /* what consecutive lines share */
	struct wm_logstream_stats st;
};

struct wm_logstream *
wm_logstream_new(struct wm_classify_set *classes, unsigned flags)
{
	struct wm_logstream *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->buf = malloc(WM_LOGLINE_MAX);
	if (!s->buf) {
		free(s);
		return NULL;
	}
	s->classes = classes;
	s->flags = flags;
	s->since_ms = s->until_ms = -1;
	return s;
}

void
wm_logstream_free(struct wm_logstream *s)
{
	if (!s)
		return;
	free(s->buf);
	free(s->clean);
	free(s->service);
	free(s);
}

int
wm_logstream_add(struct wm_logstream *s, const struct wm_log_analyzer *a, struct wm_err *err)
{
	if (s->nan >= WM_LOGSTREAM_MAX_ANALYZERS)
		return wm_err_set(err, WM_ETOOBIG, "more than %d analyzers on one log stream",
				  WM_LOGSTREAM_MAX_ANALYZERS);
	s->an[s->nan++] = *a;
	return 0;
}

void
wm_logstream_set_outside(struct wm_logstream *s, const struct wm_log_analyzer *a)
{
	s->outside = *a;
}

void
wm_logstream_set_zones(struct wm_logstream *s, const struct wm_zone_overrides *z)
{
	s->zones = z;
}

void
wm_logstream_set_window(struct wm_logstream *s, int64_t since_ms, int64_t until_ms)
{
	s->since_ms = since_ms;
	s->until_ms = until_ms;
}

int
wm_logstream_set_service(struct wm_logstream *s, const char *service)
{
	char *copy = NULL;

	wm_logstream_flush(s);
	if (service && !(copy = strdup(service)))
		return -1;
	free(s->service);
	s->service = copy;
	return 0;
}

/* One line, whose first ESC byte is esc (NULL: none). */
static void
deliver_esc(struct wm_logstream *s, const char *line, size_t len, bool truncated, const char *esc)
{
	struct wm_logline ll;

	/* colour codes anywhere (a coloured level, pino-pretty, a coloured
	 * compose prefix) would hide the level and leak "[0m" into what is
	 * shown: the line is parsed without them */
	if (esc && (s->clean || (s->clean = malloc(WM_LOGLINE_MAX)))) {
		len = wm_logline_strip_ansi(line, len, (size_t)(esc - line), s->clean);
		line = s->clean;
	}
	wm_logline_parse_memo(&ll, line, len, s->flags, &s->memo);
	ll.truncated = truncated;
	s->st.lines++;
	if (!ll.service && s->service) {
		ll.service = s->service;
		ll.service_len = strlen(s->service);
	}
	if (s->classes)
		wm_classify(wm_classify_set_get(s->classes, ll.service, ll.service_len), &ll);
	if (ll.zone_len > 0 && s->zones)
		wm_zone_overrides_apply(s->zones, &ll);
	if (ll.ts_ms < 0) {
		s->st.untimed++;
		/* in a window or not, nobody can say: never counted as in it */
		if (s->since_ms >= 0 || s->until_ms >= 0) {
			if (s->outside.line)
				s->outside.line(s->outside.ctx, &ll);
			return;
		}
	} else if ((s->since_ms >= 0 && ll.ts_ms < s->since_ms) ||
		   (s->until_ms >= 0 && ll.ts_ms >= s->until_ms)) {
		s->st.outside++;
		if (s->outside.line)
			s->outside.line(s->outside.ctx, &ll);
		return;
	}
	s->st.delivered++;
	for (size_t k = 0; k < s->nan; k++)
		s->an[k].line(s->an[k].ctx, &ll);
}

static void
deliver(struct wm_logstream *s, const char *line, size_t len, bool truncated)
{
	deliver_esc(s, line, len, truncated, memchr(line, '\x1b', len));
}

/* Split plain bytes into lines.  The colour codes are looked for once per
 * chunk, not once per line: most logs have none. */
static void
feed_lines(struct wm_logstream *s, const char *p, size_t n)
{
	const char *esc = memchr(p, '\x1b', n); /* the next ESC at or after p */

	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (s->len == 0 && !s->overflow && nl) {
			/* the whole line is here: no copy */
			bool cut = take > WM_LOGLINE_MAX;
			size_t len = cut ? WM_LOGLINE_MAX : take;

			if (esc && esc < p)
				esc = memchr(p, '\x1b', n);
			s->st.truncated += cut;
			deliver_esc(s, p, len, cut, esc && esc < p + len ? esc : NULL);
		} else {
			size_t room = WM_LOGLINE_MAX - s->len, c = take < room ? take : room;

			memcpy(s->buf + s->len, p, c);
			s->len += c;
			if (c < take)
				s->overflow = true;
			if (nl) {
				s->st.truncated += s->overflow;
				deliver(s, s->buf, s->len, s->overflow);
				s->len = 0;
				s->overflow = false;
			}
		}
		if (!nl)
			return;
		n -= take + 1;
		p = nl + 1;
	}
}

void
wm_logstream_feed(struct wm_logstream *s, const char *buf, size_t len)
{
	s->st.bytes += len;
	feed_lines(s, buf, len);
}

void
wm_logstream_line(struct wm_logstream *s, const char *line, size_t len)
{
	bool cut = len > WM_LOGLINE_MAX;

	s->st.bytes += len + 1;
	s->st.truncated += cut;
	deliver(s, line, cut ? WM_LOGLINE_MAX : len, cut);
}

void
wm_logstream_flush(struct wm_logstream *s)
{
	if (s->len > 0 || s->overflow) {
		s->st.truncated += s->overflow;
		deliver(s, s->buf, s->len, s->overflow);
	}
	s->len = 0;
	s->overflow = false;
}

int
wm_logstream_read_fd(struct wm_logstream *s, int fd, const volatile sig_atomic_t *stop,
		     struct wm_err *err)
{
	char chunk[65536];

	while (!stop || !*stop) {
		ssize_t r = read(fd, chunk, sizeof chunk);

		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return wm_err_errno(err, WM_EIO, errno, "reading logs");
		}
		wm_logstream_feed(s, chunk, (size_t)r);
	}
	wm_logstream_flush(s);
	return 0;
}

const struct wm_logstream_stats *
wm_logstream_stats(const struct wm_logstream *s)
{
	return &s->st;
}

/* wm_docker_line_fn: one line of the Engine API's stream. */
static int
docker_line(void *arg, int stream, const char *line, size_t len)
{
	struct docker_ctx *c = arg;

	(void)stream;
	wm_logstream_line(c->s, line, len);
	return c->stop && *c->stop;
}

int
wm_logstream_docker(struct wm_logstream *s, struct wm_docker *d, const char *id,
		    const char *service, const struct wm_docker_logs_opts *o,
		    const volatile sig_atomic_t *stop, struct wm_err *err)
{
	struct docker_ctx c = {s, stop};

	if (wm_logstream_set_service(s, service) < 0)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (wm_docker_logs(d, id, o, docker_line, &c) < 0) {
		*err = d->err;
		wm_err_prefix(err, "logs of %s", service ? service : id);
		return -1;
	}
	return 0;
}
