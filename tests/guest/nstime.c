// SPDX-License-Identifier: GPL-2.0
/*
 * nstime: run a command and print how long it took in nanoseconds, for the
 * benchmarks that run QEMU with -icount shift=0, where the guest's clock
 * advances one nanosecond per instruction: the figure is then an
 * instruction count, finer than allocbench's milliseconds.
 *
 *   nstime CMD [ARG...]
 *
 * The command's output comes first, then "nstime: N ns" (CLOCK_MONOTONIC,
 * from just before the fork to just after the wait). Exit status: the
 * command's, 127 when it could not be run.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long start, took;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: nstime CMD [ARG...]\n");
		return 2;
	}
	fflush(stdout);
	start = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("nstime: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("nstime: exec");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("nstime: waitpid");
		return 127;
	}
	took = now_ns() - start;
	printf("nstime: %lld ns\n", took);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}
