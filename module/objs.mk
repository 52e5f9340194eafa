# Objects of oomsnap.ko that live in module/ (the engine's are in lib/objs.mk).
OOMSNAP_MODULE_OBJS := main.o
