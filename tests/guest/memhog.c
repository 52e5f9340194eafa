// SPDX-License-Identifier: GPL-2.0
/*
 * memhog: a guest-side memory consumer for the oomsnap scenarios. Static,
 * libc only. It allocates anonymous memory in chunks and touches every page,
 * until its limit (then it holds the memory until killed) or until the OOM
 * killer ends it.
 *
 *   memhog [-L] [-w MORE_MB] [-n NODE] [-c CHUNK_MB] [-l LIMIT_MB] [-s SPARSE_MB] [-r FILE]
 *
 *   -L           mlockall(MCL_CURRENT | MCL_FUTURE) first: pages can't be swapped
 *   -n NODE      bind every allocation to NUMA node NODE (set_mempolicy MPOL_BIND)
 *   -c CHUNK_MB  allocation unit (default 4)
 *   -l LIMIT_MB  stop after LIMIT_MB, print "memhog: holding N MB", write FILE
 *                if -r was given, and wait to be killed (default: no limit)
 *   -s SPARSE_MB map one region of SPARSE_MB first (it needs overcommit), then
 *                touch it page by page instead of allocating chunks
 *   -w MORE_MB   at the limit, hold only until SIGUSR1, then allocate MORE_MB
 *                more and hold (the same task allocates again: an OOM of its own)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_BIND	2	/* include/uapi/linux/mempolicy.h */
#define MB		(1024UL * 1024UL)

static unsigned long page_size;

static void die(const char *what)
{
	fprintf(stderr, "memhog: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned long parse_ulong(const char *s, const char *opt)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "memhog: %s: not a number: '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

/* Write one byte per page: enough to make the kernel back every page. */
static void touch(char *p, unsigned long len)
{
	unsigned long off;

	for (off = 0; off < len; off += page_size)
		p[off] = 1;
}

static volatile sig_atomic_t resume;

static void on_usr1(int sig)
{
	(void)sig;
	resume = 1;
}

/* Hold the memory until killed, or with -w until SIGUSR1 (then return). */
static void hold(unsigned long mb, const char *ready_file, int wait_resume)
{
	printf("memhog: holding %lu MB\n", mb);
	fflush(stdout);
	if (ready_file) {
		int fd = open(ready_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0)
			die(ready_file);
		close(fd);
	}
	while (!(wait_resume && resume))
		pause();
	printf("memhog: going on from %lu MB\n", mb);
}

int main(int argc, char **argv)
{
	unsigned long chunk_mb = 4, limit_mb = 0, sparse_mb = 0, more_mb = 0, done_mb = 0;
	const char *ready_file = NULL;
	int lock = 0, node = -1, wait_resume = 0, opt;

	while ((opt = getopt(argc, argv, "Lw:n:c:l:s:r:")) != -1) {
		switch (opt) {
		case 'L': lock = 1; break;
		case 'w':
			more_mb = parse_ulong(optarg, "-w");
			wait_resume = 1;
			break;
		case 'n': node = (int)parse_ulong(optarg, "-n"); break;
		case 'c': chunk_mb = parse_ulong(optarg, "-c"); break;
		case 'l': limit_mb = parse_ulong(optarg, "-l"); break;
		case 's': sparse_mb = parse_ulong(optarg, "-s"); break;
		case 'r': ready_file = optarg; break;
		default:
			fprintf(stderr, "usage: memhog [-L] [-w MORE_MB] [-n NODE] [-c CHUNK_MB] "
				"[-l LIMIT_MB] [-s SPARSE_MB] [-r FILE]\n");
			return 2;
		}
	}
	if (optind != argc || chunk_mb == 0 || node > 63) {
		fprintf(stderr, "memhog: bad arguments\n");
		return 2;
	}
	page_size = (unsigned long)sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (wait_resume)
		signal(SIGUSR1, on_usr1);

	if (lock && mlockall(MCL_CURRENT | MCL_FUTURE))
		die("mlockall");
	if (node >= 0) {
		unsigned long mask = 1UL << node;

		if (syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 64))
			die("set_mempolicy");
	}

	if (sparse_mb) {
		char *p = mmap(NULL, sparse_mb * MB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap (sparse)");
		printf("memhog: mapped %lu MB\n", sparse_mb);
		for (done_mb = 0; done_mb < sparse_mb; done_mb++)
			touch(p + done_mb * MB, MB);
		hold(done_mb, ready_file, 0);
	}

	for (;;) {
		char *p;

		if (limit_mb && done_mb + chunk_mb > limit_mb) {
			hold(done_mb, ready_file, wait_resume);
			/* resumed: MORE_MB more, then hold for good */
			limit_mb = done_mb + more_mb;
			wait_resume = 0;
		}
		p = mmap(NULL, chunk_mb * MB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		touch(p, chunk_mb * MB);
		done_mb += chunk_mb;
	}
}
