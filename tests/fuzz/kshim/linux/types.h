/* SPDX-License-Identifier: GPL-2.0 */
/* linux/types.h for the control fuzzer: the uapi one, and what the kernel adds. */
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
