// SPDX-License-Identifier: GPL-2.0
/*
 * Xen: what kind of domain this is, its balloon, and in dom0 the limits of
 * xen-blkback's page pools.
 *
 * The balloon counters are read at capture time without balloon_mutex:
 * each is one word, and a snapshot taken while the balloon moves is still
 * a fair picture of that instant.
 *
 * blkback can't be read at capture time: its parameters live in another
 * module that may be unloaded under us, and its backends are listed in
 * xenstore, which needs a sleeping round trip to xenstored. So a delayed
 * work in process context refreshes a small cache once per
 * xen_refresh_ms, and the capture path copies the cache under a seqcount
 * (the writer runs with interrupts off so that a capture in an interrupt
 * on its CPU never spins on it). Off Xen, or in a domU, no work is ever
 * scheduled.
 *
 * What a module can't see: the pages blkback's rings actually hold (free
 * page cache, persistent grants: counters inside blkback's private
 * structures) and, with CONFIG_XEN_UNPOPULATED_ALLOC, how many grant
 * frames are in use (they come from unused physical address space, so
 * they cost no RAM but their struct pages). The record says so.
 *
 * Built only into kernels with CONFIG_XEN (module/objs.mk); xen.h has the
 * stubs for the others.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <xen/xen.h>
#include <xen/xenbus.h>
#ifdef CONFIG_XEN_BALLOON
#include <xen/balloon.h>
#endif

#include "xen.h"

static unsigned int xen_refresh_ms = 1000;
module_param(xen_refresh_ms, uint, 0644);
MODULE_PARM_DESC(xen_refresh_ms,
		 "dom0: how often the xen-blkback limits and backends are re-read for snapshots, in ms (default 1000, minimum 100)");

#define XEN_REFRESH_MIN_MS	100
#define BLKBACK_MODULE		"xen_blkback"
/* Enough for any test host and most real ones; more are counted as capped. */
#define MAX_FRONTEND_DOMAINS	256
#define MAX_VBDS_PER_DOMAIN	64
#define READ_TRIES		4
/* enum xenbus_state's XenbusStateConnected, fixed by the xenbus protocol */
#define BACKEND_CONNECTED	4

/* What the capture path copies: filled by refresh_blkback(). */
struct blkback_view {
	u32 status;			/* OK: loaded; NOT_LOADED: not loaded */
	u32 vbds;
	u32 rings;
	u32 max_ring_order;
	u64 max_buffer_pages;
	u64 max_persistent_grants;
};

static struct blkback_view blkback_view = {
	.status = OOMSNAP_NOT_LOADED,
};

static seqcount_t blkback_seq = SEQCNT_ZERO(blkback_seq);
static DEFINE_MUTEX(refresh_lock);	/* one writer */
static struct delayed_work refresh_work;
static bool xenstore_up;		/* under refresh_lock */
static bool xen_active;

static u32 domain_kind(void)
{
	bool dom0 = xen_initial_domain();

	if (xen_pv_domain())
		return dom0 ? OOMSNAP_XEN_PV_DOM0 : OOMSNAP_XEN_PV_DOMU;
	if (xen_pvh_domain())
		return dom0 ? OOMSNAP_XEN_PVH_DOM0 : OOMSNAP_XEN_PVH_DOMU;
	return OOMSNAP_XEN_HVM_DOMU;
}

/* --- xen-blkback's parameters ------------------------------------------ */

static bool param_value(const struct kernel_param *kp, u64 *val)
{
	if (kp->ops == &param_ops_int) {
		int v = READ_ONCE(*(int *)kp->arg);

		*val = v > 0 ? v : 0;
		return true;
	}
	if (kp->ops == &param_ops_uint) {
		*val = READ_ONCE(*(unsigned int *)kp->arg);
		return true;
	}
	return false;
}

/*
 * find_module() isn't exported: look the module up by name in the same
 * kset that holds our own module's kobject (/sys/module). The kobject
 * reference keeps struct module alive; try_module_get() keeps its
 * parameters' storage there while we read it.
 */
static bool read_blkback_params(struct blkback_view *v)
{
	struct module_kobject *mk;
	struct kobject *kobj;
	struct module *mod;
	unsigned int i;
	u64 val;

	kobj = kset_find_obj(THIS_MODULE->mkobj.kobj.kset, BLKBACK_MODULE);
	if (!kobj)
		return false;
	mk = container_of(kobj, struct module_kobject, kobj);
	mod = mk->mod;
	if (!mod || !try_module_get(mod)) {
		kobject_put(kobj);
		return false;
	}
	for (i = 0; i < mod->num_kp; i++) {
		const struct kernel_param *kp = &mod->kp[i];

		if (!param_value(kp, &val))
			continue;
		if (!strcmp(kp->name, "max_buffer_pages"))
			v->max_buffer_pages = val;
		else if (!strcmp(kp->name, "max_persistent_grants"))
			v->max_persistent_grants = val;
		else if (!strcmp(kp->name, "max_ring_page_order"))
			v->max_ring_order = val;
	}
	module_put(mod);
	kobject_put(kobj);
	return true;
}

/* --- backends, from xenstore ------------------------------------------- */

/* Rings of one connected backend: the frontend's negotiated queues. */
static u32 backend_rings(const char *path)
{
	char *frontend;
	u32 queues;

	frontend = xenbus_read(XBT_NIL, path, "frontend", NULL);
	if (IS_ERR(frontend))
		return 1;
	queues = xenbus_read_unsigned(frontend, "multi-queue-num-queues", 1);
	kfree(frontend);
	return queues ? queues : 1;
}

static void count_backends(struct blkback_view *v)
{
	unsigned int nd, nv, d, i;
	char **doms, **vbds;
	char path[64];

	doms = xenbus_directory(XBT_NIL, "backend/vbd", "", &nd);
	if (IS_ERR(doms))
		return;		/* no backend yet */
	for (d = 0; d < nd && d < MAX_FRONTEND_DOMAINS; d++) {
		snprintf(path, sizeof(path), "backend/vbd/%s", doms[d]);
		vbds = xenbus_directory(XBT_NIL, path, "", &nv);
		if (IS_ERR(vbds))
			continue;
		for (i = 0; i < nv && i < MAX_VBDS_PER_DOMAIN; i++) {
			snprintf(path, sizeof(path), "backend/vbd/%s/%s",
				 doms[d], vbds[i]);
			v->vbds++;
			if (xenbus_read_unsigned(path, "state", 0) ==
			    BACKEND_CONNECTED)
				v->rings += backend_rings(path);
		}
		kfree(vbds);
	}
	kfree(doms);
}

static void publish(const struct blkback_view *v)
{
	unsigned long flags;

	local_irq_save(flags);
	write_seqcount_begin(&blkback_seq);
	blkback_view = *v;
	write_seqcount_end(&blkback_seq);
	local_irq_restore(flags);
}

/*
 * A xenstore read waits for xenstored without a timeout. While one is in
 * flight the refresh holds a reference on this module, so that rmmod with
 * a hung xenstored fails (EWOULDBLOCK) instead of waiting for it forever in
 * cancel_delayed_work_sync(); once the module is going, no refresh starts.
 */
static void refresh_blkback(struct work_struct *work)
{
	struct blkback_view v = { .status = OOMSNAP_NOT_LOADED };
	unsigned int ms = max(READ_ONCE(xen_refresh_ms), XEN_REFRESH_MIN_MS);

	if (!try_module_get(THIS_MODULE))
		return;
	mutex_lock(&refresh_lock);
	if (read_blkback_params(&v)) {
		v.status = OOMSNAP_OK;
		if (xenstore_up)
			count_backends(&v);
	}
	publish(&v);
	mutex_unlock(&refresh_lock);
	schedule_delayed_work(&refresh_work, msecs_to_jiffies(ms));
	module_put(THIS_MODULE);
}

static int xenstore_ready(struct notifier_block *nb, unsigned long event,
			  void *data)
{
	mutex_lock(&refresh_lock);
	xenstore_up = true;
	mutex_unlock(&refresh_lock);
	mod_delayed_work(system_wq, &refresh_work, 0);
	return NOTIFY_DONE;
}

static struct notifier_block xenstore_nb = {
	.notifier_call = xenstore_ready,
};

void oomsnap_xen_init(void)
{
	if (!xen_initial_domain())
		return;
	INIT_DELAYED_WORK(&refresh_work, refresh_blkback);
	xen_active = true;
	schedule_delayed_work(&refresh_work, 0);
	/* Calls xenstore_ready() at once when xenstored already runs. */
	register_xenstore_notifier(&xenstore_nb);
}

void oomsnap_xen_exit(void)
{
	if (!xen_active)
		return;
	unregister_xenstore_notifier(&xenstore_nb);
	cancel_delayed_work_sync(&refresh_work);
	xen_active = false;
}

/* --- capture: copies only ---------------------------------------------- */

static void capture_blkback(struct oomsnap_xen *x)
{
	struct blkback_view v;
	unsigned int seq, tries = 0;

	x->blkback_held_status = OOMSNAP_NOT_EXPORTED;
	if (!xen_active) {
		/* the refresh runs in dom0 only: backends live there */
		x->blkback_status = OOMSNAP_NOT_DOM0;
		return;
	}
	do {
		if (tries++ == READ_TRIES) {
			x->blkback_status = OOMSNAP_LOCK_BUSY;
			return;
		}
		/* raw: never spin on a writer this CPU interrupted (NMI) */
		seq = raw_read_seqcount(&blkback_seq);
		if (seq & 1)
			continue;
		v = blkback_view;
	} while ((seq & 1) || read_seqcount_retry(&blkback_seq, seq));

	x->blkback_status = v.status;
	if (v.status != OOMSNAP_OK)
		return;
	x->blkback_vbds = v.vbds;
	x->blkback_rings = v.rings;
	x->blkback_max_ring_order = v.max_ring_order;
	x->blkback_max_buffer_pages = v.max_buffer_pages;
	x->blkback_max_persistent_grants = v.max_persistent_grants;
	/* Per ring: the free-page cache plus the persistent grants. */
	x->blkback_pages_worst = (u64)v.rings *
		(v.max_buffer_pages + v.max_persistent_grants);
}

static void capture_balloon(struct oomsnap_xen *x)
{
#ifdef CONFIG_XEN_BALLOON
	x->balloon_status = OOMSNAP_OK;
	x->balloon_current = READ_ONCE(balloon_stats.current_pages);
	x->balloon_target = READ_ONCE(balloon_stats.target_pages);
	x->balloon_low = READ_ONCE(balloon_stats.balloon_low);
	x->balloon_high = READ_ONCE(balloon_stats.balloon_high);
#else
	x->balloon_status = OOMSNAP_NOT_CONFIGURED;
#endif
#if defined(CONFIG_XEN_UNPOPULATED_ALLOC)
	/*
	 * Grant frames (blkback's pools among them) come from unused address
	 * space, counted nowhere: they cost RAM only their struct pages.
	 */
	x->grant_status = OOMSNAP_NOT_EXPORTED;
#elif !defined(CONFIG_XEN_BALLOON)
	x->grant_status = OOMSNAP_NOT_CONFIGURED;
#else
	/* Ballooned-out pages lent for grant and foreign mappings. */
	x->grant_status = OOMSNAP_OK;
	x->grant_mapped_pages = READ_ONCE(balloon_stats.target_unpopulated);
#endif
}

void oomsnap_capture_xen(struct oomsnap_record *rec)
{
	struct oomsnap_xen *x = &rec->xen;

	if (!xen_domain()) {
		rec->xen_status = OOMSNAP_NOT_XEN;
		return;
	}
	x->domain = domain_kind();
	capture_balloon(x);
	capture_blkback(x);
	rec->xen_status = OOMSNAP_OK;
	rec->have |= OOMSNAP_HAVE_XEN;
}
