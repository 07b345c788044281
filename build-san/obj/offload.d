build-san/obj/offload.o: harness/offload.c harness/offload.h \
 harness/error.h
harness/offload.h:
harness/error.h:
