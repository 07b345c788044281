build-san/obj/repeat.o: harness/repeat.c harness/repeat.h \
 harness/runner.h harness/afile.h harness/error.h
harness/repeat.h:
harness/runner.h:
harness/afile.h:
harness/error.h:
