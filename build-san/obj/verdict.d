build-san/obj/verdict.o: harness/verdict.c harness/verdict.h \
 harness/table.h harness/error.h harness/expr.h harness/sysctl.h \
 harness/text.h
harness/verdict.h:
harness/table.h:
harness/error.h:
harness/expr.h:
harness/sysctl.h:
harness/text.h:
