/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A struct oomsnap_record as the engine takes it in (decode.c): decoded
 * from untrusted bytes, or blank for the log parser to fill; and the few
 * sums every reader of a record needs.
 */
#ifndef OOMSNAP_DECODE_H
#define OOMSNAP_DECODE_H

#include "base.h"
#include "oomsnap.h"

/* Largest record size accepted from a future writer. */
#define OOMSNAP_RECORD_SIZE_MAX	(1024U * 1024U)

/*
 * The size the record at @buf (@len bytes) says it has, when its 8-byte
 * header is one oomsnap_record_decode() accepts; 0 otherwise. A stream
 * reader holding fewer bytes than that waits for more before decoding.
 */
__u32 oomsnap_record_size(const void *buf, size_t len);

/*
 * Decode one record from @buf (@len bytes): accepts any size >= VER0's,
 * copies what this build knows, zeroes the rest. Returns the bytes consumed
 * (> 0) or a negative errno with *@err set to a one-line reason.
 */
long oomsnap_record_decode(const void *buf, size_t len,
			   struct oomsnap_record *out, const char **err);

/* Zeroed record with magic/size/page_size set: the parser's blank sheet. */
void oomsnap_record_init(struct oomsnap_record *rec);

/* Page counts to kB for @rec's page size. */
__u64 oomsnap_pages_kb(const struct oomsnap_record *rec, __u64 pages);

/* mem[@idx] (enum oomsnap_mem) holds @pages: the one way to fill a slot. */
static inline void oomsnap_mem_set(struct oomsnap_record *rec, unsigned int idx,
				   __u64 pages)
{
	rec->mem[idx] = pages;
	rec->mem_have |= 1ULL << idx;
}

/* A task's resident pages, as the OOM killer counts them: anon + file + shmem. */
static inline __u64 oomsnap_task_rss(const struct oomsnap_task *t)
{
	return t->rss_anon + t->rss_file + t->rss_shmem;
}

#endif /* OOMSNAP_DECODE_H */
