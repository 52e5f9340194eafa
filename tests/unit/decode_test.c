// SPDX-License-Identifier: GPL-2.0
/*
 * Record decoding (lib/decode.c): old, newer and corrupt records.
 *
 * Part of unit.c, which includes it: one program, built from unit.c alone.
 */

static unsigned char buf[OOMSNAP_RECORD_SIZE_VER0 * 3];

static long decode_as(__u32 size, size_t len, const char **err)
{
	struct oomsnap_record out;
	struct oomsnap_record *r = (struct oomsnap_record *)buf;

	memset(buf, 0xa5, sizeof(buf));
	blank(ERA61);
	box64(100);
	rec.size = size;
	memcpy(buf, &rec, sizeof(rec));
	r->size = size;
	return oomsnap_record_decode(buf, len, &out, err);
}

static void test_decode(void)
{
	struct oomsnap_record out;
	const char *err;
	long n;

	n = decode_as(OOMSNAP_RECORD_SIZE_VER0, OOMSNAP_RECORD_SIZE_VER0, &err);
	result("decode_ver0", check(n == OOMSNAP_RECORD_SIZE_VER0, "%ld %s", n, err ? err : ""));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0 + 64, sizeof(buf), &err);
	oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_newer_size", check(n == OOMSNAP_RECORD_SIZE_VER0 + 64 &&
					  out.nr_zones == 3 && out.zones[2].free == 100,
					  "%ld %s", n, err ? err : ""));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0 - 8, sizeof(buf), &err);
	result("decode_older_than_ver0", check(n < 0 && strstr(err, "below"), "%ld", n));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0 + 4, sizeof(buf), &err);
	result("decode_size_not_8", check(n < 0 && strstr(err, "multiple of 8"), "%ld", n));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0, OOMSNAP_RECORD_SIZE_VER0 - 1, &err);
	result("decode_truncated", check(n < 0 && strstr(err, "truncated"), "%ld", n));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0, 7, &err);
	result("decode_short_header", check(n < 0 && strstr(err, "truncated"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	buf[4] ^= 0xff;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_bad_magic", check(n < 0 && strstr(err, "magic"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->nr_zones = OOMSNAP_MAX_ZONES + 1;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_absurd_nr_zones", check(n < 0 && strstr(err, "nr_zones"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->zones[0].nr_orders = 99;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_absurd_nr_orders", check(n < 0 && strstr(err, "nr_orders"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	memset(((struct oomsnap_record *)buf)->task.comm, 'x', OOMSNAP_COMM_LEN);
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_unterminated_comm", check(n < 0 && strstr(err, "NUL"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->size = 0x7ffffff8;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_absurd_size", check(n < 0 && strstr(err, "large"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->page_size = 4095;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_bad_page_size", check(n < 0 && strstr(err, "page_size"), "%ld", n));
}
