# The diagnosis engine: plain, allocation-free C built into both oomsnap.ko and tools/oomsnap.
OOMSNAP_LIB_OBJS := names.o watermark.o diagnose.o diag_zones.o diag_consumers.o \
		    render.o decode.o
