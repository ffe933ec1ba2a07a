/* pg_int.h - the libpq handle behind struct wm_pg (private to lib/clients/pg*.c). */
#ifndef WM_PG_CONN_H
#define WM_PG_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "transport/pq_lazy.h"

struct wm_pg {
	PGconn *conn;
	const struct wm_pq *pq; /* libpq, loaded on first use */
	char where[300];	/* "host:port/dbname", for messages */
	int64_t deadline_ms;	/* CLOCK_MONOTONIC ms bounding every query (0: none) */
	bool stuck;		/* a query outlived the deadline: the connection is unusable */
};

#endif
