// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_control: the parser of /sys/kernel/debug/oomsnap/control
 * (module/control.c) on every accepted command and on malformed writes.
 * The debugfs file around it (offset != 0, partial, oversized writes from
 * user space) is checked by tests/kunit/guest.sh.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "control.h"

struct accept_case {
	const char *input;
	struct oomsnap_control_cmd cmd;
};

static const struct accept_case accept_cases[] = {
	{ "clear", { .op = OOMSNAP_CONTROL_CLEAR } },
	{ "clear\n", { .op = OOMSNAP_CONTROL_CLEAR } },
	{ "snapshot", { .op = OOMSNAP_CONTROL_SNAPSHOT } },
	{ "snapshot\n", { .op = OOMSNAP_CONTROL_SNAPSHOT } },
	{ "capture_nowarn=0", { .op = OOMSNAP_CONTROL_CAPTURE_NOWARN } },
	{ "capture_nowarn=1\n", { .op = OOMSNAP_CONTROL_CAPTURE_NOWARN,
				  .capture_nowarn = true } },
	{ "ratelimit=1000,10", { .op = OOMSNAP_CONTROL_RATELIMIT,
				 .ratelimit_ms = 1000, .ratelimit_burst = 10 } },
	{ "ratelimit=0,1\n", { .op = OOMSNAP_CONTROL_RATELIMIT,
			       .ratelimit_ms = 0, .ratelimit_burst = 1 } },
	{ "ratelimit=3600000,100000", { .op = OOMSNAP_CONTROL_RATELIMIT,
					.ratelimit_ms = 3600000,
					.ratelimit_burst = 100000 } },
};

static void accept_desc(const struct accept_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%.*s\"",
		 (int)strcspn(c->input, "\n"), c->input);
}

KUNIT_ARRAY_PARAM(accept, accept_cases, accept_desc);

static void control_parse_accepts(struct kunit *test)
{
	const struct accept_case *c = test->param_value;
	struct oomsnap_control_cmd cmd;

	memset(&cmd, 0xa5, sizeof(cmd));
	KUNIT_ASSERT_EQ(test, oomsnap_control_parse(c->input, strlen(c->input),
						    &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, c->cmd.op);
	KUNIT_EXPECT_EQ(test, cmd.capture_nowarn, c->cmd.capture_nowarn);
	KUNIT_EXPECT_EQ(test, cmd.ratelimit_ms, c->cmd.ratelimit_ms);
	KUNIT_EXPECT_EQ(test, cmd.ratelimit_burst, c->cmd.ratelimit_burst);
}

/* A rejected write must leave the caller's command exactly as it was. */
static void expect_rejected(struct kunit *test, const char *buf, size_t len,
			    const char *what)
{
	struct oomsnap_control_cmd cmd, before;

	memset(&cmd, 0x5a, sizeof(cmd));
	before = cmd;
	KUNIT_EXPECT_EQ_MSG(test, oomsnap_control_parse(buf, len, &cmd),
			    -EINVAL, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(&cmd, &before, sizeof(cmd)), 0,
			    "%s: command changed", what);
}

struct reject_case {
	const char *what;
	const char *bytes;
	size_t len;
};

#define REJECT(what, s)	{ what, s, sizeof(s) - 1 }

static const struct reject_case reject_cases[] = {
	REJECT("empty", ""),
	REJECT("newline only", "\n"),
	REJECT("two newlines", "clear\n\n"),
	REJECT("CRLF", "clear\r\n"),
	REJECT("upper case", "CLEAR"),
	REJECT("leading space", " clear"),
	REJECT("trailing space", "clear "),
	REJECT("tab", "\tsnapshot"),
	REJECT("trailing garbage", "clearx"),
	REJECT("two commands", "clear;snapshot"),
	REJECT("NUL first", "\0clear"),
	REJECT("NUL inside", "cle\0ar"),
	REJECT("NUL last", "clear\0"),
	REJECT("8-bit byte", "snap\x80shot"),
	REJECT("0xff byte", "\377clear"),
	REJECT("control byte", "clear\x01"),
	REJECT("partial: clea", "clea"),
	REJECT("partial: snap", "snap"),
	REJECT("partial: capture_nowarn", "capture_nowarn"),
	REJECT("partial: capture_nowarn=", "capture_nowarn="),
	REJECT("partial: ratelimit=", "ratelimit="),
	REJECT("partial: ratelimit=10", "ratelimit=10"),
	REJECT("partial: ratelimit=10,", "ratelimit=10,"),
	REJECT("capture_nowarn=2", "capture_nowarn=2"),
	REJECT("capture_nowarn=01", "capture_nowarn=01"),
	REJECT("capture_nowarn=true", "capture_nowarn=true"),
	REJECT("ratelimit no ms", "ratelimit=,5"),
	REJECT("negative ms", "ratelimit=-1,1"),
	REJECT("plus sign", "ratelimit=+1,1"),
	REJECT("zero burst", "ratelimit=1,0"),
	REJECT("ms above max", "ratelimit=3600001,1"),
	REJECT("burst above max", "ratelimit=1,100001"),
	REJECT("ms 2^32", "ratelimit=4294967296,1"),
	REJECT("eleven digits", "ratelimit=10000000000,1"),
	REJECT("three fields", "ratelimit=1,2,3"),
	REJECT("space in list", "ratelimit=1 ,2"),
	REJECT("hex", "ratelimit=0x10,1"),
};

static void reject_desc(const struct reject_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(reject, reject_cases, reject_desc);

static void control_parse_rejects(struct kunit *test)
{
	const struct reject_case *c = test->param_value;

	expect_rejected(test, c->bytes, c->len, c->what);
}

static void control_parse_rejects_oversized(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct oomsnap_control_cmd cmd = {};

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* a valid command followed by newlines, one byte over the limit */
	memset(buf, '\n', PAGE_SIZE);
	memcpy(buf, "clear", 5);
	expect_rejected(test, buf, OOMSNAP_CONTROL_MAX_LEN + 1, "max + 1");
	expect_rejected(test, buf, PAGE_SIZE, "a page");
	/* the same bytes cut to "clear\n" are fine */
	KUNIT_EXPECT_EQ(test, oomsnap_control_parse(buf, 6, &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, OOMSNAP_CONTROL_CLEAR);
}

static void control_parse_rejects_null_buffer(struct kunit *test)
{
	expect_rejected(test, NULL, 0, "NULL, 0");
	expect_rejected(test, NULL, 5, "NULL, 5");
}

/* Every prefix of every command is incomplete and must be refused. */
static void control_parse_rejects_every_prefix(struct kunit *test)
{
	static const char * const full[] = {
		"clear", "snapshot", "capture_nowarn=1", "ratelimit=10,2",
	};
	unsigned int i;
	size_t len;

	for (i = 0; i < ARRAY_SIZE(full); i++)
		for (len = 1; len < strlen(full[i]); len++)
			expect_rejected(test, full[i], len, full[i]);
}

static struct kunit_case control_cases[] = {
	KUNIT_CASE_PARAM(control_parse_accepts, accept_gen_params),
	KUNIT_CASE_PARAM(control_parse_rejects, reject_gen_params),
	KUNIT_CASE(control_parse_rejects_oversized),
	KUNIT_CASE(control_parse_rejects_null_buffer),
	KUNIT_CASE(control_parse_rejects_every_prefix),
	{}
};

static struct kunit_suite control_suite = {
	.name = "oomsnap_control",
	.test_cases = control_cases,
};

kunit_test_suite(control_suite);
