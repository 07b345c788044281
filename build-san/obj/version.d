build-san/obj/version.o: harness/version.c harness/version.h
harness/version.h:
