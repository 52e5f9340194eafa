// SPDX-License-Identifier: GPL-2.0
/*
 * sleepers: start N processes that only sleep, so that a benchmark can grow
 * the task list a capture walks (bench/capture-cost.sh). Each child costs
 * little memory (it shares the parent's pages until it exits).
 *
 *   sleepers N
 *
 * Prints "sleepers: N ready" once all are started; on SIGTERM or SIGINT it
 * kills and reaps them all, then exits.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	long n, i, started = 0;
	pid_t *pids;

	if (argc != 2 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: sleepers N\n");
		return 2;
	}
	pids = calloc(n, sizeof(*pids));
	if (!pids) {
		perror("sleepers: calloc");
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (i = 0; i < n && !stop; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("sleepers: fork");
			break;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			for (;;)
				pause();
		}
		pids[started++] = pid;
	}
	printf("sleepers: %ld ready\n", started);
	fflush(stdout);
	while (!stop)
		pause();
	for (i = 0; i < started; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < started; i++)
		waitpid(pids[i], NULL, 0);
	return 0;
}
