build-san/obj/scenario.o: harness/scenario.c harness/scenario.h \
 harness/error.h harness/rule.h harness/frame.h harness/sysctl.h \
 harness/text.h
harness/scenario.h:
harness/error.h:
harness/rule.h:
harness/frame.h:
harness/sysctl.h:
harness/text.h:
