/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little the engine needs from its surroundings, for both worlds: the
 * kernel (oomsnap.ko) and libc (tools/oomsnap, tests). Only what both have:
 * snprintf, vsnprintf, memcpy, memset, strcmp, strlen, a 64-bit division.
 */
#ifndef OOMSNAP_BASE_H
#define OOMSNAP_BASE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>

static inline __u64 oomsnap_div64(__u64 dividend, __u64 divisor)
{
	return divisor ? div64_u64(dividend, divisor) : 0;
}

#define oomsnap_printf_fmt(a, b) __printf(a, b)

#else /* userspace */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>

static inline __u64 oomsnap_div64(__u64 dividend, __u64 divisor)
{
	return divisor ? dividend / divisor : 0;
}

#define oomsnap_printf_fmt(a, b) __attribute__((format(printf, a, b)))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif
#endif /* __KERNEL__ */

#endif /* OOMSNAP_BASE_H */
