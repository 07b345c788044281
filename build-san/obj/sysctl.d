build-san/obj/sysctl.o: harness/sysctl.c harness/sysctl.h harness/error.h \
 harness/netns.h
harness/sysctl.h:
harness/error.h:
harness/netns.h:
