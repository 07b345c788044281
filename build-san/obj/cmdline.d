build-san/obj/cmdline.o: harness/cmdline.c harness/cmdline.h \
 harness/error.h
harness/cmdline.h:
harness/error.h:
