// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap record: the recorder.
 *
 *   oomsnap [--dir DIR | --raw FILE] record [--file PATH] [--max-size BYTES]
 *           [--keep N] [--journal] [--journal-socket PATH] [--count N]
 *           [--no-follow]
 *
 * Appends every event of DIR/raw to PATH (default
 * /var/lib/oomsnap/events.jsonl) as one line of JSON: the object
 * "oomsnap watch --json" prints, with the boot it came from in front
 * ("boot_id"). Each line is written whole and fsync()ed before the next.
 *
 * Resuming: at start the last complete line of PATH (or of PATH.1 after a
 * rotation) says which boot and sequence number were recorded last; only
 * newer records of the ring are written, so a restart neither repeats nor
 * skips an event the ring still holds. A torn last line (a crash in the
 * middle of a write) is cut off and its event written again. Records the
 * ring overwrote while no recorder ran are reported, not invented.
 *
 * Rotation: a line that would take PATH past --max-size (default 16 MiB)
 * first renames PATH to PATH.1, PATH.1 to PATH.2 ... up to PATH.<keep>
 * (default 3), the oldest dropped.
 *
 * --journal also sends each event to the systemd journal over its native
 * protocol (datagrams of FIELD=value lines on /run/systemd/journal/socket):
 * SYSLOG_IDENTIFIER=oomsnap, MESSAGE, PRIORITY and OOMSNAP_* fields, so
 * "journalctl -t oomsnap OOMSNAP_CAUSE=fragmentation" finds them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "diagnose.h"
#include "names.h"
#include "record.h"
#include "record_io.h"
#include "base.h"

#define DEFAULT_FILE		"/var/lib/oomsnap/events.jsonl"
#define DEFAULT_MAX_SIZE	(16ULL << 20)
#define DEFAULT_KEEP		3
#define MAX_KEEP		99
#define JOURNAL_SOCKET		"/run/systemd/journal/socket"
#define BOOT_ID_PATH		"/proc/sys/kernel/random/boot_id"
#define TAIL_MAX		(4U << 20)	/* longest line searched for */

struct recorder {
	const char *path;
	unsigned long long max_size;
	unsigned int keep;
	int fd;				/* PATH, O_APPEND */
	int dirfd;			/* PATH's directory, locked */
	unsigned long long size;	/* of PATH */
	char boot_id[40];
	unsigned long long last_seq;	/* newest recorded in this boot */
	const char *journal_path;	/* NULL: no journal */
	int journal_fd;
	bool journal_warned;
	oomsnap_event_json_fn event_json;
};

static void vnote(const char *fmt, va_list ap)
{
	fputs("oomsnap: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void __printf(1, 2) note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(fmt, ap);
	va_end(ap);
}

/* note(), and @status for the caller to return */
static int __printf(2, 3) bad(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(fmt, ap);
	va_end(ap);
	return status;
}

/* "16M", "4096", "1G": bytes; false on anything else. */
static bool parse_size(const char *s, unsigned long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return false;
	switch (*end) {
	case 'K': case 'k':
		mul = 1ULL << 10;
		end++;
		break;
	case 'M': case 'm':
		mul = 1ULL << 20;
		end++;
		break;
	case 'G': case 'g':
		mul = 1ULL << 30;
		end++;
		break;
	}
	if (*end || v > ULLONG_MAX / mul)
		return false;
	*out = v * mul;
	return true;
}

static bool parse_uint(const char *s, unsigned long long max,
		       unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && end != s && !*end && *s != '-' && *out <= max;
}

static bool takes_value(const char *opt)
{
	static const char *const opts[] = {
		"--file", "--max-size", "--keep", "--count", "--journal-socket",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(opts); i++)
		if (!strcmp(opt, opts[i]))
			return true;
	return false;
}

static bool read_boot_id(char *buf, size_t len)
{
	ssize_t n;
	int fd = open(BOOT_ID_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] != '\0';
}

/* ---------------------------------------------------------------------- */
/* resume */

/*
 * From one recorded line: its boot and sequence number. The recorder
 * writes "boot_id" first and the event's own "seq" is its first "seq"
 * key, so plain string search finds both.
 */
static bool line_position(const char *line, char *boot_id, size_t len,
			  unsigned long long *seq)
{
	const char *b = strstr(line, "\"boot_id\":\"");
	const char *s = strstr(line, "\"seq\":");
	size_t n;

	if (!b || !s)
		return false;
	b += strlen("\"boot_id\":\"");
	n = strcspn(b, "\"");
	if (n >= len)
		return false;
	memcpy(boot_id, b, n);
	boot_id[n] = '\0';
	*seq = strtoull(s + strlen("\"seq\":"), NULL, 10);
	return true;
}

/*
 * The last complete line of the file @fd (size @size) into a malloc()ed
 * string, NULL if it has none. *@complete_end: the size the file has when
 * a torn last line is cut off.
 */
static char *last_line(int fd, unsigned long long size,
		       unsigned long long *complete_end)
{
	size_t want = size < TAIL_MAX ? (size_t)size : TAIL_MAX;
	char *buf, *end, *start, *line;
	ssize_t n;

	*complete_end = 0;
	if (!want)
		return NULL;
	buf = malloc(want + 1);
	if (!buf)
		return NULL;
	n = pread(fd, buf, want, (off_t)(size - want));
	if (n != (ssize_t)want) {
		free(buf);
		return NULL;
	}
	buf[want] = '\0';
	end = memrchr(buf, '\n', want);
	if (!end) {
		/* no newline in the tail: nothing complete (or a huge line) */
		*complete_end = size > want ? size : 0;
		free(buf);
		return NULL;
	}
	*complete_end = size - want + (unsigned long long)(end - buf) + 1;
	*end = '\0';
	start = memrchr(buf, '\n', (size_t)(end - buf));
	start = start ? start + 1 : buf;
	line = strdup(start);
	free(buf);
	return line;
}

/* Position of the last line of @path, cutting a torn one if @fix. */
static bool file_position(const char *path, bool fix, char *boot_id,
			  size_t len, unsigned long long *seq)
{
	unsigned long long complete_end;
	struct stat st;
	char *line;
	bool ok;
	int fd = open(path, (fix ? O_RDWR : O_RDONLY) | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return false;
	}
	line = last_line(fd, (unsigned long long)st.st_size, &complete_end);
	if (fix && complete_end < (unsigned long long)st.st_size) {
		note("%s: cutting a torn last line (%llu bytes)", path,
		     (unsigned long long)st.st_size - complete_end);
		if (ftruncate(fd, (off_t)complete_end) < 0 || fsync(fd) < 0)
			note("%s: %s", path, strerror(errno));
	}
	close(fd);
	ok = line && line_position(line, boot_id, len, seq);
	free(line);
	return ok;
}

/* ---------------------------------------------------------------------- */
/* the file */

static int open_current(struct recorder *r)
{
	struct stat st;

	r->fd = open(r->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (r->fd < 0)
		return -errno;
	if (fstat(r->fd, &st) < 0)
		return -errno;
	r->size = (unsigned long long)st.st_size;
	return 0;
}

static int rotate(struct recorder *r)
{
	char from[PATH_MAX], to[PATH_MAX];
	unsigned int i;
	int err;

	close(r->fd);
	r->fd = -1;
	for (i = r->keep; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", r->path);
		else
			snprintf(from, sizeof(from), "%s.%u", r->path, i - 1);
		snprintf(to, sizeof(to), "%s.%u", r->path, i);
		if (rename(from, to) < 0 && errno != ENOENT)
			return -errno;
	}
	if (!r->keep && unlink(r->path) < 0 && errno != ENOENT)
		return -errno;
	err = open_current(r);
	if (err)
		return err;
	/* the renames and the new file's name on disk before a line goes into it */
	return fsync(r->dirfd) < 0 ? -errno : 0;
}

/* One whole line, on disk before we return. */
static int append_line(struct recorder *r, const char *line, size_t len)
{
	size_t off = 0;
	int err;

	if (r->size && r->size + len > r->max_size) {
		err = rotate(r);
		if (err)
			return err;
	}
	while (off < len) {
		ssize_t n = write(r->fd, line + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			/* never leave a torn line behind a later one */
			if (off && ftruncate(r->fd, (off_t)r->size) < 0)
				note("%s: %s", r->path, strerror(errno));
			return err;
		}
		off += (size_t)n;
	}
	if (fdatasync(r->fd) < 0)
		return -errno;
	r->size += len;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* the journal's native protocol */

struct jfields {
	struct iovec iov[64];
	char store[8192];
	size_t used;
	unsigned int n;
};

static void jadd(struct jfields *f, const char *key, const char *val)
{
	size_t klen = strlen(key), vlen = strlen(val);
	char *p = f->store + f->used;

	if (f->n + 1 > ARRAY_SIZE(f->iov))
		return;
	if (!strchr(val, '\n')) {
		/* KEY=value\n */
		if (f->used + klen + vlen + 2 > sizeof(f->store))
			return;
		memcpy(p, key, klen);
		p[klen] = '=';
		memcpy(p + klen + 1, val, vlen);
		p[klen + 1 + vlen] = '\n';
		f->used += klen + vlen + 2;
	} else {
		/* KEY\n, 64-bit little-endian length, value, \n */
		unsigned int i;

		if (f->used + klen + 1 + 8 + vlen + 1 > sizeof(f->store))
			return;
		memcpy(p, key, klen);
		p[klen] = '\n';
		for (i = 0; i < 8; i++)
			p[klen + 1 + i] = (char)((unsigned long long)vlen >> (8 * i));
		memcpy(p + klen + 9, val, vlen);
		p[klen + 9 + vlen] = '\n';
		f->used += klen + vlen + 10;
	}
	f->iov[f->n].iov_base = p;
	f->iov[f->n].iov_len = f->store + f->used - p;
	f->n++;
}

static void __printf(3, 4) jaddf(struct jfields *f, const char *key, const char *fmt, ...)
{
	char val[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	jadd(f, key, val);
}

static void journal_send(struct recorder *r, struct jfields *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct msghdr mh = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = f->iov,
		.msg_iovlen = f->n,
	};

	if (r->journal_fd < 0)
		r->journal_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", r->journal_path);
	if (r->journal_fd < 0 || sendmsg(r->journal_fd, &mh, MSG_NOSIGNAL) < 0) {
		if (!r->journal_warned)
			note("journal %s: %s (events still go to %s)",
			     r->journal_path, strerror(errno), r->path);
		r->journal_warned = true;
		return;
	}
	r->journal_warned = false;
}

static void journal_event(struct recorder *r, const struct oomsnap_record *rec,
			  const struct oomsnap_diagnosis *d)
{
	static struct jfields f;
	char buf[OOMSNAP_DIAG_MAX_LINES * (OOMSNAP_DIAG_LINE_LEN + 1) + 1];
	char gfp[160] = "";
	size_t used = 0;
	unsigned int i;
	const char *type = oomsnap_event_type_name(rec->type);
	const char *cause = oomsnap_cause_name(d->cause);

	memset(&f, 0, sizeof(f));
	if (rec->have & OOMSNAP_HAVE_GFP)
		oomsnap_gfp_format(rec->gfp, gfp, sizeof(gfp));
	jaddf(&f, "MESSAGE", "%s, seq %llu: cause %s%s%s%s%s", type, rec->seq,
	      cause, (rec->have & OOMSNAP_HAVE_TASK) ? ", task " : "",
	      (rec->have & OOMSNAP_HAVE_TASK) ? rec->task.comm : "",
	      (rec->have & OOMSNAP_HAVE_VICTIM) ? ", killed " : "",
	      (rec->have & OOMSNAP_HAVE_VICTIM) ? rec->victim.comm : "");
	/* warning for the OOM killer, notice for failures and manual captures */
	jadd(&f, "PRIORITY", rec->type == OOMSNAP_EVENT_OOM ||
	     rec->type == OOMSNAP_EVENT_MEMCG_OOM ? "4" : "5");
	jadd(&f, "SYSLOG_IDENTIFIER", "oomsnap");
	jaddf(&f, "OOMSNAP_SEQ", "%llu", rec->seq);
	jadd(&f, "OOMSNAP_TYPE", type);
	jadd(&f, "OOMSNAP_CAUSE", cause);
	for (i = 0; i < OOMSNAP_CAUSE_NR; i++)
		if (d->contributing & (1U << i))
			jadd(&f, "OOMSNAP_CONTRIBUTING", oomsnap_cause_name(i));
	if (rec->have & OOMSNAP_HAVE_ORDER)
		jaddf(&f, "OOMSNAP_ORDER", "%d", rec->order);
	if (gfp[0])
		jadd(&f, "OOMSNAP_GFP", gfp);
	if (rec->have & OOMSNAP_HAVE_TASK) {
		jadd(&f, "OOMSNAP_TASK", rec->task.comm);
		jaddf(&f, "OOMSNAP_PID", "%d", rec->task.pid);
	}
	if (rec->have & OOMSNAP_HAVE_VICTIM) {
		jadd(&f, "OOMSNAP_VICTIM", rec->victim.comm);
		jaddf(&f, "OOMSNAP_VICTIM_PID", "%d", rec->victim.pid);
	}
	if (rec->have & OOMSNAP_HAVE_MEMCG)
		jadd(&f, "OOMSNAP_MEMCG", rec->memcg_path);
	buf[0] = '\0';
	for (i = 0; i < d->nr_evidence && i < OOMSNAP_DIAG_MAX_LINES; i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%.*s",
					 i ? "\n" : "", OOMSNAP_DIAG_LINE_LEN,
					 d->evidence[i]);
	if (buf[0])
		jadd(&f, "OOMSNAP_EVIDENCE", buf);
	journal_send(r, &f);
}

static void journal_gap(struct recorder *r, unsigned long long from,
			unsigned long long to)
{
	static struct jfields f;

	memset(&f, 0, sizeof(f));
	jaddf(&f, "MESSAGE", "records %llu-%llu were overwritten in the ring before they were recorded",
	      from, to);
	jadd(&f, "PRIORITY", "4");
	jadd(&f, "SYSLOG_IDENTIFIER", "oomsnap");
	jaddf(&f, "OOMSNAP_LOST_FIRST", "%llu", from);
	jaddf(&f, "OOMSNAP_LOST_LAST", "%llu", to);
	journal_send(r, &f);
}

/* ---------------------------------------------------------------------- */
/* events */

/* Record one event: the file first (it decides), then the journal. */
static int record_event(struct recorder *r, const struct oomsnap_record *rec)
{
	static struct oomsnap_diagnosis diag;
	char *obj = NULL, *line = NULL;
	size_t objlen = 0;
	int len, err;
	FILE *mem = open_memstream(&obj, &objlen);

	if (!mem)
		return -errno;
	r->event_json(mem, rec);
	if (fclose(mem) || objlen < 2 || obj[0] != '{' || obj[objlen - 1] != '\n') {
		free(obj);
		return -EIO;
	}
	/* {"boot_id":"...", then the object's own members */
	len = asprintf(&line, "{\"boot_id\":\"%s\",%s", r->boot_id, obj + 1);
	free(obj);
	if (len < 0)
		return -ENOMEM;
	err = append_line(r, line, (size_t)len);
	free(line);
	if (err)
		return err;
	r->last_seq = rec->seq;
	if (r->journal_path) {
		oomsnap_diagnose(rec, &diag);
		journal_event(r, rec, &diag);
	}
	return 0;
}

struct batch {
	struct recorder *r;
	unsigned long long written;
	unsigned long long max_seen;	/* newest seq in the ring */
	unsigned long long count;	/* stop after this many, 0: never */
	int err;
	bool first;		/* the first batch after start */
};

static int on_record(void *ctx, const struct oomsnap_record *rec)
{
	struct batch *b = ctx;
	struct recorder *r = b->r;

	if (rec->seq > b->max_seen)
		b->max_seen = rec->seq;
	if (rec->seq <= r->last_seq)
		return 0;
	if (r->last_seq && rec->seq > r->last_seq + 1) {
		note("records %llu-%llu were overwritten in the ring before they were recorded",
		     r->last_seq + 1, rec->seq - 1);
		if (r->journal_path)
			journal_gap(r, r->last_seq + 1, rec->seq - 1);
	}
	b->err = record_event(r, rec);
	if (b->err)
		return -1;
	b->written++;
	return b->count && b->written >= b->count;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

#define USAGE "usage: oomsnap record [--file PATH] [--max-size BYTES[K|M|G]] [--keep N] [--journal] [--journal-socket PATH] [--count N] [--no-follow]"

int oomsnap_cmd_record(const char *raw_path, int argc, char **argv,
		       oomsnap_event_json_fn event_json)
{
	struct recorder r = {
		.path = DEFAULT_FILE,
		.max_size = DEFAULT_MAX_SIZE,
		.keep = DEFAULT_KEEP,
		.fd = -1,
		.dirfd = -1,
		.journal_fd = -1,
		.event_json = event_json,
	};
	unsigned long long count = 0, v;
	struct oomsnap_reader rd;
	char dirbuf[PATH_MAX], prev[PATH_MAX], rec_boot[40];
	struct sigaction sa = { .sa_handler = on_signal };
	bool follow = true, have_pos;
	struct batch b = { .r = &r, .first = true };
	char *slash;
	int i, err, fd;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--file") && val) {
			r.path = val;
			i++;
		} else if (!strcmp(a, "--max-size") && val) {
			if (!parse_size(val, &r.max_size) || r.max_size < 4096)
				return bad(2, "record: bad --max-size \"%s\" (bytes, at least 4096; K, M, G suffixes)",
					   val);
			i++;
		} else if (!strcmp(a, "--keep") && val) {
			if (!parse_uint(val, MAX_KEEP, &v))
				return bad(2, "record: bad --keep \"%s\" (0-%d)", val, MAX_KEEP);
			r.keep = (unsigned int)v;
			i++;
		} else if (!strcmp(a, "--count") && val) {
			if (!parse_uint(val, ULLONG_MAX, &count) || !count)
				return bad(2, "record: bad --count \"%s\"", val);
			i++;
		} else if (!strcmp(a, "--journal")) {
			if (!r.journal_path)
				r.journal_path = JOURNAL_SOCKET;
		} else if (!strcmp(a, "--journal-socket") && val) {
			r.journal_path = val;
			i++;
		} else if (!strcmp(a, "--no-follow")) {
			follow = false;
		} else {
			return bad(2, "record: %s \"%s\"; " USAGE,
				   takes_value(a) ? "missing value for" : "unknown option", a);
		}
	}
	if (strlen(r.path) + 4 >= PATH_MAX)
		return bad(2, "record: --file path too long");
	if (!read_boot_id(r.boot_id, sizeof(r.boot_id)))
		return bad(2, "%s: %s", BOOT_ID_PATH, strerror(errno ? errno : EIO));

	/* the directory: created if missing, locked against a second recorder */
	snprintf(dirbuf, sizeof(dirbuf), "%s", r.path);
	slash = strrchr(dirbuf, '/');
	if (slash == dirbuf)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dirbuf, sizeof(dirbuf), ".");
	if (mkdir(dirbuf, 0700) < 0 && errno != EEXIST)
		return bad(2, "%s: %s", dirbuf, strerror(errno));
	r.dirfd = open(dirbuf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.dirfd < 0)
		return bad(2, "%s: %s", dirbuf, strerror(errno));
	if (flock(r.dirfd, LOCK_EX | LOCK_NB) < 0)
		return bad(2, "%s: %s", dirbuf, errno == EWOULDBLOCK ?
			   "another recorder is running here" : strerror(errno));

	/* where the last run stopped: PATH's last line, else PATH.1's */
	have_pos = file_position(r.path, true, rec_boot, sizeof(rec_boot), &v);
	if (!have_pos) {
		snprintf(prev, sizeof(prev), "%s.1", r.path);
		have_pos = file_position(prev, false, rec_boot, sizeof(rec_boot), &v);
	}
	if (have_pos && !strcmp(rec_boot, r.boot_id))
		r.last_seq = v;
	err = open_current(&r);
	if (!err && fsync(r.dirfd) < 0)
		err = -errno;
	if (err)
		return bad(2, "%s: %s", r.path, strerror(-err));

	fd = open(raw_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bad(2, "%s: %s%s", raw_path, strerror(errno),
			   errno == ENOENT ? " (is oomsnap.ko loaded and debugfs mounted?)" : "");
	if (oomsnap_reader_init(&rd, fd, raw_path))
		return bad(2, "out of memory");
	b.count = count;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (;;) {
		const char *rerr = oomsnap_reader_next(&rd, on_record, &b);

		if (b.err)
			return bad(2, "%s: %s", r.path, strerror(-b.err));
		if (rerr)
			return bad(2, "%s", rerr);
		/*
		 * The module was reloaded within this boot: its numbers start
		 * again, below what was recorded. Read the ring once more,
		 * from its start.
		 */
		if (b.first && !b.written && b.max_seen &&
		    b.max_seen < r.last_seq) {
			note("%s: sequence numbers restarted at %llu, below the %llu recorded (module reloaded?): recording all",
			     raw_path, b.max_seen, r.last_seq);
			r.last_seq = 0;
			b.first = false;
			oomsnap_reader_free(&rd);
			close(fd);
			fd = open(raw_path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || oomsnap_reader_init(&rd, fd, raw_path))
				return bad(2, "%s: %s", raw_path, strerror(errno));
			continue;
		}
		b.first = false;
		if ((count && b.written >= count) || !follow || stop)
			break;
		if (oomsnap_reader_wait(&rd, &stop) < 0)
			return bad(2, "%s: poll: %s", raw_path, strerror(errno));
		if (stop)
			break;
	}
	oomsnap_reader_free(&rd);
	close(fd);
	close(r.fd);
	close(r.dirfd);
	if (r.journal_fd >= 0)
		close(r.journal_fd);
	return 0;
}
