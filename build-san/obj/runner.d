build-san/obj/runner.o: harness/runner.c harness/runner.h harness/afile.h \
 harness/error.h harness/catalogue.h harness/cmdline.h harness/netns.h \
 harness/outputs.h harness/verdict.h harness/table.h harness/play.h \
 harness/scenario.h harness/rule.h harness/frame.h harness/tracer.h \
 harness/profile.h harness/repeat.h harness/report.h harness/userns.h
harness/runner.h:
harness/afile.h:
harness/error.h:
harness/catalogue.h:
harness/cmdline.h:
harness/netns.h:
harness/outputs.h:
harness/verdict.h:
harness/table.h:
harness/play.h:
harness/scenario.h:
harness/rule.h:
harness/frame.h:
harness/tracer.h:
harness/profile.h:
harness/repeat.h:
harness/report.h:
harness/userns.h:
