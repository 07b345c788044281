build-san/obj/frame.o: harness/frame.c harness/frame.h
harness/frame.h:
