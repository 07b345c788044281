build-san/obj/bench_topology.o: harness/bench_topology.c \
 harness/addrblock.h harness/error.h harness/bench.h harness/cmdline.h \
 harness/topology.h
harness/addrblock.h:
harness/error.h:
harness/bench.h:
harness/cmdline.h:
harness/topology.h:
