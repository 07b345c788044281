build-san/obj/profile.o: harness/profile.c harness/profile.h \
 harness/error.h harness/scenario.h harness/rule.h harness/frame.h \
 harness/netns.h harness/sysctl.h harness/text.h
harness/profile.h:
harness/error.h:
harness/scenario.h:
harness/rule.h:
harness/frame.h:
harness/netns.h:
harness/sysctl.h:
harness/text.h:
