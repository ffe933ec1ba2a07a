/* pg_conn.h - the libpq handle behind struct wm_pg (private to lib/pg*.c). */
#ifndef WM_PG_CONN_H
#define WM_PG_CONN_H

#include <libpq-fe.h>

struct wm_pg {
	PGconn *conn;
	char where[300];	/* "host:port/dbname", for messages */
};

#endif
