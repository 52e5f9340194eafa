// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap_kunit.ko: KUnit suites for oomsnap. Each *_kunit.c file holds one
 * suite; loading the module runs them all (results in dmesg and in
 * /sys/kernel/debug/kunit/<suite>/results).
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit suites for oomsnap");
MODULE_LICENSE("GPL");
