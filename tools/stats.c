// SPDX-License-Identifier: GPL-2.0
/* oomsnap stats: the module's counters (DIR/stats), as text, JSON or Prometheus metrics. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "raw.h"
#include "record.h"

bool stats_prometheus;

int cmd_stats(int argc, char **argv)
{
	char path[4096], line[512];
	struct json j;
	FILE *f;

	if (argc)
		usage_error("stats", "unexpected argument '%s'", argv[0]);
	if (stats_prometheus)
		return oomsnap_cmd_prometheus(dir, raw_path(path, sizeof(path)));
	snprintf(path, sizeof(path), "%s/stats", dir);
	f = fopen(path, "r");
	if (!f)
		fail(EXIT_TROUBLE, "%s: %s", path, strerror(errno));
	if (json_mode) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_ku64(&j, "version", JSON_SCHEMA_VERSION);
	}
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		unsigned long long v;

		if (!json_mode) {
			fputs(line, stdout);
			continue;
		}
		if (sscanf(line, "%127s %llu", name, &v) != 2) {
			fclose(f);
			fail(EXIT_TROUBLE, "%s: unexpected line \"%.*s\"", path,
			     (int)strcspn(line, "\n"), line);
		}
		json_ku64(&j, name, v);
	}
	if (ferror(f))
		fail(EXIT_TROUBLE, "%s: %s", path, strerror(errno));
	fclose(f);
	if (json_mode)
		json_obj_end(&j);
	return EXIT_FOUND;
}
