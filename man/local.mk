# Hand-written roff pages, shipped in the tarball.
dist_man_MANS += man/warunginmon.7 man/warunginmon.conf.5

dist_man_MANS += man/wm-cache.1 man/wm-db.1

dist_man_MANS += man/wm-security.1

dist_man_MANS += man/wm-services.1
dist_man_MANS += man/wm-errors.1
dist_man_MANS += man/wm-run.1
dist_man_MANS += man/wm-perf.1
dist_man_MANS += man/wm-report.1
dist_man_MANS += man/wm-smoke.1
