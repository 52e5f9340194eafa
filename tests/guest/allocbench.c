// SPDX-License-Identifier: GPL-2.0
/*
 * allocbench: an allocation-heavy guest workload for bench/alloc-cost.sh.
 * Every page fault on fresh anonymous memory and every fork allocates pages,
 * so the time it takes measures the page allocator's success path.
 *
 *   allocbench [-m MB] [-i ITERATIONS] [-f FORKS]
 *
 * Each iteration maps MB of anonymous memory, writes one byte per page,
 * unmaps it, then forks FORKS children that touch 16 pages and exit.
 * Prints "allocbench: N ms, P page faults" (monotonic clock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	unsigned long mb = 32, iterations = 8, forks = 32, i, f, off;
	long page = sysconf(_SC_PAGESIZE), start;
	struct rusage ru;
	int opt;

	while ((opt = getopt(argc, argv, "m:i:f:")) != -1) {
		switch (opt) {
		case 'm': mb = strtoul(optarg, NULL, 10); break;
		case 'i': iterations = strtoul(optarg, NULL, 10); break;
		case 'f': forks = strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: allocbench [-m MB] [-i ITERATIONS] [-f FORKS]\n");
			return 2;
		}
	}
	start = now_ms();
	for (i = 0; i < iterations; i++) {
		size_t len = mb << 20;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("allocbench: mmap");
			return 1;
		}
		for (off = 0; off < len; off += page)
			p[off] = 1;
		munmap(p, len);
		for (f = 0; f < forks; f++) {
			pid_t pid = fork();

			if (pid < 0) {
				perror("allocbench: fork");
				return 1;
			}
			if (pid == 0) {
				char *q = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (q != MAP_FAILED)
					for (off = 0; off < 16 * (unsigned long)page; off += page)
						q[off] = 1;
				_exit(0);
			}
			waitpid(pid, NULL, 0);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("allocbench: %ld ms, %ld page faults\n", now_ms() - start, ru.ru_minflt);
	return 0;
}
