// SPDX-License-Identifier: GPL-2.0
/*
 * The renderer (lib/render.c): the text of a record and its diagnosis.
 *
 * Part of unit.c, which includes it: one program, built from unit.c alone.
 */

static char text[65536];
static size_t text_len;

static void text_vprintf(void *ctx, const char *fmt, va_list ap)
{
	int n;

	(void)ctx;
	n = vsnprintf(text + text_len, sizeof(text) - text_len, fmt, ap);
	if (n > 0)
		text_len += (size_t)n < sizeof(text) - text_len ? (size_t)n : sizeof(text) - text_len - 1;
}

static void test_render(void)
{
	struct oomsnap_printer p = { .vprintf = text_vprintf };

	blank(ERA61);
	box64(300);
	request(GFP_KERNEL | OOMSNAP_GFP_COMP, 2);
	rec.have |= OOMSNAP_HAVE_TASK;
	strcpy(rec.task.comm, "hog");
	oomsnap_diagnose(&rec, &diag);
	text_len = 0;
	oomsnap_print_record(&p, &rec, &diag);
	result("render_sections",
	       check(strstr(text, "request:    gfp GFP_KERNEL|__GFP_COMP") != NULL, "request") &&
	       check(strstr(text, "zones (kB)") != NULL, "zone table") &&
	       check(strstr(text, "node0  Normal") != NULL, "zone row") &&
	       check(strstr(text, "free blocks per order") != NULL, "buddy") &&
	       check(strstr(text, "top slab caches\n  not available: not captured") != NULL,
		     "slabs not available") &&
	       check(strstr(text, "diagnosis\n  cause:") != NULL, "diagnosis"));
	blank(0);
	text_len = 0;
	oomsnap_print_record(&p, &rec, NULL);
	result("render_empty_record", check(strstr(text, "request:    not available") != NULL,
					    "empty record"));
}
