build-san/obj/report.o: harness/report.c harness/report.h harness/error.h \
 harness/afile.h harness/cmdline.h harness/scenario.h harness/rule.h \
 harness/frame.h harness/text.h harness/tracer.h
harness/report.h:
harness/error.h:
harness/afile.h:
harness/cmdline.h:
harness/scenario.h:
harness/rule.h:
harness/frame.h:
harness/text.h:
harness/tracer.h:
