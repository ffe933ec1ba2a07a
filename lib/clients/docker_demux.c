/* docker_demux.c - split the logs endpoint's byte stream into lines.
 *
 * Non-TTY containers: frames of [stream, 0, 0, 0, len(4, big-endian)] +
 * payload; a frame is not a line (json-file splits long lines at 16 KiB), so
 * lines are reassembled per stream.  TTY containers: raw bytes.  Chunks may
 * end anywhere, inside a header included.  Memory is bounded: a line longer
 * than WM_DOCKER_LINE_MAX is delivered in pieces.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clients/docker.h"

int
wm_docker_demux_init(struct wm_docker_demux *m, bool raw, struct wm_err *err)
{
	memset(m, 0, sizeof(*m));
	m->raw = raw;
	for (int i = 0; i < 3; i++) {
		m->line[i] = malloc(WM_DOCKER_LINE_MAX);
		if (!m->line[i]) {
			wm_docker_demux_finish(m, NULL, NULL);
			return wm_err_set(err, WM_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static void
emit(struct wm_docker_demux *m, int s, wm_docker_line_fn fn, void *arg)
{
	if (!m->stopped && fn && fn(arg, s, m->line[s], m->linelen[s]) != 0)
		m->stopped = true;
	m->linelen[s] = 0;
}

/* Append payload bytes of stream s, emitting each complete line. */
static void
take(struct wm_docker_demux *m, int s, const char *p, size_t n, wm_docker_line_fn fn, void *arg)
{
	while (n > 0 && !m->stopped) {
		const char *nl = memchr(p, '\n', n);
		size_t chunk = nl ? (size_t)(nl - p) : n;
		size_t room = WM_DOCKER_LINE_MAX - m->linelen[s];

		if (chunk > room)
			chunk = room;
		memcpy(m->line[s] + m->linelen[s], p, chunk);
		m->linelen[s] += chunk;
		p += chunk;
		n -= chunk;
		if (n > 0 && *p == '\n') {
			p++;
			n--;
			emit(m, s, fn, arg);
		} else if (m->linelen[s] == WM_DOCKER_LINE_MAX) {
			emit(m, s, fn, arg);
		}
	}
}

int
wm_docker_demux_feed(struct wm_docker_demux *m, const char *buf, size_t len, wm_docker_line_fn fn,
		     void *arg, struct wm_err *err)
{
	if (m->raw) {
		take(m, 0, buf, len, fn, arg);
		return 0;
	}
	while (len > 0 && !m->stopped) {
		if (m->left == 0) {
			size_t need = 8 - m->hdrlen, n = len < need ? len : need;

			memcpy(m->hdr + m->hdrlen, buf, n);
			m->hdrlen += n;
			buf += n;
			len -= n;
			if (m->hdrlen < 8)
				break;
			m->hdrlen = 0;
			if (m->hdr[0] > 3 || m->hdr[1] || m->hdr[2] || m->hdr[3])
				return wm_err_set(err, WM_EPROTO,
						  "log stream: bad frame header (stream byte %u)",
						  m->hdr[0]);
			/* 3 = systemerr: the daemon's own error, reported on stderr. */
			m->stream = m->hdr[0] == 3 ? 2 : m->hdr[0];
			m->left = (uint32_t)m->hdr[4] << 24 | (uint32_t)m->hdr[5] << 16 |
				  (uint32_t)m->hdr[6] << 8 | m->hdr[7];
			continue;
		}
		size_t n = len < m->left ? len : m->left;

		take(m, m->stream, buf, n, fn, arg);
		m->left -= (uint32_t)n;
		buf += n;
		len -= n;
	}
	return 0;
}

void
wm_docker_demux_finish(struct wm_docker_demux *m, wm_docker_line_fn fn, void *arg)
{
	for (int i = 0; i < 3; i++) {
		if (m->line[i] && m->linelen[i] > 0)
			emit(m, i, fn, arg);
		free(m->line[i]);
		m->line[i] = NULL;
	}
}
