build-san/obj/afile.o: harness/afile.c harness/afile.h harness/error.h
harness/afile.h:
harness/error.h:
