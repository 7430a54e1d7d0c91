// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The dm-iohang authors
 *
 * This file is released under the GPL.
 */

#include <linux/device-mapper.h>

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "dm-iohang.h"
#include "dm-iohang-bio-record.h"

#define CREATE_TRACE_POINTS
#include "dm_iohang_trace.h"

#define DM_MSG_PREFIX "iohang"

/*
 * iohang: the same as the linear target, except that a bio completing with
 * a retryable error is held until the device answers again or until the
 * per-device timeout has passed since its first failure; only then does
 * its original error reach the upper layer.  While bios are held, one of
 * them probes the device every retry interval; the first bio that
 * succeeds through the target (a probe, a retry or new I/O) sends every
 * held bio back down at once.  A storage outage shorter than the timeout
 * looks like slow I/O to the filesystem above instead of an I/O error.
 */

#define IOHANG_MAX_PENDING_EVENTS 8

/*
 * Held bios expire at most this long after their timeout (and no more than
 * one retry interval after it), so that bios which failed within a moment
 * of each other time out together, in one event.
 */
#define IOHANG_MAX_EXPIRY_BATCH_MS 1000U

/*
 * A bio failing this soon after the device answered does not start a new
 * hang: under a busy device with a bad region, each write to it would
 * otherwise give a hang and a recovery.  It is held all the same, and a
 * probe that fails with it once this time has passed starts the hang.
 */
#define IOHANG_HANG_HOLDOFF_MS 1000U

/* Which held bios a sign of life sends back down (the larger wins). */
enum iohang_answer {
	IOHANG_ANSWER_NONE,
	/* All but the stragglers: new I/O or a retry succeeded. */
	IOHANG_ANSWER_FRESH,
	/* All of them: a probe, one of the held bios, succeeded. */
	IOHANG_ANSWER_ALL,
};

enum iohang_action {
	IOHANG_HANG,
	IOHANG_RECOVER,
	IOHANG_TIMEOUT,
	IOHANG_FAIL_ALL,
	IOHANG_REQUEUE,
};

/* What a uevent reports, as it was when the transition happened. */
struct iohang_event {
	enum iohang_action action;
	unsigned int count;		/* bios failed or requeued */
	unsigned int duration_ms;
	unsigned int held;
	blk_status_t error;
};

struct iohang_stats {
	unsigned long long hang_events;
	unsigned long long recovered;
	unsigned long long timed_out;
	unsigned long long retries;
	unsigned long long overflowed;
	unsigned long long released;
	unsigned int longest_hang_ms;
};

struct iohang_c {
	struct dm_target *ti;
	struct dm_dev *dev;
	/* The iohang device, as the trace events name it. */
	dev_t devt;
	sector_t start;
	unsigned long flags;
	unsigned int retry_on;
	unsigned int max_held;

	spinlock_t lock;	/* protects everything below */
	unsigned int timeout_ms;
	unsigned int retry_interval_ms;
	/*
	 * Bios waiting for their next resubmission.  Bios that have not been
	 * retried yet are in the order they failed; the worker takes the list
	 * out to walk it and puts what it keeps back in front.
	 */
	struct bio_list held_bios;
	/* Bios back from a resubmission, for the worker to complete. */
	struct bio_list done_bios;
	/*
	 * Bios owned by iohang: held, resubmitted and not back, or waiting to
	 * be completed.  A bio leaves the count only once bio_endio() has
	 * returned, so when it drops to 0 dm core is done with all of them.
	 */
	unsigned int nr_held;
	/*
	 * The device is down: a bio failed on its first attempt and nothing
	 * has succeeded through the target since.
	 */
	bool hung;
	bool probing;
	bool retry_requested;
	/* Held bios that have not been retried since the device answered. */
	bool unanswered;
	/* The device answered: the worker resubmits the held bios at once. */
	enum iohang_answer answer;
	/* When an answer last ended a hang. */
	unsigned long answered_at;
	/* The held bios need a walk now: a new timeout applies to them. */
	bool walk_requested;
	bool pushing_back;
	bool suspended;
	/*
	 * Bios released by fail_all, or handed back by a noflush suspend,
	 * after they came back from a retry: the event that ends the hang
	 * reports them.
	 */
	unsigned int late_released;
	unsigned int requeued;
	unsigned long hang_start;
	unsigned long next_retry;
	unsigned long next_expiry;
	blk_status_t last_error;
	/* Bumped by fail_all, so resubmitted bios fail when they return. */
	unsigned int release_gen;
	unsigned int nr_events;
	struct iohang_event events[IOHANG_MAX_PENDING_EVENTS];
	struct iohang_stats stats;

	struct delayed_work work;
	struct work_struct event_work;
	wait_queue_head_t all_released;

	/*
	 * The device's name and uuid when an event was last sent (or the
	 * table loaded): at removal dm_copy_name_and_uuid() fails, and the
	 * last events still name the device.  Only the event work uses them.
	 */
	char name[DM_NAME_LEN];
	char uuid[DM_UUID_LEN];
};

enum feature_flag_bits {
	IOHANG_FEATURE_RETRY_ALL,
	IOHANG_FEATURE_HOLD_NEW_IO,
	IOHANG_FEATURE_FAIL_FLUSH,
};

enum iohang_bio_flags {
	IOHANG_BIO_HELD = 1,
	IOHANG_BIO_RELEASED = 2,
	IOHANG_BIO_PROBE = 4,
	/* Resubmitted because the device answered. */
	IOHANG_BIO_ANSWERED = 8,
	/*
	 * Failed again although the device answered: retried only by the
	 * retry clock (and the probe that succeeds), so that one bad sector
	 * under a busy device is not resubmitted after every success.
	 */
	IOHANG_BIO_STRAGGLER = 16,
};

struct iohang_bio {
	struct iohang_bio_record record;
	unsigned long first_failure;
	unsigned int release_gen;
	/* The status of the first failure: what the bio fails with at last. */
	blk_status_t error;
	/* The status the worker completes the bio with, once it is back. */
	blk_status_t final_status;
	u8 flags;
	/* What the bio ends the hang with, if it is the last one held. */
	u8 closing_action;
	/*
	 * For the trace events only, so last: map writes only the record and
	 * the flags, and those stay together.  The time held is measured in
	 * ns: first_failure is in jiffies, 4 ms at HZ=250.
	 */
	u64 held_since_ns;
	unsigned int attempts;		/* resubmissions */
};

/* The completion statuses retry_on can name, in canonical order. */
static const struct {
	const char *name;
	blk_status_t status;
} iohang_statuses[] = {
	{ DM_IOHANG_STS_IOERR, BLK_STS_IOERR },
	{ DM_IOHANG_STS_TRANSPORT, BLK_STS_TRANSPORT },
	{ DM_IOHANG_STS_TIMEOUT, BLK_STS_TIMEOUT },
	{ DM_IOHANG_STS_OFFLINE, BLK_STS_OFFLINE },
	{ DM_IOHANG_STS_MEDIUM, BLK_STS_MEDIUM },
	{ DM_IOHANG_STS_NOSPC, BLK_STS_NOSPC },
};

/* ioerr and transport, in the order of iohang_statuses[]. */
#define IOHANG_RETRY_ON_DEFAULT (BIT(0) | BIT(1))

static struct workqueue_struct *kiohangd;

/*
 * dm_next_uevent_seq() is not exported to modules; in tree DM_SEQNUM would
 * come from it.  One counter for the module orders every iohang event,
 * across table reloads too.
 */
static atomic_t iohang_uevent_seq = ATOMIC_INIT(0);

/* Debug counters: the worker's longest run, and its longest with IRQs off. */
static unsigned int longest_work_us;
module_param(longest_work_us, uint, 0644);
MODULE_PARM_DESC(longest_work_us,
		 "Longest run of the retry worker in microseconds (write 0 to reset)");
static unsigned int longest_locked_us;
module_param(longest_locked_us, uint, 0644);
MODULE_PARM_DESC(longest_locked_us,
		 "Longest time the retry worker held a device's lock, in microseconds (write 0 to reset)");

/*
 * sscanf("%u") silently truncates values beyond 32 bits, so numbers are
 * read with kstrtouint(), which refuses overflow and trailing garbage; the
 * bounds and the error text still come from a struct dm_arg.
 */
static int iohang_read_arg(const struct dm_arg *arg, struct dm_arg_set *as,
			   unsigned int *value, char **error)
{
	const char *word = dm_shift_arg(as);

	if (!word || kstrtouint(word, 10, value) ||
	    *value < arg->min || *value > arg->max) {
		*error = arg->error;
		return -EINVAL;
	}
	return 0;
}

static int iohang_parse_retry_on(const char *list, unsigned int *mask,
				 char **error)
{
	const char *word = list;
	size_t len;
	int i;

	*mask = 0;
	for (;;) {
		len = strcspn(word, DM_IOHANG_RETRY_ON_SEPARATOR);
		for (i = 0; i < ARRAY_SIZE(iohang_statuses); i++)
			if (len == strlen(iohang_statuses[i].name) &&
			    !strncasecmp(word, iohang_statuses[i].name, len))
				break;
		if (i == ARRAY_SIZE(iohang_statuses)) {
			*error = "Invalid retry_on status";
			return -EINVAL;
		}
		if (*mask & BIT(i)) {
			*error = "Status in retry_on duplicated";
			return -EINVAL;
		}
		*mask |= BIT(i);
		if (!word[len])
			return 0;
		word += len + 1;
	}
}

static int parse_features(struct dm_arg_set *as, struct iohang_c *ic,
			  struct dm_target *ti)
{
	static const struct dm_arg _args[] = {
		{0, DM_IOHANG_MAX_OPT_WORDS, "Invalid number of feature args"},
		{1, DM_IOHANG_MAX_RETRY_INTERVAL_MS, "Invalid retry_interval_ms"},
		{1, DM_IOHANG_MAX_HELD_LIMIT, "Invalid max_held"},
	};
	bool interval_seen = false, retry_on_seen = false, probe_seen = false;
	const char *arg_name;
	unsigned int argc;
	int r;

	if (!as->argc)
		return 0;

	r = iohang_read_arg(_args, as, &argc, &ti->error);
	if (r)
		return r;
	if (argc > as->argc) {
		ti->error = "Insufficient feature arguments";
		return -EINVAL;
	}

	while (argc) {
		arg_name = dm_shift_arg(as);
		argc--;

		/* Probing is the default since 1.2.0: the word changes nothing. */
		if (!strcasecmp(arg_name, DM_IOHANG_OPT_PROBE)) {
			if (probe_seen) {
				ti->error = "Feature probe duplicated";
				return -EINVAL;
			}
			probe_seen = true;
			continue;
		}

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_RETRY_ALL)) {
			if (test_and_set_bit(IOHANG_FEATURE_RETRY_ALL, &ic->flags)) {
				ti->error = "Feature retry_all duplicated";
				return -EINVAL;
			}
			continue;
		}

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_FAIL_FLUSH)) {
			if (test_and_set_bit(IOHANG_FEATURE_FAIL_FLUSH, &ic->flags)) {
				ti->error = "Feature fail_flush duplicated";
				return -EINVAL;
			}
			continue;
		}

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_HOLD_NEW_IO)) {
			if (test_and_set_bit(IOHANG_FEATURE_HOLD_NEW_IO, &ic->flags)) {
				ti->error = "Feature hold_new_io duplicated";
				return -EINVAL;
			}
			continue;
		}

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_RETRY_INTERVAL)) {
			if (!argc) {
				ti->error = "Feature retry_interval_ms requires a parameter";
				return -EINVAL;
			}
			if (interval_seen) {
				ti->error = "Feature retry_interval_ms duplicated";
				return -EINVAL;
			}
			interval_seen = true;
			argc--;
			r = iohang_read_arg(_args + 1, as,
					    &ic->retry_interval_ms, &ti->error);
			if (r)
				return r;
			continue;
		}

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_RETRY_ON)) {
			if (!argc) {
				ti->error = "Feature retry_on requires a parameter";
				return -EINVAL;
			}
			if (retry_on_seen) {
				ti->error = "Feature retry_on duplicated";
				return -EINVAL;
			}
			retry_on_seen = true;
			argc--;
			r = iohang_parse_retry_on(dm_shift_arg(as),
						  &ic->retry_on, &ti->error);
			if (r)
				return r;
			continue;
		}

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_MAX_HELD)) {
			if (!argc) {
				ti->error = "Feature max_held requires a parameter";
				return -EINVAL;
			}
			if (ic->max_held) {
				ti->error = "Feature max_held duplicated";
				return -EINVAL;
			}
			argc--;
			r = iohang_read_arg(_args + 2, as, &ic->max_held,
					    &ti->error);
			if (r)
				return r;
			continue;
		}

		ti->error = "Unrecognised iohang feature requested";
		return -EINVAL;
	}

	if (probe_seen && test_bit(IOHANG_FEATURE_RETRY_ALL, &ic->flags)) {
		ti->error = "Feature probe is incompatible with retry_all";
		return -EINVAL;
	}

	return 0;
}

static void iohang_dtr(struct dm_target *ti)
{
	struct iohang_c *ic = ti->private;

	cancel_delayed_work_sync(&ic->work);
	/* Postsuspend queued the last events: they name the device still. */
	flush_work(&ic->event_work);
	/* Suspend waited for every held bio, so none can be left. */
	WARN_ON_ONCE(ic->nr_held);
	if (ic->dev)
		dm_put_device(ti, ic->dev);
	kfree(ic);
}

static void iohang_work(struct work_struct *work);
static void iohang_event_work(struct work_struct *work);

/*
 * Construct an iohang mapping:
 * <dev_path> <offset> <timeout_ms> [<#feature args> [<arg>]*]
 *
 * Feature args:
 *   retry_interval_ms <ms>   period between probes (default 100)
 *   retry_on <status>[,<status>]*  ioerr, transport, timeout, offline,
 *                            medium, nospc (default ioerr,transport)
 *   probe                    the default: one held bio probes each period
 *   retry_all                resubmit every held bio each period instead
 *   hold_new_io              while hung, hold new bios without sending them
 *   max_held <n>             hold at most n bios
 *   fail_flush               never hold a flush or FUA bio
 *
 * <offset> is in sectors; a <timeout_ms> of 0 disables holding.
 */
static int iohang_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	static const struct dm_arg _args[] = {
		{0, DM_IOHANG_MAX_TIMEOUT_MS, "Invalid timeout"},
	};
	struct dm_arg_set as;
	const char *devname;
	unsigned long long start;
	struct iohang_c *ic;
	int r;

	if (argc < 3) {
		ti->error = "Invalid argument count";
		return -EINVAL;
	}

	ic = kzalloc(sizeof(*ic), GFP_KERNEL);
	if (!ic) {
		ti->error = "Cannot allocate context";
		return -ENOMEM;
	}
	ti->private = ic;
	ic->ti = ti;
	spin_lock_init(&ic->lock);
	bio_list_init(&ic->held_bios);
	bio_list_init(&ic->done_bios);
	INIT_DELAYED_WORK(&ic->work, iohang_work);
	INIT_WORK(&ic->event_work, iohang_event_work);
	init_waitqueue_head(&ic->all_released);
	ic->retry_interval_ms = DM_IOHANG_DEFAULT_RETRY_INTERVAL_MS;

	as.argc = argc;
	as.argv = argv;
	devname = dm_shift_arg(&as);

	r = -EINVAL;
	if (kstrtoull(dm_shift_arg(&as), 10, &start)) {
		ti->error = "Invalid device sector";
		goto bad;
	}
	ic->start = start;

	r = iohang_read_arg(_args, &as, &ic->timeout_ms, &ti->error);
	if (r)
		goto bad;

	r = parse_features(&as, ic, ti);
	if (r)
		goto bad;
	if (!ic->retry_on)
		ic->retry_on = IOHANG_RETRY_ON_DEFAULT;

	if (as.argc) {
		ti->error = "Too many arguments";
		r = -EINVAL;
		goto bad;
	}

	r = dm_get_device(ti, devname, dm_table_get_mode(ti->table), &ic->dev);
	if (r) {
		ti->error = "Device lookup failed";
		goto bad;
	}

	if (bdev_is_zoned(ic->dev->bdev)) {
		ti->error = "Zoned devices are not supported";
		r = -EINVAL;
		goto bad;
	}

	/*
	 * Only a device missing from dm's hash has no name to copy; events
	 * then carry empty ones until the event work can read them.
	 */
	if (dm_copy_name_and_uuid(dm_table_get_md(ti->table), ic->name,
				  ic->uuid))
		DMDEBUG("table loaded into a device without a name");
	ic->devt = disk_devt(dm_disk(dm_table_get_md(ti->table)));

	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_secure_erase_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->per_io_data_size = sizeof(struct iohang_bio);
	/*
	 * Every bio map holds (hold_new_io) is submitted, if ever, through
	 * dm_submit_bio_remap(), which starts dm's accounting: core must not
	 * start it after map has handed the bio to the worker.
	 */
	ti->accounts_remapped_io = true;
	return 0;

bad:
	iohang_dtr(ti);
	return r;
}

static void iohang_kick(struct iohang_c *ic)
{
	mod_delayed_work(kiohangd, &ic->work, 0);
}

/*
 * Events are sent by their own work item, never by the worker that moves
 * held I/O: a uevent allocates and takes dm's global locks.  Whoever
 * queues an event schedules the work once the I/O it moved has moved.
 */
static void iohang_send_events_later(struct iohang_c *ic)
{
	if (READ_ONCE(ic->nr_events))
		schedule_work(&ic->event_work);
}

/* @held is the number of bios held right after the transition. */
static void __iohang_queue_event(struct iohang_c *ic,
				 enum iohang_action action, unsigned int count,
				 unsigned int duration_ms, unsigned int held)
{
	struct iohang_event *ev;

	lockdep_assert_held(&ic->lock);

	/*
	 * The event work normally empties this queue within moments; if it
	 * fills up, the newest event overwrites the last, so the final state
	 * is always reported.
	 */
	if (ic->nr_events < IOHANG_MAX_PENDING_EVENTS)
		WRITE_ONCE(ic->nr_events, ic->nr_events + 1);
	ev = &ic->events[ic->nr_events - 1];
	ev->action = action;
	ev->count = count;
	ev->duration_ms = duration_ms;
	ev->held = held;
	ev->error = ic->last_error;
}

static const char *iohang_action_name(enum iohang_action action)
{
	switch (action) {
	case IOHANG_HANG:
		return DM_IOHANG_ACTION_HANG;
	case IOHANG_RECOVER:
		return DM_IOHANG_ACTION_RECOVER;
	case IOHANG_TIMEOUT:
		return DM_IOHANG_ACTION_TIMEOUT;
	case IOHANG_FAIL_ALL:
		return DM_IOHANG_ACTION_FAIL_ALL;
	case IOHANG_REQUEUE:
		return DM_IOHANG_ACTION_REQUEUE;
	}
	return "";
}

/* The worker, kicked by the caller, sends the event. */
static void __iohang_start_hang(struct iohang_c *ic)
{
	unsigned long now = jiffies;

	lockdep_assert_held(&ic->lock);

	WRITE_ONCE(ic->hung, true);
	ic->hang_start = now;
	ic->late_released = 0;
	ic->requeued = 0;
	ic->stats.hang_events++;
	__iohang_queue_event(ic, IOHANG_HANG, 0, 0, ic->nr_held);
	trace_iohang_hang(ic->devt, ic->last_error, ic->timeout_ms);
}

/*
 * Returns how long the hang lasted, in milliseconds.  @closing is what the
 * last held bio ended it with.
 */
static unsigned int __iohang_end_hang(struct iohang_c *ic,
				      enum iohang_action closing)
{
	unsigned int duration_ms;

	lockdep_assert_held(&ic->lock);

	duration_ms = jiffies_to_msecs(jiffies - ic->hang_start);
	trace_iohang_hang_end(ic->devt, iohang_action_name(closing),
			      duration_ms);
	ic->stats.longest_hang_ms = max(ic->stats.longest_hang_ms,
					duration_ms);
	WRITE_ONCE(ic->hung, false);
	ic->late_released = 0;
	ic->requeued = 0;
	return duration_ms;
}

/* What the event that ends a hang reports. */
struct iohang_hang_end {
	unsigned int duration_ms;
	unsigned int late_released;
	unsigned int requeued;
};

/*
 * @nr bios have left iohang's hands: bio_endio() has returned for each.
 * Returns true if they were the last, which ends the hang (@end) the way
 * @closing says.
 */
static bool __iohang_drop(struct iohang_c *ic, unsigned int nr,
			  enum iohang_action closing,
			  struct iohang_hang_end *end)
{
	lockdep_assert_held(&ic->lock);

	if (WARN_ON_ONCE(nr > ic->nr_held))
		nr = ic->nr_held;
	WRITE_ONCE(ic->nr_held, ic->nr_held - nr);
	if (ic->nr_held)
		return false;
	wake_up(&ic->all_released);
	WRITE_ONCE(ic->unanswered, false);
	ic->answer = IOHANG_ANSWER_NONE;
	if (!ic->hung) {
		/* Stragglers: their hang was over when the device answered. */
		ic->late_released = 0;
		ic->requeued = 0;
		return false;
	}

	end->late_released = ic->late_released;
	end->requeued = ic->requeued;
	end->duration_ms = __iohang_end_hang(ic, closing);
	return true;
}

/* The hang ended with what happened to the last held bio. */
static void __iohang_queue_closing(struct iohang_c *ic,
				   enum iohang_action action,
				   const struct iohang_hang_end *end)
{
	switch (action) {
	case IOHANG_RECOVER:
		__iohang_queue_event(ic, action, 0, end->duration_ms, 0);
		break;
	case IOHANG_REQUEUE:
		__iohang_queue_event(ic, action, end->requeued,
				     end->duration_ms, 0);
		break;
	case IOHANG_FAIL_ALL:
		__iohang_queue_event(ic, action, end->late_released, 0, 0);
		break;
	case IOHANG_HANG:
	case IOHANG_TIMEOUT:
		/* Reported with the bios it failed. */
		break;
	}
}

static bool iohang_status_in_retry_on(struct iohang_c *ic, blk_status_t error)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(iohang_statuses); i++)
		if ((ic->retry_on & BIT(i)) &&
		    iohang_statuses[i].status == error)
			return true;
	return false;
}

/*
 * Bios that are never held: those whose issuer asked not to wait, discards
 * (they are hints: dm-raid1 does not retry them either) and, with
 * fail_flush, flush and FUA writes.  The FUA is read from the record: the
 * lower device drops it from the bio while it has no write cache.
 */
static bool iohang_bio_may_wait(struct iohang_c *ic, struct bio *bio,
				struct iohang_bio *ib)
{
	if (bio->bi_opf & (REQ_RAHEAD | REQ_FAILFAST_MASK))
		return false;
	if (op_is_discard(bio->bi_opf) || bio_op(bio) == REQ_OP_SECURE_ERASE)
		return false;
	if ((ib->record.opf & (REQ_PREFLUSH | REQ_FUA)) &&
	    test_bit(IOHANG_FEATURE_FAIL_FLUSH, &ic->flags))
		return false;
	return true;
}

/*
 * Only a bio that carried data and succeeded proves the storage answers:
 * the block layer itself completes an empty flush successfully when the
 * device has no write cache, and fails an operation the device does not
 * support, without reaching it.
 */
static bool iohang_bio_proves_life(struct iohang_bio *ib, blk_status_t error)
{
	return !error && ib->record.iter.bi_size;
}

/*
 * The device answered.  The first answer ends the hang; each one sends
 * the held bios back down, if any wait for that: @probe says it was a
 * held bio, which sends the stragglers back too.
 */
static void __iohang_answered(struct iohang_c *ic, bool probe)
{
	enum iohang_answer answer = probe ? IOHANG_ANSWER_ALL :
					    IOHANG_ANSWER_FRESH;
	unsigned int duration_ms;

	lockdep_assert_held(&ic->lock);

	if (ic->hung) {
		ic->answered_at = jiffies;
		duration_ms = __iohang_end_hang(ic, IOHANG_RECOVER);
		/* The worker, kicked below, sends it once the bios moved. */
		__iohang_queue_event(ic, IOHANG_RECOVER, 0, duration_ms,
				     ic->nr_held);
	} else if (!probe && !ic->unanswered) {
		return;
	}
	if (answer > ic->answer)
		ic->answer = answer;
	iohang_kick(ic);
}

static void iohang_answered(struct iohang_c *ic)
{
	unsigned long flags;

	/* A busy healthy device with stragglers held takes no lock here. */
	if (!READ_ONCE(ic->hung) && !READ_ONCE(ic->unanswered))
		return;
	spin_lock_irqsave(&ic->lock, flags);
	__iohang_answered(ic, false);
	spin_unlock_irqrestore(&ic->lock, flags);
}

/*
 * dm core clears its noflush flag before presuspend_undo when a noflush
 * suspend is interrupted, and turns a requeue outside one into EIO: like
 * dm-mpath's __must_push_back(), ask it at the moment of the decision.
 */
static bool iohang_must_push_back(struct iohang_c *ic)
{
	return READ_ONCE(ic->pushing_back) && dm_noflush_suspending(ic->ti);
}

static inline void iohang_remap(struct iohang_c *ic, struct bio *bio)
{
	bio_set_dev(bio, ic->dev->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector =
			ic->start + dm_target_offset(ic->ti, bio->bi_iter.bi_sector);
}

/* Lists of held bios can be millions long: let others run now and then. */
static void iohang_resched_every(unsigned int nr)
{
	if (!(nr % 1024))
		cond_resched();
}

/* Each way out of iohang has its own event, so each can be enabled alone. */
static void iohang_trace_end(struct iohang_c *ic, struct iohang_bio *ib,
			     blk_status_t error, enum iohang_action ending)
{
	const struct iohang_bio_record *rec = &ib->record;
	unsigned int attempts = ib->attempts;
	u64 held_since = ib->held_since_ns;
	dev_t dev = ic->devt;

	switch (ending) {
	case IOHANG_RECOVER:
		trace_iohang_bio_complete(dev, rec, held_since, attempts, error);
		break;
	case IOHANG_TIMEOUT:
		trace_iohang_bio_timeout(dev, rec, held_since, attempts, error);
		break;
	case IOHANG_FAIL_ALL:
		trace_iohang_bio_release(dev, rec, held_since, attempts, error);
		break;
	case IOHANG_REQUEUE:
		trace_iohang_bio_requeue(dev, rec, held_since, attempts, error);
		break;
	case IOHANG_HANG:
		/* A hang starts with a bio; it is never how one ends. */
		break;
	}
}

/*
 * Complete a held bio with @error, bypassing the holding in end_io.
 * @ending is why, in the words of the events: IOHANG_RECOVER for a retry
 * that got an answer.
 */
static void iohang_release(struct iohang_c *ic, struct bio *bio,
			   blk_status_t error, enum iohang_action ending)
{
	struct iohang_bio *ib = dm_per_bio_data(bio, sizeof(*ib));

	iohang_trace_end(ic, ib, error, ending);
	iohang_bio_restore(&ib->record, bio);
	ib->flags |= IOHANG_BIO_RELEASED;
	bio->bi_status = error;
	bio_endio(bio);
}

/*
 * Complete every bio of @bios with the error of its first failure, because
 * it timed out or was released (@ending).
 */
static unsigned int iohang_fail_list(struct iohang_c *ic,
				     struct bio_list *bios,
				     enum iohang_action ending)
{
	struct iohang_bio *ib;
	unsigned int nr = 0;
	struct bio *bio;

	while ((bio = bio_list_pop(bios))) {
		ib = dm_per_bio_data(bio, sizeof(*ib));
		iohang_release(ic, bio, ib->error, ending);
		iohang_resched_every(++nr);
	}
	return nr;
}

/*
 * Hand @bios back to dm core to requeue, if the noflush suspend is still
 * on; the others go to @rehold.
 */
static unsigned int iohang_requeue_list(struct iohang_c *ic,
					struct bio_list *bios,
					struct bio_list *rehold)
{
	struct iohang_bio *ib;
	unsigned int nr = 0;
	struct bio *bio;

	while ((bio = bio_list_pop(bios))) {
		if (!iohang_must_push_back(ic)) {
			ib = dm_per_bio_data(bio, sizeof(*ib));
			ib->flags &= ~(IOHANG_BIO_PROBE | IOHANG_BIO_ANSWERED);
			bio_list_add(rehold, bio);
			continue;
		}
		iohang_release(ic, bio, BLK_STS_DM_REQUEUE, IOHANG_REQUEUE);
		iohang_resched_every(++nr);
	}
	return nr;
}

/*
 * Resubmit as the first attempt was submitted: dm_submit_bio_remap() gives
 * the bio back the cgroup of the original bio (bio_endio() dropped it),
 * traces the remap and accounts the I/O once.  It may block, never fail
 * for being asked not to: a burst of held bios has to wait for tags, and
 * the device may have lost nowait support since the first attempt.
 */
static void iohang_resubmit_list(struct iohang_c *ic, struct bio_list *bios,
				 unsigned int gen)
{
	struct iohang_bio *ib;
	struct blk_plug plug;
	unsigned int nr = 0;
	struct bio *bio;

	blk_start_plug(&plug);
	while ((bio = bio_list_pop(bios))) {
		if (!(++nr % 1024)) {
			/* Plugged bios are sent before the task sleeps. */
			blk_finish_plug(&plug);
			cond_resched();
			blk_start_plug(&plug);
		}
		ib = dm_per_bio_data(bio, sizeof(*ib));
		ib->attempts++;
		trace_iohang_bio_resubmit(ic->devt, &ib->record, ib->attempts);
		iohang_bio_restore(&ib->record, bio);
		iohang_remap(ic, bio);
		bio->bi_opf &= ~(REQ_NOWAIT | REQ_POLLED);
		ib->release_gen = gen;
		bio->bi_status = BLK_STS_OK;
		dm_submit_bio_remap(bio, NULL);
	}
	blk_finish_plug(&plug);
}

/*
 * A bio put in the list may expire before the worker's next wake-up: it
 * was in flight when the worker last looked, or the timeout was lowered.
 */
static void __iohang_expire_by(struct iohang_c *ic, struct iohang_bio *ib)
{
	unsigned long expiry;

	lockdep_assert_held(&ic->lock);

	expiry = ib->first_failure + msecs_to_jiffies(ic->timeout_ms);
	if (!ic->timeout_ms || time_before(expiry, ic->next_expiry)) {
		ic->next_expiry = expiry;
		iohang_kick(ic);
	}
}

static bool __iohang_answered_lately(struct iohang_c *ic)
{
	lockdep_assert_held(&ic->lock);

	return ic->stats.hang_events &&
	       time_before(jiffies, ic->answered_at +
			   msecs_to_jiffies(IOHANG_HANG_HOLDOFF_MS));
}

/*
 * Take ownership of a bio that iohang has not held before.  The caller has
 * checked max_held.
 */
static void __iohang_hold(struct iohang_c *ic, struct bio *bio,
			  struct iohang_bio *ib, blk_status_t error)
{
	lockdep_assert_held(&ic->lock);

	ib->flags = IOHANG_BIO_HELD;
	ib->first_failure = jiffies;
	ib->held_since_ns = ktime_get_ns();
	ib->attempts = 0;
	ib->error = error;
	ib->release_gen = ic->release_gen;
	ic->last_error = error;
	WRITE_ONCE(ic->nr_held, ic->nr_held + 1);
	WRITE_ONCE(ic->unanswered, true);
	bio_list_add(&ic->held_bios, bio);

	if (ic->nr_held == 1) {
		/* The first held bio starts the clocks; the worker arms them. */
		ic->next_retry = ib->first_failure +
				 msecs_to_jiffies(ic->retry_interval_ms);
		ic->next_expiry = ib->first_failure +
				  msecs_to_jiffies(ic->timeout_ms);
		iohang_kick(ic);
	}
	if (!ic->hung && !__iohang_answered_lately(ic)) {
		__iohang_start_hang(ic);
		iohang_kick(ic);
	}
	__iohang_expire_by(ic, ib);
	trace_iohang_bio_held(ic->devt, &ib->record, error, ic->nr_held);
}

static bool __iohang_full(struct iohang_c *ic)
{
	return ic->max_held && ic->nr_held >= ic->max_held;
}

/* Out of line, like everything a healthy device does not need in map. */
static noinline bool iohang_hold_new(struct iohang_c *ic, struct bio *bio,
				     struct iohang_bio *ib)
{
	unsigned long flags;
	bool held;

	if (!iohang_bio_may_wait(ic, bio, ib))
		return false;

	spin_lock_irqsave(&ic->lock, flags);
	held = ic->hung && ic->timeout_ms && !ic->pushing_back &&
	       !ic->suspended && !__iohang_full(ic);
	if (held)
		__iohang_hold(ic, bio, ib, ic->last_error);
	spin_unlock_irqrestore(&ic->lock, flags);

	return held;
}

static int iohang_map(struct dm_target *ti, struct bio *bio)
{
	struct iohang_c *ic = ti->private;
	struct iohang_bio *ib = dm_per_bio_data(bio, sizeof(*ib));

	iohang_bio_record(&ib->record, bio);
	ib->flags = 0;

	if (unlikely(READ_ONCE(ic->hung)) &&
	    test_bit(IOHANG_FEATURE_HOLD_NEW_IO, &ic->flags) &&
	    iohang_hold_new(ic, bio, ib))
		return DM_MAPIO_SUBMITTED;

	iohang_remap(ic, bio);
	return DM_MAPIO_REMAPPED;
}

/* end_io may run in interrupt context: link the bio, never log or notify. */
static int iohang_hold_failed(struct iohang_c *ic, struct bio *bio,
			      struct iohang_bio *ib, blk_status_t error)
{
	unsigned long flags;
	int r = DM_ENDIO_INCOMPLETE;

	spin_lock_irqsave(&ic->lock, flags);
	if (iohang_must_push_back(ic)) {
		r = DM_ENDIO_REQUEUE;
	} else if (ic->suspended) {
		/* Only removal completes bios after postsuspend: let it fail. */
		r = DM_ENDIO_DONE;
	} else if (__iohang_full(ic)) {
		ic->stats.overflowed++;
		r = DM_ENDIO_DONE;
	} else {
		__iohang_hold(ic, bio, ib, error);
	}
	spin_unlock_irqrestore(&ic->lock, flags);

	return r;
}

/*
 * A resubmitted bio that is done with is not completed here but by the
 * worker, so that every bio iohang owns ends where postsuspend and the
 * destructor can wait for it: clone_endio() goes on with the bio after
 * end_io returns, and its completion may run in a process that is
 * preempted there while the table is destroyed.
 */
static void __iohang_park(struct iohang_c *ic, struct bio *bio,
			  struct iohang_bio *ib, blk_status_t status,
			  enum iohang_action closing)
{
	bool first = bio_list_empty(&ic->done_bios);

	lockdep_assert_held(&ic->lock);

	ib->final_status = status;
	ib->closing_action = closing;
	bio_list_add(&ic->done_bios, bio);
	if (first)
		iohang_kick(ic);
}

/* A bio resubmitted by iohang_work() has completed again. */
static int iohang_retried_end_io(struct iohang_c *ic, struct bio *bio,
				 struct iohang_bio *ib, blk_status_t error)
{
	bool was_probe = ib->flags & IOHANG_BIO_PROBE;
	bool answered = ib->flags & IOHANG_BIO_ANSWERED;
	unsigned long flags;

	ib->flags &= ~(IOHANG_BIO_PROBE | IOHANG_BIO_ANSWERED);

	spin_lock_irqsave(&ic->lock, flags);
	if (was_probe)
		ic->probing = false;

	if (!error || (!blk_path_error(error) &&
		       !iohang_status_in_retry_on(ic, error))) {
		/*
		 * Done, or refused by storage that was reached (a medium
		 * error, a reservation conflict, an unsupported operation):
		 * no retry changes the answer, which ends the wait.
		 */
		ic->stats.recovered++;
		if (iohang_bio_proves_life(ib, error))
			__iohang_answered(ic, was_probe);
		__iohang_park(ic, bio, ib, error, IOHANG_RECOVER);
	} else if (iohang_must_push_back(ic)) {
		__iohang_park(ic, bio, ib, BLK_STS_DM_REQUEUE, IOHANG_REQUEUE);
	} else if (ib->release_gen != ic->release_gen || ic->suspended) {
		/* fail_all was sent while this bio was being resubmitted. */
		ic->stats.released++;
		ic->late_released++;
		__iohang_park(ic, bio, ib, ib->error, IOHANG_FAIL_ALL);
	} else {
		/*
		 * A path error keeps the bio held, whatever its status: an
		 * outage changes how it fails (an iSCSI disk fails I/O, then
		 * goes away until it is replaced).  Only a retry_on status
		 * becomes the error of bios held by hold_new_io: not a lower
		 * layer's BLK_STS_AGAIN or the like.  A failed probe goes
		 * behind the others, so that the next probe tries another.
		 */
		if (iohang_status_in_retry_on(ic, error))
			ic->last_error = error;
		if (answered)
			ib->flags |= IOHANG_BIO_STRAGGLER;
		if (!(ib->flags & IOHANG_BIO_STRAGGLER)) {
			WRITE_ONCE(ic->unanswered, true);
			if (!ic->hung && !__iohang_answered_lately(ic)) {
				/* It still fails and nothing answered. */
				__iohang_start_hang(ic);
				iohang_kick(ic);
			}
		}
		bio_list_add(&ic->held_bios, bio);
		__iohang_expire_by(ic, ib);
	}
	spin_unlock_irqrestore(&ic->lock, flags);

	return DM_ENDIO_INCOMPLETE;
}

static noinline int iohang_end_io_slowpath(struct iohang_c *ic,
					   struct bio *bio,
					   blk_status_t error)
{
	struct iohang_bio *ib = dm_per_bio_data(bio, sizeof(*ib));

	if (likely(!ib->flags)) {
		if (error && READ_ONCE(ic->timeout_ms) &&
		    iohang_status_in_retry_on(ic, error) &&
		    iohang_bio_may_wait(ic, bio, ib))
			return iohang_hold_failed(ic, bio, ib, error);
		if (iohang_bio_proves_life(ib, error))
			iohang_answered(ic);
		return DM_ENDIO_DONE;
	}

	if (ib->flags & IOHANG_BIO_RELEASED)
		return DM_ENDIO_DONE;

	return iohang_retried_end_io(ic, bio, ib, error);
}

/*
 * Every bio iohang has taken is counted in nr_held from before it is
 * resubmitted or released until after its bio_endio(): with none, a
 * successful bio is a first attempt and there is nothing to look at.
 */
static int iohang_end_io(struct dm_target *ti, struct bio *bio,
			 blk_status_t *error)
{
	struct iohang_c *ic = ti->private;

	if (likely(!*error) && likely(!READ_ONCE(ic->nr_held)))
		return DM_ENDIO_DONE;
	return iohang_end_io_slowpath(ic, bio, *error);
}

/* In this order: all but the first two resubmit every bio they may. */
enum iohang_retry {
	IOHANG_RETRY_NONE,
	IOHANG_RETRY_PROBE,
	IOHANG_RETRY_ALL,
	/* The device answered: all but the stragglers, or all. */
	IOHANG_RETRY_ANSWERED_FRESH,
	IOHANG_RETRY_ANSWERED_ALL,
};

/* The held bios taken out of the list, sorted by what happens to them. */
struct iohang_walk {
	struct bio_list expired;
	/* Held again after a fail_all that could not see them. */
	struct bio_list released;
	struct bio_list resubmit;
	struct bio_list keep;
	unsigned int nr_expired;
	unsigned int nr_resubmit;
	unsigned long next_expiry;
	unsigned int gen;
};

static bool iohang_walk_resubmits(enum iohang_retry retry,
				  struct iohang_bio *ib,
				  const struct iohang_walk *w)
{
	switch (retry) {
	case IOHANG_RETRY_NONE:
		return false;
	case IOHANG_RETRY_PROBE:
		return !w->nr_resubmit;
	case IOHANG_RETRY_ANSWERED_FRESH:
		return !(ib->flags & IOHANG_BIO_STRAGGLER);
	case IOHANG_RETRY_ALL:
	case IOHANG_RETRY_ANSWERED_ALL:
		break;
	}
	return true;
}

/*
 * Sort the held bios into expired ones, ones to resubmit now (one probe,
 * all, or all but the stragglers) and ones to keep, and find when the next
 * of them expires.  Runs without the lock: a million held bios never keep
 * interrupts off.
 */
static void iohang_walk(struct bio_list *held, unsigned long now,
			unsigned int timeout_ms, unsigned int interval_ms,
			enum iohang_retry retry, struct iohang_walk *w)
{
	unsigned long timeout = msecs_to_jiffies(timeout_ms);
	unsigned long batch = msecs_to_jiffies(min(interval_ms,
						   IOHANG_MAX_EXPIRY_BATCH_MS));
	struct iohang_bio *ib;
	unsigned long expiry;
	unsigned int nr = 0;
	struct bio *bio;

	while ((bio = bio_list_pop(held))) {
		iohang_resched_every(++nr);
		ib = dm_per_bio_data(bio, sizeof(*ib));
		/*
		 * A requeue that was held again instead (its noflush suspend
		 * was interrupted) may have missed a fail_all.
		 */
		if (ib->release_gen != w->gen) {
			bio_list_add(&w->released, bio);
			continue;
		}
		expiry = ib->first_failure + timeout;
		if (!timeout_ms || time_after_eq(now, expiry)) {
			bio_list_add(&w->expired, bio);
			w->nr_expired++;
			continue;
		}
		/*
		 * Bios that fail within a moment of each other time out
		 * together, in one event.
		 */
		if (time_before(expiry + batch, w->next_expiry))
			w->next_expiry = expiry + batch;
		if (!iohang_walk_resubmits(retry, ib, w)) {
			bio_list_add(&w->keep, bio);
			continue;
		}
		if (retry == IOHANG_RETRY_PROBE)
			ib->flags |= IOHANG_BIO_PROBE;
		if (retry == IOHANG_RETRY_ANSWERED_FRESH ||
		    retry == IOHANG_RETRY_ANSWERED_ALL)
			ib->flags |= IOHANG_BIO_ANSWERED;
		bio_list_add(&w->resubmit, bio);
		w->nr_resubmit++;
	}
}

static enum iohang_retry __iohang_retry_due(struct iohang_c *ic,
					    unsigned long now)
{
	lockdep_assert_held(&ic->lock);

	if (ic->pushing_back)
		return IOHANG_RETRY_NONE;
	/* retry_now sends the stragglers too, whatever else is pending. */
	if (ic->retry_requested)
		return ic->answer == IOHANG_ANSWER_NONE ?
		       IOHANG_RETRY_ALL : IOHANG_RETRY_ANSWERED_ALL;
	if (ic->answer == IOHANG_ANSWER_ALL)
		return IOHANG_RETRY_ANSWERED_ALL;
	if (ic->answer == IOHANG_ANSWER_FRESH)
		return IOHANG_RETRY_ANSWERED_FRESH;
	if (time_before(now, ic->next_retry))
		return IOHANG_RETRY_NONE;
	if (test_bit(IOHANG_FEATURE_RETRY_ALL, &ic->flags))
		return IOHANG_RETRY_ALL;
	/* One probe at a time: the next waits for its answer. */
	return ic->probing ? IOHANG_RETRY_NONE : IOHANG_RETRY_PROBE;
}

static bool __iohang_walk_due(struct iohang_c *ic, unsigned long now)
{
	lockdep_assert_held(&ic->lock);

	return ic->walk_requested || ic->retry_requested ||
	       ic->answer != IOHANG_ANSWER_NONE ||
	       time_after_eq(now, ic->next_retry) ||
	       time_after_eq(now, ic->next_expiry);
}

/*
 * Complete the bios back from a resubmission with the status end_io chose.
 * A requeue whose noflush suspend has been interrupted since is held again
 * instead (@rehold).  Returns how many were completed, *nr_requeued of
 * them handed back to dm core; *closing is what the last of them would
 * end the hang with.
 */
static unsigned int iohang_complete_done(struct iohang_c *ic,
					 struct bio_list *done,
					 struct bio_list *rehold,
					 unsigned int *nr_requeued,
					 enum iohang_action *closing)
{
	struct iohang_bio *ib;
	unsigned int nr = 0;
	struct bio *bio;

	while ((bio = bio_list_pop(done))) {
		ib = dm_per_bio_data(bio, sizeof(*ib));
		if (ib->final_status == BLK_STS_DM_REQUEUE) {
			if (!iohang_must_push_back(ic)) {
				bio_list_add(rehold, bio);
				continue;
			}
			(*nr_requeued)++;
		}
		*closing = ib->closing_action;
		iohang_release(ic, bio, ib->final_status, ib->closing_action);
		iohang_resched_every(++nr);
	}
	return nr;
}

static void iohang_note_run(unsigned int *longest, ktime_t since)
{
	unsigned int us = ktime_us_delta(ktime_get(), since);

	if (us > READ_ONCE(*longest))
		WRITE_ONCE(*longest, us);
}

/*
 * The worker completes the bios back from resubmission, and when a retry
 * or an expiry is due, walks the held bios: it takes the list out under
 * the lock, sorts it without the lock, puts back what it keeps and then
 * resubmits and fails bios.  Counts drop only once bio_endio() returned.
 */
static void iohang_work(struct work_struct *work)
{
	struct iohang_c *ic = container_of(to_delayed_work(work),
					   struct iohang_c, work);
	struct bio_list done = BIO_EMPTY_LIST, held = BIO_EMPTY_LIST;
	struct bio_list rehold = BIO_EMPTY_LIST, fail = BIO_EMPTY_LIST;
	struct bio_list requeue = BIO_EMPTY_LIST;
	struct iohang_walk w = {
		.expired = BIO_EMPTY_LIST,
		.released = BIO_EMPTY_LIST,
		.resubmit = BIO_EMPTY_LIST,
		.keep = BIO_EMPTY_LIST,
	};
	enum iohang_retry retry = IOHANG_RETRY_NONE;
	enum iohang_action closing = IOHANG_RECOVER;
	struct iohang_hang_end end;
	unsigned int timeout_ms, interval_ms, gen, nr_held;
	unsigned int nr_done, nr_failed, nr_requeued, nr_gone;
	unsigned int nr_done_requeued = 0;
	ktime_t started = ktime_get(), locked;
	unsigned long now, wake;
	bool walking;

	spin_lock_irq(&ic->lock);
	locked = ktime_get();
	now = jiffies;
	bio_list_merge(&done, &ic->done_bios);
	bio_list_init(&ic->done_bios);
	walking = __iohang_walk_due(ic, now);
	if (walking) {
		retry = __iohang_retry_due(ic, now);
		if (time_after_eq(now, ic->next_retry) || retry)
			ic->next_retry = now + msecs_to_jiffies(ic->retry_interval_ms);
		/*
		 * A retry_now sent during a noflush suspend waits for it.
		 * Every bio not a straggler goes down in any retry but a
		 * probe: those held again from now on wait for an answer.
		 */
		if (retry != IOHANG_RETRY_NONE &&
		    retry != IOHANG_RETRY_PROBE) {
			ic->retry_requested = false;
			ic->answer = IOHANG_ANSWER_NONE;
			WRITE_ONCE(ic->unanswered, false);
		}
		if (ic->walk_requested || retry > IOHANG_RETRY_PROBE ||
		    time_after_eq(now, ic->next_expiry)) {
			ic->walk_requested = false;
			/* Bios held while the walk runs lower it again. */
			ic->next_expiry = now + MAX_JIFFY_OFFSET;
			bio_list_merge(&held, &ic->held_bios);
			bio_list_init(&ic->held_bios);
		} else if (retry == IOHANG_RETRY_PROBE &&
			   !bio_list_empty(&ic->held_bios)) {
			/*
			 * Nothing expires yet: the probe, from the head of
			 * the list, is all there is to walk.  The others stay
			 * where fail_all and a noflush suspend find them.
			 */
			bio_list_add(&held, bio_list_pop(&ic->held_bios));
		} else {
			walking = false;
		}
	}
	gen = ic->release_gen;
	timeout_ms = ic->timeout_ms;
	interval_ms = ic->retry_interval_ms;
	spin_unlock_irq(&ic->lock);
	iohang_note_run(&longest_locked_us, locked);

	w.gen = gen;
	w.next_expiry = now + MAX_JIFFY_OFFSET;
	if (walking)
		iohang_walk(&held, now, timeout_ms, interval_ms, retry, &w);

	spin_lock_irq(&ic->lock);
	locked = ktime_get();
	if (walking) {
		if (gen != ic->release_gen || ic->pushing_back) {
			/* fail_all or a noflush suspend came while walking. */
			struct bio_list *to = gen != ic->release_gen ?
					      &fail : &requeue;

			bio_list_merge(to, &w.resubmit);
			bio_list_merge(to, &w.keep);
			bio_list_init(&w.resubmit);
		} else {
			bio_list_merge_head(&ic->held_bios, &w.keep);
			ic->stats.retries += w.nr_resubmit;
			if (retry == IOHANG_RETRY_PROBE && w.nr_resubmit)
				ic->probing = true;
			if (time_before(w.next_expiry, ic->next_expiry))
				ic->next_expiry = w.next_expiry;
		}
		bio_list_merge(&fail, &w.released);
	}
	gen = ic->release_gen;
	spin_unlock_irq(&ic->lock);
	iohang_note_run(&longest_locked_us, locked);

	iohang_resubmit_list(ic, &w.resubmit, gen);
	nr_done = iohang_complete_done(ic, &done, &rehold, &nr_done_requeued,
				       &closing);
	iohang_fail_list(ic, &w.expired, IOHANG_TIMEOUT);
	nr_failed = iohang_fail_list(ic, &fail, IOHANG_FAIL_ALL);
	nr_requeued = iohang_requeue_list(ic, &requeue, &rehold);

	spin_lock_irq(&ic->lock);
	locked = ktime_get();
	if (!bio_list_empty(&rehold)) {
		/*
		 * A fail_all may have missed them: the walk will tell.  An
		 * answer they were to go down for may be spent.
		 */
		bio_list_merge(&ic->held_bios, &rehold);
		ic->walk_requested = true;
		WRITE_ONCE(ic->unanswered, true);
		iohang_kick(ic);
	}
	ic->requeued += nr_done_requeued + nr_requeued;
	if (nr_requeued)
		closing = IOHANG_REQUEUE;
	if (nr_failed) {
		ic->stats.released += nr_failed;
		ic->late_released += nr_failed;
		closing = IOHANG_FAIL_ALL;
	}
	nr_gone = nr_done + w.nr_expired + nr_failed + nr_requeued;
	if (w.nr_expired) {
		ic->stats.timed_out += w.nr_expired;
		__iohang_queue_event(ic, IOHANG_TIMEOUT, w.nr_expired, 0,
				     ic->nr_held - nr_gone);
		closing = IOHANG_TIMEOUT;
	}
	if (__iohang_drop(ic, nr_gone, closing, &end))
		__iohang_queue_closing(ic, closing, &end);
	nr_held = ic->nr_held;
	wake = time_before(ic->next_retry, ic->next_expiry) ?
	       ic->next_retry : ic->next_expiry;
	spin_unlock_irq(&ic->lock);
	iohang_note_run(&longest_locked_us, locked);

	iohang_send_events_later(ic);

	/*
	 * While anything is held, come back at the next retry or expiry.
	 * queue_delayed_work() leaves an earlier kick in place.
	 */
	if (nr_held)
		queue_delayed_work(kiohangd, &ic->work,
				   max_t(long, (long)(wake - jiffies), 1));
	iohang_note_run(&longest_work_us, started);
}

static void iohang_log_event(struct iohang_c *ic, const char *name,
			     const struct iohang_event *ev)
{
	switch (ev->action) {
	case IOHANG_HANG:
		DMWARN("%s: I/O failed with error %d, holding I/O for up to %u ms",
		       name, blk_status_to_errno(ev->error),
		       READ_ONCE(ic->timeout_ms));
		break;
	case IOHANG_RECOVER:
		DMINFO("%s: I/O recovered after %u ms", name, ev->duration_ms);
		break;
	case IOHANG_TIMEOUT:
		DMERR("%s: timeout, failing %u held bios (%u still held)",
		      name, ev->count, ev->held);
		break;
	case IOHANG_FAIL_ALL:
		DMWARN("%s: fail_all, failing %u held bios (%u still held)",
		       name, ev->count, ev->held);
		break;
	case IOHANG_REQUEUE:
		DMINFO("%s: suspended without flush, %u held bios requeued after %u ms",
		       name, ev->count, ev->duration_ms);
		break;
	}
}

static int iohang_add_event_vars(struct kobj_uevent_env *env,
				 struct iohang_c *ic,
				 const struct iohang_event *ev)
{
	int r;

	r = add_uevent_var(env, "%s=%s", DM_IOHANG_UEVENT_TARGET,
			   DM_IOHANG_TARGET_NAME) ?:
	    add_uevent_var(env, "%s=%s", DM_IOHANG_UEVENT_ACTION,
			   iohang_action_name(ev->action)) ?:
	    add_uevent_var(env, "%s=%u", DM_IOHANG_UEVENT_SEQNUM,
			   (unsigned int)atomic_inc_return(&iohang_uevent_seq)) ?:
	    add_uevent_var(env, "%s=%s", DM_IOHANG_UEVENT_NAME, ic->name) ?:
	    add_uevent_var(env, "%s=%s", DM_IOHANG_UEVENT_UUID, ic->uuid) ?:
	    add_uevent_var(env, "%s=%u", DM_IOHANG_UEVENT_HELD, ev->held);
	if (r)
		return r;

	switch (ev->action) {
	case IOHANG_RECOVER:
		return add_uevent_var(env, "%s=%u",
				      DM_IOHANG_UEVENT_DURATION_MS,
				      ev->duration_ms);
	case IOHANG_TIMEOUT:
	case IOHANG_FAIL_ALL:
		return add_uevent_var(env, "%s=%u", DM_IOHANG_UEVENT_FAILED,
				      ev->count);
	case IOHANG_REQUEUE:
		return add_uevent_var(env, "%s=%u", DM_IOHANG_UEVENT_REQUEUED,
				      ev->count);
	case IOHANG_HANG:
		break;
	}
	return 0;
}

static void iohang_send_uevent(struct iohang_c *ic, struct mapped_device *md,
			       const struct iohang_event *ev)
{
	struct kobj_uevent_env *env;
	int r;

	env = kzalloc(sizeof(*env), GFP_NOIO);
	if (!env) {
		DMERR_LIMIT("%s: no memory for a uevent", dm_device_name(md));
		return;
	}
	r = iohang_add_event_vars(env, ic, ev);
	if (!r)
		r = kobject_uevent_env(&disk_to_dev(dm_disk(md))->kobj,
				       KOBJ_CHANGE, env->envp);
	if (r)
		DMERR_LIMIT("%s: sending a uevent failed: %d",
			    dm_device_name(md), r);
	kfree(env);
}

static void iohang_event_work(struct work_struct *work)
{
	struct iohang_c *ic = container_of(work, struct iohang_c, event_work);
	struct mapped_device *md = dm_table_get_md(ic->ti->table);
	struct iohang_event events[IOHANG_MAX_PENDING_EVENTS];
	unsigned int nr_events, noio_flags, i;

	spin_lock_irq(&ic->lock);
	nr_events = ic->nr_events;
	memcpy(events, ic->events, nr_events * sizeof(events[0]));
	WRITE_ONCE(ic->nr_events, 0);
	spin_unlock_irq(&ic->lock);

	if (!nr_events)
		return;

	/*
	 * A rename since the last event shows here; at removal the names
	 * are gone from dm's hash and the last ones known are sent.
	 */
	dm_copy_name_and_uuid(md, ic->name, ic->uuid);

	/*
	 * The uevent allocates; reclaim must not write back through a
	 * device whose I/O is held here.
	 */
	noio_flags = memalloc_noio_save();
	for (i = 0; i < nr_events; i++) {
		iohang_log_event(ic, dm_device_name(md), &events[i]);
		iohang_send_uevent(ic, md, &events[i]);
	}
	memalloc_noio_restore(noio_flags);

	dm_table_event(ic->ti->table);
}

static void iohang_fail_all(struct iohang_c *ic)
{
	struct bio_list bios = BIO_EMPTY_LIST;
	struct iohang_hang_end end;
	unsigned int nr_failed;

	spin_lock_irq(&ic->lock);
	bio_list_merge(&bios, &ic->held_bios);
	bio_list_init(&ic->held_bios);
	ic->release_gen++;
	spin_unlock_irq(&ic->lock);

	nr_failed = iohang_fail_list(ic, &bios, IOHANG_FAIL_ALL);
	if (nr_failed) {
		spin_lock_irq(&ic->lock);
		ic->stats.released += nr_failed;
		__iohang_queue_event(ic, IOHANG_FAIL_ALL, nr_failed, 0,
				     ic->nr_held - nr_failed);
		__iohang_drop(ic, nr_failed, IOHANG_FAIL_ALL, &end);
		spin_unlock_irq(&ic->lock);
		iohang_send_events_later(ic);
	}
	/* Bios the worker is walking are failed when it puts them back. */
	iohang_kick(ic);
}

static void iohang_set_timeout(struct iohang_c *ic, unsigned int timeout_ms)
{
	spin_lock_irq(&ic->lock);
	WRITE_ONCE(ic->timeout_ms, timeout_ms);
	/* The new timeout applies to the bios already held. */
	ic->walk_requested = true;
	spin_unlock_irq(&ic->lock);
	iohang_kick(ic);
}

static void iohang_set_retry_interval(struct iohang_c *ic,
				      unsigned int interval_ms)
{
	unsigned long next;

	spin_lock_irq(&ic->lock);
	ic->retry_interval_ms = interval_ms;
	next = jiffies + msecs_to_jiffies(interval_ms);
	if (time_before(next, ic->next_retry))
		ic->next_retry = next;
	spin_unlock_irq(&ic->lock);
	iohang_kick(ic);
}

static void iohang_retry_now(struct iohang_c *ic)
{
	spin_lock_irq(&ic->lock);
	ic->retry_requested = true;
	spin_unlock_irq(&ic->lock);
	iohang_kick(ic);
}

static void iohang_reset_stats(struct iohang_c *ic)
{
	spin_lock_irq(&ic->lock);
	memset(&ic->stats, 0, sizeof(ic->stats));
	spin_unlock_irq(&ic->lock);
}

/*
 * A noflush suspend (table reload, LVM) hands the held bios back to dm
 * core, which reissues them to the new table after resume.  A flush
 * suspend waits for them: they keep being retried until they succeed,
 * time out or are released by fail_all.
 */
static void iohang_presuspend(struct dm_target *ti)
{
	struct iohang_c *ic = ti->private;
	struct bio_list bios = BIO_EMPTY_LIST;
	struct bio_list rehold = BIO_EMPTY_LIST;
	struct iohang_hang_end end;
	unsigned int nr_requeued;

	if (!dm_noflush_suspending(ti))
		return;

	/*
	 * dm core blocks new I/O only after presuspend: a requeued bio can
	 * come back here once more, fail, and be handed back again.
	 */
	spin_lock_irq(&ic->lock);
	WRITE_ONCE(ic->pushing_back, true);
	bio_list_merge(&bios, &ic->held_bios);
	bio_list_init(&ic->held_bios);
	spin_unlock_irq(&ic->lock);

	nr_requeued = iohang_requeue_list(ic, &bios, &rehold);

	spin_lock_irq(&ic->lock);
	if (!bio_list_empty(&rehold)) {
		bio_list_merge(&ic->held_bios, &rehold);
		ic->walk_requested = true;
		WRITE_ONCE(ic->unanswered, true);
	}
	ic->requeued += nr_requeued;
	if (__iohang_drop(ic, nr_requeued, IOHANG_REQUEUE, &end))
		__iohang_queue_closing(ic, IOHANG_REQUEUE, &end);
	spin_unlock_irq(&ic->lock);

	iohang_send_events_later(ic);
	/* Bios the worker is walking are handed back when it is done. */
	iohang_kick(ic);
}

static void iohang_resume(struct dm_target *ti)
{
	struct iohang_c *ic = ti->private;

	spin_lock_irq(&ic->lock);
	WRITE_ONCE(ic->pushing_back, false);
	ic->suspended = false;
	spin_unlock_irq(&ic->lock);
}

/*
 * Nothing is in flight after a suspend.  Only the removal of a device that
 * was never suspended gets here with bios held: they fail, and the ones
 * being resubmitted fail when they come back.  The worker completes every
 * one of them and the count drops after bio_endio() has returned, so
 * once it is 0 and the worker flushed, dm core is done with them all and
 * the table can go.
 */
static void iohang_postsuspend(struct dm_target *ti)
{
	struct iohang_c *ic = ti->private;

	spin_lock_irq(&ic->lock);
	ic->suspended = true;
	spin_unlock_irq(&ic->lock);

	/*
	 * After a suspend, what is left is the worker finishing the bios it
	 * completed (fail_all then finds nothing to fail); at removal, bios
	 * held or in flight.
	 */
	if (READ_ONCE(ic->nr_held)) {
		iohang_fail_all(ic);
		spin_lock_irq(&ic->lock);
		if (!wait_event_lock_irq_timeout(ic->all_released, !ic->nr_held,
						 ic->lock, HZ))
			DMWARN("%s: waiting for %u resubmitted bios to come back",
			       dm_device_name(dm_table_get_md(ti->table)),
			       ic->nr_held);
		wait_event_lock_irq(ic->all_released, !ic->nr_held, ic->lock);
		spin_unlock_irq(&ic->lock);
	}
	flush_delayed_work(&ic->work);
	flush_work(&ic->event_work);
}

static unsigned int iohang_emit_retry_on(struct iohang_c *ic, char *result,
					 unsigned int maxlen, unsigned int sz)
{
	const char *sep = "";
	int i;

	for (i = 0; i < ARRAY_SIZE(iohang_statuses); i++) {
		if (!(ic->retry_on & BIT(i)))
			continue;
		DMEMIT("%s%s", sep, iohang_statuses[i].name);
		sep = DM_IOHANG_RETRY_ON_SEPARATOR;
	}
	return sz;
}

static const char *__iohang_state(struct iohang_c *ic)
{
	if (ic->hung)
		return DM_IOHANG_STATE_HUNG;
	if (!ic->timeout_ms)
		return DM_IOHANG_STATE_DISABLED;
	return DM_IOHANG_STATE_OK;
}

/*
 * INFO:  <state> <held> <hang_events> <recovered> <timed_out> <retries>
 *        <longest_hang_ms> <overflowed> <released>
 * TABLE: <dev> <offset> <timeout_ms> [<#feature args> [<arg>]*]
 *        with the current timeout and interval, options in canonical
 *        order, and only those that differ from their defaults.
 */
static void iohang_status(struct dm_target *ti, status_type_t type,
			  unsigned int status_flags, char *result,
			  unsigned int maxlen)
{
	struct iohang_c *ic = ti->private;
	bool retry_all = test_bit(IOHANG_FEATURE_RETRY_ALL, &ic->flags);
	bool hold_new_io = test_bit(IOHANG_FEATURE_HOLD_NEW_IO, &ic->flags);
	bool fail_flush = test_bit(IOHANG_FEATURE_FAIL_FLUSH, &ic->flags);
	unsigned int longest_ms, sz = 0;
	bool interval, retry_on;
	unsigned long flags;

	/* A message may change the interval while the line is written. */
	spin_lock_irqsave(&ic->lock, flags);
	interval = ic->retry_interval_ms != DM_IOHANG_DEFAULT_RETRY_INTERVAL_MS;
	retry_on = ic->retry_on != IOHANG_RETRY_ON_DEFAULT;
	switch (type) {
	case STATUSTYPE_INFO:
		longest_ms = ic->stats.longest_hang_ms;
		if (ic->hung)
			longest_ms = max(longest_ms,
					 jiffies_to_msecs(jiffies - ic->hang_start));
		DMEMIT("%s %u %llu %llu %llu %llu %u %llu %llu",
		       __iohang_state(ic), ic->nr_held, ic->stats.hang_events,
		       ic->stats.recovered, ic->stats.timed_out,
		       ic->stats.retries, longest_ms, ic->stats.overflowed,
		       ic->stats.released);
		break;

	case STATUSTYPE_TABLE:
		DMEMIT("%s %llu %u", ic->dev->name,
		       (unsigned long long)ic->start, ic->timeout_ms);
		if (!(interval || retry_on || retry_all || hold_new_io ||
		      ic->max_held || fail_flush))
			break;
		DMEMIT(" %u", interval * 2 + retry_on * 2 + retry_all +
		       hold_new_io + (ic->max_held ? 2 : 0) + fail_flush);
		if (interval)
			DMEMIT(" " DM_IOHANG_OPT_RETRY_INTERVAL " %u",
			       ic->retry_interval_ms);
		if (retry_on) {
			DMEMIT(" " DM_IOHANG_OPT_RETRY_ON " ");
			sz = iohang_emit_retry_on(ic, result, maxlen, sz);
		}
		if (retry_all)
			DMEMIT(" " DM_IOHANG_OPT_RETRY_ALL);
		if (hold_new_io)
			DMEMIT(" " DM_IOHANG_OPT_HOLD_NEW_IO);
		if (ic->max_held)
			DMEMIT(" " DM_IOHANG_OPT_MAX_HELD " %u", ic->max_held);
		if (fail_flush)
			DMEMIT(" " DM_IOHANG_OPT_FAIL_FLUSH);
		break;

	case STATUSTYPE_IMA:
		DMEMIT_TARGET_NAME_VERSION(ti->type);
		DMEMIT(",device_name=%s,start=%llu,timeout_ms=%u,retry_interval_ms=%u,retry_on=",
		       ic->dev->name, (unsigned long long)ic->start,
		       ic->timeout_ms, ic->retry_interval_ms);
		sz = iohang_emit_retry_on(ic, result, maxlen, sz);
		DMEMIT(",retry_all=%c,hold_new_io=%c,max_held=%u,fail_flush=%c;",
		       retry_all ? 'y' : 'n', hold_new_io ? 'y' : 'n',
		       ic->max_held, fail_flush ? 'y' : 'n');
		break;
	}
	spin_unlock_irqrestore(&ic->lock, flags);
}

static const char *iohang_name(struct iohang_c *ic)
{
	return dm_device_name(dm_table_get_md(ic->ti->table));
}

static bool iohang_message_argc(struct iohang_c *ic, unsigned int argc,
				char **argv, unsigned int expected)
{
	if (argc == expected + 1)
		return true;
	DMWARN("%s: message %s takes %u argument(s), %u given",
	       iohang_name(ic), argv[0], expected, argc - 1);
	return false;
}

static int iohang_message_value(struct iohang_c *ic, unsigned int argc,
				char **argv, unsigned int min,
				unsigned int max, unsigned int *value)
{
	if (!iohang_message_argc(ic, argc, argv, 1))
		return -EINVAL;
	if (kstrtouint(argv[1], 10, value) || *value < min || *value > max) {
		DMWARN("%s: message %s: invalid value '%s', expected %u to %u",
		       iohang_name(ic), argv[0], argv[1], min, max);
		return -EINVAL;
	}
	return 0;
}

/*
 * Messages are served during a suspend too: fail_all and retry_now are how
 * an operator unblocks a flush suspend that waits for held I/O.
 */
static int iohang_message(struct dm_target *ti, unsigned int argc,
			  char **argv, char *result, unsigned int maxlen)
{
	struct iohang_c *ic = ti->private;
	unsigned int value;

	if (!strcasecmp(argv[0], DM_IOHANG_MSG_SET_TIMEOUT)) {
		if (iohang_message_value(ic, argc, argv, 0,
					 DM_IOHANG_MAX_TIMEOUT_MS, &value))
			return -EINVAL;
		iohang_set_timeout(ic, value);
		return 0;
	}

	if (!strcasecmp(argv[0], DM_IOHANG_MSG_SET_RETRY_INTERVAL)) {
		if (iohang_message_value(ic, argc, argv, 1,
					 DM_IOHANG_MAX_RETRY_INTERVAL_MS,
					 &value))
			return -EINVAL;
		iohang_set_retry_interval(ic, value);
		return 0;
	}

	if (!strcasecmp(argv[0], DM_IOHANG_MSG_FAIL_ALL)) {
		if (!iohang_message_argc(ic, argc, argv, 0))
			return -EINVAL;
		iohang_fail_all(ic);
		return 0;
	}

	if (!strcasecmp(argv[0], DM_IOHANG_MSG_RETRY_NOW)) {
		if (!iohang_message_argc(ic, argc, argv, 0))
			return -EINVAL;
		iohang_retry_now(ic);
		return 0;
	}

	if (!strcasecmp(argv[0], DM_IOHANG_MSG_RESET_STATS)) {
		if (!iohang_message_argc(ic, argc, argv, 0))
			return -EINVAL;
		iohang_reset_stats(ic);
		return 0;
	}

	DMWARN("%s: unrecognised iohang message received: %s",
	       iohang_name(ic), argv[0]);
	return -EINVAL;
}

static int iohang_prepare_ioctl(struct dm_target *ti,
				struct block_device **bdev)
{
	struct iohang_c *ic = ti->private;

	*bdev = ic->dev->bdev;

	/* Only pass ioctls through if the device sizes match exactly. */
	if (ic->start || ti->len != bdev_nr_sectors(*bdev))
		return 1;
	return 0;
}

static int iohang_iterate_devices(struct dm_target *ti,
				  iterate_devices_callout_fn fn, void *data)
{
	struct iohang_c *ic = ti->private;

	return fn(ti, ic->dev, ic->start, ti->len, data);
}

static struct target_type iohang_target = {
	.name = DM_IOHANG_TARGET_NAME,
	.version = {DM_IOHANG_VERSION_MAJOR, DM_IOHANG_VERSION_MINOR,
		    DM_IOHANG_VERSION_PATCH},
	/*
	 * Never DM_TARGET_PASSES_CRYPTO or _INTEGRITY: on 6.1 bio_endio()
	 * frees a bio's crypt context and integrity payload before end_io,
	 * so a held bio could not be resubmitted with them.
	 */
	.features = DM_TARGET_NOWAIT,
	.module = THIS_MODULE,
	.ctr = iohang_ctr,
	.dtr = iohang_dtr,
	.map = iohang_map,
	.end_io = iohang_end_io,
	.presuspend = iohang_presuspend,
	.presuspend_undo = iohang_resume,
	.postsuspend = iohang_postsuspend,
	.resume = iohang_resume,
	.status = iohang_status,
	.message = iohang_message,
	.prepare_ioctl = iohang_prepare_ioctl,
	.iterate_devices = iohang_iterate_devices,
};

static int __init dm_iohang_init(void)
{
	int r;

	kiohangd = alloc_workqueue("kiohangd", WQ_MEM_RECLAIM, 0);
	if (!kiohangd) {
		DMERR("failed to create workqueue kiohangd");
		return -ENOMEM;
	}

	r = dm_register_target(&iohang_target);
	if (r < 0) {
		DMERR("register failed %d", r);
		destroy_workqueue(kiohangd);
	}
	return r;
}

static void __exit dm_iohang_exit(void)
{
	dm_unregister_target(&iohang_target);
	destroy_workqueue(kiohangd);
}

module_init(dm_iohang_init);
module_exit(dm_iohang_exit);

MODULE_DESCRIPTION(DM_NAME " target that holds failed I/O until its device returns");
MODULE_AUTHOR("The dm-iohang authors");
MODULE_LICENSE("GPL");
/* Out of tree, the build passes the project's version (file VERSION). */
#ifdef DM_IOHANG_PROJECT_VERSION
MODULE_VERSION(DM_IOHANG_PROJECT_VERSION);
#endif
