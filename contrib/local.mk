# What make install puts beside the programs, man pages and completions:
#   $(sysconfdir)/warunginmon/warunginmon.conf.example  the annotated example
#       configuration, as an example: the live file ($(sysconfdir)/warunginmon/
#       config) is never written, so an install never overwrites a setting;
#   $(systemdunitdir)  wm-run@.service/.timer (the plan, one instance per
#       target, a tick a minute), wm-run-day@.service (the same plan as one
#       long-running driver with the watch) and wm-check@.service/.timer (one
#       program, one-shot, into a textfile directory);
#   $(datadir)/warunginmon/icinga2/warunginmon.conf  an Icinga 2 CheckCommand
#       per program, written from the programs' --help by
#       contrib/icinga2/make-commands (so every program and option is there);
#   $(datadir)/warunginmon/prometheus/warunginmon-rules.yml  alerting rules.
# The units name the installed programs: they are made
# from their .in with the configured paths.
wmconfdir = $(sysconfdir)/warunginmon
dist_wmconf_DATA = contrib/warunginmon.conf.example
WM_UNITS = contrib/systemd/wm-run@.service contrib/systemd/wm-run@.timer contrib/systemd/wm-run-day@.service \
	contrib/systemd/wm-check@.service contrib/systemd/wm-check@.timer
systemdunit_DATA = $(WM_UNITS)
prometheusdir = $(datadir)/warunginmon/prometheus
dist_prometheus_DATA = contrib/prometheus/warunginmon-rules.yml
icinga2dir = $(datadir)/warunginmon/icinga2
icinga2_DATA = contrib/icinga2/warunginmon.conf
CLEANFILES = $(WM_UNITS) $(icinga2_DATA)
contrib/icinga2/warunginmon.conf: $(bin_PROGRAMS) contrib/icinga2/make-commands
	$(AM_V_GEN)$(MKDIR_P) contrib/icinga2 && \
	$(SHELL) $(srcdir)/contrib/icinga2/make-commands '$(bindir)' $(bin_PROGRAMS) >$@.tmp && mv $@.tmp $@

WM_SUBST = sed -e 's|@bindir[@]|$(bindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' -e 's|@PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g'
WM_SUBST_RULE = $(AM_V_GEN)$(MKDIR_P) contrib/systemd && \
	$(WM_SUBST) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@
contrib/systemd/wm-run@.service: contrib/systemd/wm-run@.service.in Makefile
	$(WM_SUBST_RULE)
contrib/systemd/wm-run@.timer: contrib/systemd/wm-run@.timer.in Makefile
	$(WM_SUBST_RULE)
contrib/systemd/wm-run-day@.service: contrib/systemd/wm-run-day@.service.in Makefile
	$(WM_SUBST_RULE)
contrib/systemd/wm-check@.service: contrib/systemd/wm-check@.service.in Makefile
	$(WM_SUBST_RULE)
contrib/systemd/wm-check@.timer: contrib/systemd/wm-check@.timer.in Makefile
	$(WM_SUBST_RULE)
