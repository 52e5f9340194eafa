/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Commands written to /sys/kernel/debug/oomsnap/control. Parsing is a pure
 * function (no globals) so that KUnit can feed it every malformed input;
 * the caller applies the result only when parsing succeeded.
 *
 *   clear                      forget the retained records
 *   snapshot                   capture now (event type MANUAL)
 *   capture_nowarn=0|1         also capture __GFP_NOWARN failures
 *   ratelimit=<ms>,<burst>     allocation-failure captures: at most
 *                              <burst> per <ms>; ms 0 = unlimited
 *
 * One command per write, an optional trailing newline, nothing else.
 */
#ifndef OOMSNAP_CONTROL_H
#define OOMSNAP_CONTROL_H

#include <linux/types.h>

#define OOMSNAP_CONTROL_MAX_LEN		64	/* bytes, newline included */
#define OOMSNAP_RATELIMIT_MAX_MS	(3600U * 1000U)
#define OOMSNAP_RATELIMIT_MAX_BURST	100000U

enum oomsnap_control_op {
	OOMSNAP_CONTROL_CLEAR = 1,
	OOMSNAP_CONTROL_SNAPSHOT,
	OOMSNAP_CONTROL_CAPTURE_NOWARN,
	OOMSNAP_CONTROL_RATELIMIT,
};

struct oomsnap_control_cmd {
	enum oomsnap_control_op op;
	bool capture_nowarn;
	unsigned int ratelimit_ms;
	unsigned int ratelimit_burst;
};

/*
 * Parse @len bytes at @buf (not NUL-terminated; may contain anything).
 * Returns 0 and fills @cmd, or -EINVAL and leaves @cmd untouched.
 */
int oomsnap_control_parse(const char *buf, size_t len,
			  struct oomsnap_control_cmd *cmd);

#endif /* OOMSNAP_CONTROL_H */
