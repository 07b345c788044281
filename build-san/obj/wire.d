build-san/obj/wire.o: harness/wire.c harness/wire.h harness/error.h \
 harness/frame.h harness/rule.h harness/netns.h
harness/wire.h:
harness/error.h:
harness/frame.h:
harness/rule.h:
harness/netns.h:
