#!/usr/bin/python3
"""db-full fault: open connections as the application role until PostgreSQL says
"too many clients", then hold them until SIGTERM.  Usage: dbhold.py PORT PASSWORD_FILE READY_FILE"""
import signal
import sys
import time

import psycopg2

port, pwfile, ready = sys.argv[1], sys.argv[2], sys.argv[3]
with open(pwfile, encoding="utf-8") as f:
    password = f.read().strip()
held = []
signal.signal(signal.SIGTERM, lambda s, f: sys.exit(0))
for _ in range(1000):  # bounded: max_connections is small
    try:
        held.append(psycopg2.connect(host="127.0.0.1", port=port, dbname="warungin", user="warungin",
                                     password=password, connect_timeout=3,
                                     application_name="wm-world-db-full"))
    except psycopg2.OperationalError:
        break
with open(ready, "w", encoding="utf-8") as f:
    f.write("%d\n" % len(held))
while True:
    time.sleep(3600)
