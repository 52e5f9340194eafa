// SPDX-License-Identifier: GPL-2.0
/* The version modinfo shows: the same string as "oomsnap --version". */
#include <linux/module.h>

#include "oomsnap_version.h"

MODULE_VERSION(OOMSNAP_VERSION);
