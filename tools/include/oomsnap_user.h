/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel names lib/ uses, for libc builds (tools/oomsnap, tests/unit,
 * tests/fuzz): lib/oomsnap_base.h includes this instead of kernel headers
 * when __KERNEL__ is not defined. Same idea as the kernel's own
 * tools/include/linux/compiler.h: lib/ is written in kernel style, and the
 * attribute spellings that style forbids live here, in userspace code.
 */
#ifndef OOMSNAP_USER_H
#define OOMSNAP_USER_H

#include <assert.h>	/* static_assert, as <linux/build_bug.h> */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
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

#endif /* OOMSNAP_USER_H */
