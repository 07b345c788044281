build-san/obj/userns.o: harness/userns.c harness/userns.h harness/error.h
harness/userns.h:
harness/error.h:
