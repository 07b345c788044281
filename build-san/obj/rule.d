build-san/obj/rule.o: harness/rule.c harness/rule.h harness/error.h \
 harness/frame.h
harness/rule.h:
harness/error.h:
harness/frame.h:
