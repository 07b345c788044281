build-san/obj/bench_wire.o: harness/bench_wire.c harness/addrblock.h \
 harness/error.h harness/bench.h harness/cmdline.h harness/netns.h \
 harness/topology.h harness/wire.h harness/frame.h harness/rule.h
harness/addrblock.h:
harness/error.h:
harness/bench.h:
harness/cmdline.h:
harness/netns.h:
harness/topology.h:
harness/wire.h:
harness/frame.h:
harness/rule.h:
