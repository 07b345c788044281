build-san/obj/catalogue.o: harness/catalogue.c harness/catalogue.h \
 harness/error.h
harness/catalogue.h:
harness/error.h:
