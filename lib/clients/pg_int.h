/* pg_conn.h - the libpq handle behind struct wm_pg (private to lib/pg*.c). */
#ifndef WM_PG_CONN_H
#define WM_PG_CONN_H

#include "transport/pq_lazy.h"

struct wm_pg {
	PGconn *conn;
	const struct wm_pq *pq; /* libpq, loaded on first use */
	char where[300];	/* "host:port/dbname", for messages */
};

#endif
