// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs interface, root only:
 *
 *   last     0400  newest record as text, with the diagnosis
 *   events   0400  every retained record as text, oldest first
 *   raw      0400  struct oomsnap_record, whole records per read(); read()
 *                  returns 0 once caught up, poll() waits for the next one
 *   stats    0400  counters, one "name value" per line
 *   control  0600  commands, see control.h; reading it lists them
 *
 * Readers copy records out of the ring into per-open buffers (a record is
 * ~18 KB and a diagnosis ~6 KB: never on the stack).
 *
 * Unload with files open: the files belong to the module, so rmmod fails
 * with EBUSY while one is open. "rmmod -f" (CONFIG_MODULE_FORCE_UNLOAD)
 * skips that check; then the files are removed, every poll() is woken and
 * sees EPOLLHUP, read() returns 0, and the unload waits until the last
 * open file is closed, so that no waiter is left on a freed wait queue
 * and no release() calls into freed code.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "control.h"
#include "debugfs.h"
#include "event.h"
#include "headroom.h"
#include "diagnose.h"
#include "render.h"
#include "stats.h"

static struct dentry *oomsnap_dir;
static atomic_t open_files = ATOMIC_INIT(0);
static bool going_away;
static DECLARE_WAIT_QUEUE_HEAD(last_close);

static void file_opened(void)
{
	atomic_inc(&open_files);
}

static void file_closed(void)
{
	if (atomic_dec_and_test(&open_files))
		wake_up(&last_close);
}

/* ---------------------------------------------------------------------- */
/* Text: the engine renders, seq_file collects */

struct text_ctx {
	loff_t pos;			/* index of rec among retained records */
	u64 seq;			/* rec->seq, 0 before the first */
	struct oomsnap_record rec;
	struct oomsnap_diagnosis diag;
};

static __printf(2, 0) void seq_vprintf_sink(void *ctx, const char *fmt,
					    va_list ap)
{
	seq_vprintf(ctx, fmt, ap);
}

struct oomsnap_printer oomsnap_seq_printer(struct seq_file *m)
{
	return (struct oomsnap_printer){ .vprintf = seq_vprintf_sink, .ctx = m };
}

static void show_record(struct seq_file *m, struct text_ctx *c)
{
	struct oomsnap_printer p = oomsnap_seq_printer(m);

	oomsnap_diagnose(&c->rec, &c->diag);
	oomsnap_print_record(&p, &c->rec, &c->diag);
}

static void show_empty(struct seq_file *m)
{
	seq_puts(m, "oomsnap: no event captured yet.\n"
		    "Counters are in stats; write \"snapshot\" to control for a manual capture.\n");
}

static int last_show(struct seq_file *m, void *v)
{
	struct text_ctx *c = m->private;

	if (!oomsnap_ring_copy_last(&oomsnap_ring, &c->rec)) {
		show_empty(m);
		return 0;
	}
	show_record(m, c);
	return 0;
}

static int last_open(struct inode *inode, struct file *file)
{
	struct text_ctx *c;
	int err;

	c = kvzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	err = single_open(file, last_show, c);
	if (err) {
		kvfree(c);
		return err;
	}
	file_opened();
	return 0;
}

static int text_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	file_closed();
	return seq_release(inode, file);
}

static int last_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	file_closed();
	return single_release(inode, file);
}

static const struct file_operations last_fops = {
	.owner		= THIS_MODULE,
	.open		= last_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= last_release,
};

/*
 * events: position n is the n-th retained record. seq_file restarts at
 * the position it stopped at, so keep the record of that position loaded
 * and walk forward from it; only a seek backwards starts over.
 */
static void *events_load(struct text_ctx *c, loff_t pos)
{
	u64 seq;

	if (pos < c->pos) {
		c->pos = -1;
		c->seq = 0;
	}
	while (c->pos < pos) {
		seq = oomsnap_ring_copy_next(&oomsnap_ring, c->seq, &c->rec);
		if (!seq)
			return NULL;
		c->seq = seq;
		c->pos++;
	}
	return c;
}

static void *events_start(struct seq_file *m, loff_t *pos)
{
	return events_load(m->private, *pos);
}

static void *events_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return events_load(m->private, *pos);
}

static void events_stop(struct seq_file *m, void *v)
{
}

static int events_show(struct seq_file *m, void *v)
{
	struct text_ctx *c = v;

	if (c->pos)
		seq_puts(m, "\n");
	show_record(m, c);
	return 0;
}

static const struct seq_operations events_sops = {
	.start	= events_start,
	.next	= events_next,
	.stop	= events_stop,
	.show	= events_show,
};

static int events_open(struct inode *inode, struct file *file)
{
	struct text_ctx *c;
	int err;

	c = kvzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->pos = -1;
	err = seq_open(file, &events_sops);
	if (err) {
		kvfree(c);
		return err;
	}
	((struct seq_file *)file->private_data)->private = c;
	file_opened();
	return 0;
}

static const struct file_operations events_fops = {
	.owner		= THIS_MODULE,
	.open		= events_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= text_release,
};

/* ---------------------------------------------------------------------- */
/* raw */

struct raw_ctx {
	struct mutex lock;		/* one read() at a time per open */
	u64 seq;			/* newest record handed out */
	struct oomsnap_record rec;
};

static int raw_open(struct inode *inode, struct file *file)
{
	struct raw_ctx *c;

	c = kvzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	mutex_init(&c->lock);
	file->private_data = c;
	file_opened();
	return nonseekable_open(inode, file);
}

static ssize_t raw_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	struct raw_ctx *c = file->private_data;
	size_t done = 0;
	ssize_t ret;
	u64 seq;

	if (count < sizeof(c->rec))
		return -EINVAL;
	if (READ_ONCE(going_away))
		return 0;

	mutex_lock(&c->lock);
	while (count - done >= sizeof(c->rec)) {
		seq = oomsnap_ring_copy_next(&oomsnap_ring, c->seq, &c->rec);
		if (!seq)
			break;
		if (copy_to_user(buf + done, &c->rec, sizeof(c->rec))) {
			ret = done ? done : -EFAULT;
			goto out;
		}
		c->seq = seq;
		done += sizeof(c->rec);
	}
	ret = done;
out:
	mutex_unlock(&c->lock);
	return ret;
}

static __poll_t raw_poll(struct file *file, struct poll_table_struct *wait)
{
	struct raw_ctx *c = file->private_data;

	poll_wait(file, &oomsnap_wait, wait);
	if (READ_ONCE(going_away))
		return EPOLLHUP | EPOLLERR;
	if (oomsnap_ring_ready(&oomsnap_ring, READ_ONCE(c->seq)))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static int raw_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	file_closed();
	return 0;
}

static const struct file_operations raw_fops = {
	.owner		= THIS_MODULE,
	.open		= raw_open,
	.read		= raw_read,
	.poll		= raw_poll,
	.release	= raw_release,
};

/* ---------------------------------------------------------------------- */
/* stats */

static int stats_show(struct seq_file *m, void *v)
{
	oomsnap_stats_show(m, &oomsnap_ring);
	seq_printf(m, "%-24s %d\n", "capture_nowarn",
		   READ_ONCE(oomsnap_settings.capture_nowarn));
	seq_printf(m, "%-24s %llu\n", "ratelimit_interval_ms",
		   div_u64(READ_ONCE(oomsnap_alloc_ratelimit.interval_ns),
			   NSEC_PER_MSEC));
	seq_printf(m, "%-24s %u\n", "ratelimit_burst",
		   READ_ONCE(oomsnap_alloc_ratelimit.burst));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* ---------------------------------------------------------------------- */
/* control */

static int control_apply(const struct oomsnap_control_cmd *cmd)
{
	struct oomsnap_request req = {
		.type = OOMSNAP_EVENT_MANUAL,
		.may_lock = true,
		.may_spin = true,
	};

	switch (cmd->op) {
	case OOMSNAP_CONTROL_CLEAR:
		oomsnap_ring_clear(&oomsnap_ring);
		return 0;
	case OOMSNAP_CONTROL_SNAPSHOT:
		oomsnap_stats_inc(OOMSNAP_COUNTER_MANUAL);
		if (!oomsnap_ratelimit_allow(&oomsnap_manual_ratelimit,
					     local_clock())) {
			oomsnap_stats_inc(OOMSNAP_COUNTER_DROPPED_RATELIMIT);
			return -EAGAIN;
		}
		return oomsnap_event_capture(&req) ? 0 : -EBUSY;
	case OOMSNAP_CONTROL_CAPTURE_NOWARN:
		WRITE_ONCE(oomsnap_settings.capture_nowarn, cmd->capture_nowarn);
		return 0;
	case OOMSNAP_CONTROL_RATELIMIT:
		oomsnap_ratelimit_set(&oomsnap_alloc_ratelimit,
				      cmd->ratelimit_ms, cmd->ratelimit_burst,
				      local_clock());
		return 0;
	}
	return -EINVAL;
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct oomsnap_control_cmd cmd;
	char buf[OOMSNAP_CONTROL_MAX_LEN];
	int err;

	/* one whole command per write, from the start: parse, then apply */
	if (*ppos != 0 || !count || count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (oomsnap_control_parse(buf, count, &cmd))
		return -EINVAL;
	err = control_apply(&cmd);
	return err ? err : count;
}

/* Reading control tells what it accepts: the reader's one-page manual. */
static const char control_help[] =
	"clear\n"
	"snapshot\n"
	"capture_nowarn=0|1\n"
	"ratelimit=<interval_ms>,<burst>\n";

static ssize_t control_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(ubuf, count, ppos, control_help,
				       sizeof(control_help) - 1);
}

static const struct file_operations control_fops = {
	.owner		= THIS_MODULE,
	.open		= simple_open,
	.read		= control_read,
	.write		= control_write,
};

/* ---------------------------------------------------------------------- */

void oomsnap_debugfs_init(void)
{
	/* debugfs errors are not fatal and need no checks (debugfs.h) */
	oomsnap_dir = debugfs_create_dir("oomsnap", NULL);
	debugfs_create_file("last", 0400, oomsnap_dir, NULL, &last_fops);
	debugfs_create_file("events", 0400, oomsnap_dir, NULL, &events_fops);
	debugfs_create_file("raw", 0400, oomsnap_dir, NULL, &raw_fops);
	debugfs_create_file("stats", 0400, oomsnap_dir, NULL, &stats_fops);
	debugfs_create_file("headroom", 0400, oomsnap_dir, NULL,
			    &oomsnap_headroom_fops);
	debugfs_create_file("control", 0600, oomsnap_dir, NULL,
			    &control_fops);
}

void oomsnap_debugfs_exit(void)
{
	int open;

	/* no new opens, and no file operation still running in ours */
	debugfs_remove(oomsnap_dir);
	WRITE_ONCE(going_away, true);
	wake_up_interruptible_all(&oomsnap_wait);
	while (!wait_event_timeout(last_close, !atomic_read(&open_files),
				   10 * HZ)) {
		open = atomic_read(&open_files);
		if (open)
			pr_warn("forced unload waits for %d open file(s) in debugfs oomsnap/ to be closed\n",
				open);
	}
}
