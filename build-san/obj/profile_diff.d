build-san/obj/profile_diff.o: harness/profile_diff.c \
 harness/profile_diff.h harness/afile.h harness/error.h harness/cmdline.h \
 harness/profile.h harness/scenario.h harness/rule.h harness/frame.h \
 harness/report.h harness/runner.h harness/text.h
harness/profile_diff.h:
harness/afile.h:
harness/error.h:
harness/cmdline.h:
harness/profile.h:
harness/scenario.h:
harness/rule.h:
harness/frame.h:
harness/report.h:
harness/runner.h:
harness/text.h:
