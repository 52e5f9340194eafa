# Objects of oomsnap.ko that live in module/ (the engine's are in lib/objs.mk).
OOMSNAP_MODULE_OBJS := main.o ring.o capture.o hooks.o event.o gfp.o \
		       debugfs.o control.o stats.o ratelimit.o symbols.o \
		       slabs.o headroom.o version.o panic.o tasks.o slot.o
# Xen domain state, on kernels built with Xen support (xen.h stubs it out elsewhere).
oomsnap-xen-$(CONFIG_XEN) := xen.o
OOMSNAP_MODULE_OBJS += $(oomsnap-xen-y)

# oom:mark_victim passes (task, uid) since 6.8 and in stable 6.1.y; older
# kernels pass a pid (see compat.h).
ifneq ($(shell grep -s 'TP_PROTO(struct task_struct \*task, uid_t uid)' \
		$(srctree)/include/trace/events/oom.h),)
OOMSNAP_MODULE_CFLAGS += -DOOMSNAP_MARK_VICTIM_HAS_TASK
endif

# struct kmem_cache moved from include/linux/slub_def.h to mm/slab.h in 6.8
# (see compat.h).
ifeq ($(wildcard $(srctree)/include/linux/slub_def.h),)
OOMSNAP_MODULE_CFLAGS += -DOOMSNAP_KMEM_CACHE_IN_MM
endif

# zone->nr_free_highatomic (6.12; see compat.h).
ifneq ($(shell grep -s 'unsigned long nr_free_highatomic;' \
		$(srctree)/include/linux/mmzone.h),)
OOMSNAP_MODULE_CFLAGS += -DOOMSNAP_HAVE_NR_FREE_HIGHATOMIC
endif

# MAX_ORDER inclusive (6.4 .. 6.7; see compat.h).
ifneq ($(shell grep -s 'define MAX_ORDER_NR_PAGES (1 << MAX_ORDER)' \
		$(srctree)/include/linux/mmzone.h),)
OOMSNAP_MODULE_CFLAGS += -DOOMSNAP_MAX_ORDER_INCLUSIVE
endif
