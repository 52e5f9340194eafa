/* SPDX-License-Identifier: GPL-2.0 */
/* oomsnap explain, beyond its command (cli.h): the fuzzer's entry. */
#ifndef OOMSNAP_EXPLAIN_H
#define OOMSNAP_EXPLAIN_H

/*
 * One descriptor as a whole explain run (tests/fuzz), left open: the
 * number of reports, or -1 on a read error.
 */
long explain_fd(int fd);

#endif /* OOMSNAP_EXPLAIN_H */
