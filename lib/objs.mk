# The diagnosis engine: plain, allocation-free C built into both oomsnap.ko (Kbuild) and
# tools/oomsnap (tools/Makefile). It includes nothing but uapi/ and lib/. The kernel log
# parser, tools/logparse/, is not part of it: only the reader reads logs.
OOMSNAP_LIB_OBJS := names.o watermark.o diagnose.o diag_zones.o diag_consumers.o \
		    render.o decode.o topn.o mem.o
