/* ssh.c - the SSH session: connect, strict host key check, authentication,
 * exec channels.  Tunnels are in ssh_tunnel.c. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libssh/libssh.h>

#include "transport/ssh.h"

/* Exported for ssh_tunnel.c only. */
long wm_ssh_now_ms(void);
void wm_ssh_pump_stop(struct wm_ssh *s);

long
wm_ssh_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int
set_options(struct wm_ssh *s, const struct wm_ssh_opts *o)
{
	ssh_session ss = s->session;
	long usec = (o->timeout_ms % 1000) * 1000, sec = o->timeout_ms / 1000;
	int no = 0;

	if (ssh_options_set(ss, SSH_OPTIONS_HOST, o->host) < 0)
		return wm_err_set(&s->err, WM_EINVAL, "ssh: bad host %s", o->host);
	/* The config first, so that what the target says explicitly wins. */
	if ((!o->config || *o->config) && ssh_options_parse_config(ss, o->config) < 0)
		return wm_err_set(&s->err, WM_ECONFIG, "ssh: cannot parse config %s",
				  o->config ? o->config : "~/.ssh/config");
	if ((o->user && ssh_options_set(ss, SSH_OPTIONS_USER, o->user) < 0) ||
	    (o->port > 0 && ssh_options_set(ss, SSH_OPTIONS_PORT, &o->port) < 0) ||
	    (o->identity && ssh_options_set(ss, SSH_OPTIONS_ADD_IDENTITY, o->identity) < 0) ||
	    (o->known_hosts && ssh_options_set(ss, SSH_OPTIONS_KNOWNHOSTS, o->known_hosts) < 0))
		return wm_err_set(&s->err, WM_EINVAL, "ssh: %s", ssh_get_error(ss));
	ssh_options_set(ss, SSH_OPTIONS_TIMEOUT, &sec);
	ssh_options_set(ss, SSH_OPTIONS_TIMEOUT_USEC, &usec);
	/* Never prompt, never fall back to a global known_hosts we were not told about. */
	ssh_options_set(ss, SSH_OPTIONS_STRICTHOSTKEYCHECK, &(int){1});
	ssh_options_set(ss, SSH_OPTIONS_PROCESS_CONFIG, &no);
	if (ssh_options_get_port(ss, (unsigned int *)&s->port) < 0)
		s->port = 22;
	return 0;
}

/* "SHA256:..." of the server's key into fp. */
static void
server_fingerprint(ssh_session ss, char *fp, size_t size, char *type, size_t tsize)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *txt;

	snprintf(fp, size, "(unavailable)");
	snprintf(type, tsize, "?");
	if (ssh_get_server_publickey(ss, &key) < 0)
		return;
	snprintf(type, tsize, "%s", ssh_key_type_to_char(ssh_key_type(key)));
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) == 0) {
		txt = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
		if (txt)
			snprintf(fp, size, "%s", txt);
		ssh_string_free_char(txt);
		ssh_clean_pubkey_hash(&hash);
	}
	ssh_key_free(key);
}

/* Strict: only a key already in known_hosts passes.  The messages say what
 * to compare and the exact command to accept, nothing is written for the user. */
static int
check_host_key(struct wm_ssh *s)
{
	ssh_session ss = s->session;
	enum ssh_known_hosts_e st = ssh_session_is_known_server(ss);
	char fp[128], type[32], *file = NULL, hostspec[300];
	int rc = 0;

	if (st == SSH_KNOWN_HOSTS_OK)
		return 0;
	server_fingerprint(ss, fp, sizeof(fp), type, sizeof(type));
	ssh_options_get(ss, SSH_OPTIONS_KNOWNHOSTS, &file);
	if (s->port == 22)
		snprintf(hostspec, sizeof(hostspec), "%s", s->host);
	else
		snprintf(hostspec, sizeof(hostspec), "[%s]:%d", s->host, s->port);
	if (st == SSH_KNOWN_HOSTS_CHANGED || st == SSH_KNOWN_HOSTS_OTHER)
		rc = wm_err_set(&s->err, WM_EHOSTKEY,
				"WARNING: HOST KEY OF %s HAS CHANGED (now %s %s): possible "
				"man-in-the-middle attack; refusing. If the change is expected: "
				"ssh-keygen -R '%s' -f %s",
				hostspec, type, fp, hostspec, file ? file : "~/.ssh/known_hosts");
	else if (st == SSH_KNOWN_HOSTS_UNKNOWN || st == SSH_KNOWN_HOSTS_NOT_FOUND)
		rc = wm_err_set(&s->err, WM_EHOSTKEY,
				"unknown host key for %s: %s %s; compare it with the server's, "
				"then accept it with: ssh-keyscan -p %d %s >> %s",
				hostspec, type, fp, s->port, s->host,
				file ? file : "~/.ssh/known_hosts");
	else
		rc = wm_err_set(&s->err, WM_EHOSTKEY, "checking the host key of %s: %s", hostspec,
				ssh_get_error(ss));
	ssh_string_free_char(file);
	return rc;
}

static int
authenticate(struct wm_ssh *s)
{
	ssh_session ss = s->session;
	char *user = NULL;
	int rc;

	rc = ssh_userauth_none(ss, NULL);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	rc = ssh_userauth_publickey_auto(ss, NULL, NULL);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	ssh_options_get(ss, SSH_OPTIONS_USER, &user);
	wm_err_set(&s->err, rc == SSH_AUTH_ERROR ? WM_ECONN : WM_EAUTH, "ssh %s@%s:%d: %s",
		   user ? user : "?", s->host, s->port,
		   rc == SSH_AUTH_ERROR
		       ? ssh_get_error(ss)
		       : "authentication refused (no agent key or identity file accepted)");
	ssh_string_free_char(user);
	return -1;
}

struct wm_ssh *
wm_ssh_connect(const struct wm_ssh_opts *o)
{
	struct wm_ssh *s = calloc(1, sizeof(*s));
	const char *msg;

	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	s->host = strdup(o->host ? o->host : "");
	s->session = ssh_new();
	if (!s->host || !s->session) {
		wm_err_set(&s->err, WM_ENOMEM, "out of memory");
		return s;
	}
	if (!o->host || !*o->host) {
		wm_err_set(&s->err, WM_EINVAL, "ssh: no host given");
		return s;
	}
	if (set_options(s, &(struct wm_ssh_opts){.host = o->host,
						 .user = o->user,
						 .port = o->port,
						 .identity = o->identity,
						 .known_hosts = o->known_hosts,
						 .config = o->config,
						 .timeout_ms = s->timeout_ms}) < 0)
		return s;
	if (ssh_connect(s->session) != SSH_OK) {
		msg = ssh_get_error(s->session);
		wm_err_set(&s->err, strstr(msg, "imeout") ? WM_ETIMEDOUT : WM_ECONN,
			   "ssh %s:%d: %s", s->host, s->port, msg);
		return s;
	}
	if (check_host_key(s) < 0 || authenticate(s) < 0) {
		ssh_disconnect(s->session);
		return s;
	}
	return s;
}

bool
wm_ssh_ok(struct wm_ssh *s)
{
	bool ok;

	if (!s)
		return false;
	/* under the lock: the tunnel pump drives the session and sets s->err */
	pthread_mutex_lock(&s->lock);
	ok = s->err.code == WM_EOK && s->session && ssh_is_connected(s->session);
	pthread_mutex_unlock(&s->lock);
	return ok;
}

int
wm_ssh_keepalive(struct wm_ssh *s)
{
	int rc = -1;

	if (!wm_ssh_ok(s))
		return -1;
	pthread_mutex_lock(&s->lock);
	if (ssh_send_ignore(s->session, "keepalive") == SSH_OK &&
	    ssh_blocking_flush(s->session, (int)s->timeout_ms) == SSH_OK &&
	    ssh_is_connected(s->session) && !(ssh_get_status(s->session) & SSH_CLOSED_ERROR))
		rc = 0;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void
wm_ssh_close(struct wm_ssh *s)
{
	if (!s)
		return;
	wm_ssh_pump_stop(s);
	if (s->session) {
		if (ssh_is_connected(s->session))
			ssh_disconnect(s->session);
		ssh_free(s->session);
	}
	pthread_mutex_destroy(&s->lock);
	free(s->host);
	free(s);
}

int
wm_ssh_quote(const char *const argv[], char *buf, size_t size, struct wm_err *err)
{
	size_t n = 0;

	for (size_t i = 0; argv[i]; i++) {
		/* room for the separator, both quotes and the final NUL */
		if (n + 4 > size)
			goto out_toobig;
		if (i > 0)
			buf[n++] = ' ';
		buf[n++] = '\'';
		for (const char *p = argv[i]; *p; p++) {
			if (n + (*p == '\'' ? 4 : 1) + 2 > size)
				goto out_toobig;
			if (*p == '\'') {
				memcpy(buf + n, "'\\''", 4);
				n += 4;
			} else {
				buf[n++] = *p;
			}
		}
		buf[n++] = '\'';
	}
	if (size == 0)
		goto out_toobig;
	buf[n] = '\0';
	return 0;
out_toobig:
	return wm_err_set(err, WM_ETOOBIG, "remote command longer than %zu bytes", size);
}
