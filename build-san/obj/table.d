build-san/obj/table.o: harness/table.c harness/table.h harness/error.h \
 harness/expr.h harness/sysctl.h harness/text.h
harness/table.h:
harness/error.h:
harness/expr.h:
harness/sysctl.h:
harness/text.h:
