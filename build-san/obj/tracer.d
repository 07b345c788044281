build-san/obj/tracer.o: harness/tracer.c harness/tracer.h harness/error.h \
 harness/scenario.h harness/rule.h harness/frame.h harness/userns.h
harness/tracer.h:
harness/error.h:
harness/scenario.h:
harness/rule.h:
harness/frame.h:
harness/userns.h:
