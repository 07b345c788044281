build-san/obj/addrblock.o: harness/addrblock.c harness/addrblock.h \
 harness/error.h
harness/addrblock.h:
harness/error.h:
