build-san/obj/outputs.o: harness/outputs.c harness/outputs.h \
 harness/error.h harness/verdict.h harness/table.h harness/afile.h \
 harness/text.h
harness/outputs.h:
harness/error.h:
harness/verdict.h:
harness/table.h:
harness/afile.h:
harness/text.h:
