build-san/obj/diff.o: harness/diff.c harness/diff.h harness/cmdline.h \
 harness/error.h
harness/diff.h:
harness/cmdline.h:
harness/error.h:
