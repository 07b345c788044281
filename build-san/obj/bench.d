build-san/obj/bench.o: harness/bench.c harness/bench.h harness/cmdline.h \
 harness/error.h
harness/bench.h:
harness/cmdline.h:
harness/error.h:
