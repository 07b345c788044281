build-san/obj/play.o: harness/play.c harness/play.h harness/error.h \
 harness/scenario.h harness/rule.h harness/frame.h harness/tracer.h \
 harness/addrblock.h harness/afile.h harness/counters.h harness/diag.h \
 harness/netns.h harness/sysctl.h harness/topology.h harness/trace.h \
 harness/wire.h
harness/play.h:
harness/error.h:
harness/scenario.h:
harness/rule.h:
harness/frame.h:
harness/tracer.h:
harness/addrblock.h:
harness/afile.h:
harness/counters.h:
harness/diag.h:
harness/netns.h:
harness/sysctl.h:
harness/topology.h:
harness/trace.h:
harness/wire.h:
