/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel headers module/control.c uses, from libc, for the control fuzzer. */
#include <ctype.h>
