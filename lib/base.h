/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little the engine needs from its surroundings, in both worlds it is
 * built for: the kernel (oomsnap.ko) and libc (tools/oomsnap, the tests).
 * Only what both have: snprintf, memcpy, memset, strcmp, strlen, va_list,
 * static_assert, __printf, ARRAY_SIZE, a 64-bit division. In a libc build
 * the kernel's names come from compat_user.h. Every lib/ header includes
 * this first; lib/ includes nothing outside uapi/ and lib/.
 */
#ifndef OOMSNAP_BASE_H
#define OOMSNAP_BASE_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include "compat_user.h"
#endif

static inline __u64 oomsnap_div64(__u64 dividend, __u64 divisor)
{
	return divisor ? div64_u64(dividend, divisor) : 0;
}

#endif /* OOMSNAP_BASE_H */
