build-san/obj/text.o: harness/text.c harness/text.h harness/error.h
harness/text.h:
harness/error.h:
