/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little the engine needs from its surroundings, for both worlds: the
 * kernel (oomsnap.ko) and libc (tools/oomsnap, tests). Only what both have:
 * snprintf, vsnprintf, memcpy, memset, strcmp, strlen, a 64-bit division,
 * static_assert, __printf, ARRAY_SIZE and the like (tools/include/).
 */
#ifndef OOMSNAP_BASE_H
#define OOMSNAP_BASE_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>
#else
/* libc builds: the same names from tools/include/oomsnap_user.h */
#include "oomsnap_user.h"
#endif

static inline __u64 oomsnap_div64(__u64 dividend, __u64 divisor)
{
	return divisor ? div64_u64(dividend, divisor) : 0;
}

#endif /* OOMSNAP_BASE_H */
