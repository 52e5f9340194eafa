/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel names lib/ uses, for libc builds (tools/oomsnap, tests/unit,
 * tests/fuzz): base.h includes this instead of kernel headers when
 * __KERNEL__ is not defined. Same idea as the kernel's own
 * tools/include/linux/compiler.h: lib/ is written in kernel style, and this
 * file spells the attributes that style names by macro, so the style gate
 * (tests/lib/build-matrix.sh) lets it use __attribute__ and nothing else.
 */
#ifndef OOMSNAP_COMPAT_USER_H
#define OOMSNAP_COMPAT_USER_H

#ifdef __KERNEL__
#error "for libc builds only: the kernel has these names"
#endif

#include <assert.h>	/* static_assert, as <linux/build_bug.h> */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

static inline __u64 div64_u64(__u64 dividend, __u64 divisor)
{
	return dividend / divisor;
}

#endif /* OOMSNAP_COMPAT_USER_H */
