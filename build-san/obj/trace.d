build-san/obj/trace.o: harness/trace.c harness/trace.h harness/error.h \
 harness/wire.h harness/frame.h harness/rule.h harness/afile.h
harness/trace.h:
harness/error.h:
harness/wire.h:
harness/frame.h:
harness/rule.h:
harness/afile.h:
