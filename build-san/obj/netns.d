build-san/obj/netns.o: harness/netns.c harness/netns.h harness/error.h
harness/netns.h:
harness/error.h:
