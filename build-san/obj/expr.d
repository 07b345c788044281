build-san/obj/expr.o: harness/expr.c harness/expr.h
harness/expr.h:
