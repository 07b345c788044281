build-san/obj/main.o: harness/main.c harness/bench.h harness/catalogue.h \
 harness/error.h harness/cmdline.h harness/diff.h harness/profile_diff.h \
 harness/report.h harness/runner.h harness/scenario.h harness/rule.h \
 harness/frame.h harness/table.h harness/userns.h harness/version.h
harness/bench.h:
harness/catalogue.h:
harness/error.h:
harness/cmdline.h:
harness/diff.h:
harness/profile_diff.h:
harness/report.h:
harness/runner.h:
harness/scenario.h:
harness/rule.h:
harness/frame.h:
harness/table.h:
harness/userns.h:
harness/version.h:
