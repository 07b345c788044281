build-san/obj/counters.o: harness/counters.c harness/counters.h \
 harness/error.h harness/netns.h
harness/counters.h:
harness/error.h:
harness/netns.h:
