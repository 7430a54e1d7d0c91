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
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "dm-iohang.h"
#include "dm-iohang-bio-record.h"

#define DM_MSG_PREFIX "iohang"

/*
 * iohang: the same as the linear target, except that a bio completing with
 * a retryable error is held and resubmitted every retry interval, until it
 * succeeds or until the per-device timeout has passed since its first
 * failure; only then does its original error reach the upper layer.  A
 * storage outage shorter than the timeout looks like slow I/O to the
 * filesystem above instead of an I/O error.
 */

#define IOHANG_MAX_PENDING_EVENTS 8

/*
 * Held bios expire at most this long after their timeout (and no more than
 * one retry interval after it), so that bios which failed within a moment
 * of each other time out together, in one event.
 */
#define IOHANG_MAX_EXPIRY_BATCH_MS 1000U

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
	sector_t start;
	unsigned long flags;
	unsigned int retry_on;
	unsigned int max_held;

	spinlock_t lock;	/* protects everything below */
	unsigned int timeout_ms;
	unsigned int retry_interval_ms;
	/* Bios waiting for their next resubmission, oldest first. */
	struct bio_list held_bios;
	/* Bios owned by iohang: in held_bios or resubmitted and not back. */
	unsigned int nr_held;
	bool hung;
	bool probing;
	bool retry_requested;
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
	blk_status_t last_error;
	/* Bumped by fail_all, so resubmitted bios fail when they return. */
	unsigned int release_gen;
	unsigned int nr_events;
	struct iohang_event events[IOHANG_MAX_PENDING_EVENTS];
	struct iohang_stats stats;

	struct delayed_work work;
	wait_queue_head_t all_released;
};

enum feature_flag_bits {
	PROBE,
	HOLD_NEW_IO,
};

enum iohang_bio_flags {
	IOHANG_BIO_HELD = 1,
	IOHANG_BIO_RELEASED = 2,
	IOHANG_BIO_PROBE = 4,
};

struct iohang_bio {
	struct iohang_bio_record record;
	unsigned long first_failure;
	unsigned int release_gen;
	blk_status_t error;
	u8 flags;
};

/* The completion statuses retry_on can name, in canonical order. */
static const struct {
	const char *name;
	blk_status_t status;
} iohang_statuses[] = {
	{ DM_IOHANG_STS_IOERR, BLK_STS_IOERR },
	{ DM_IOHANG_STS_TRANSPORT, BLK_STS_TRANSPORT },
	{ DM_IOHANG_STS_TIMEOUT, BLK_STS_TIMEOUT },
	{ DM_IOHANG_STS_MEDIUM, BLK_STS_MEDIUM },
	{ DM_IOHANG_STS_NOSPC, BLK_STS_NOSPC },
};

#define IOHANG_RETRY_ON_DEFAULT BIT(0)

static struct workqueue_struct *kiohangd;

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
	bool interval_seen = false, retry_on_seen = false;
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

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_PROBE)) {
			if (test_and_set_bit(PROBE, &ic->flags)) {
				ti->error = "Feature probe duplicated";
				return -EINVAL;
			}
			continue;
		}

		if (!strcasecmp(arg_name, DM_IOHANG_OPT_HOLD_NEW_IO)) {
			if (test_and_set_bit(HOLD_NEW_IO, &ic->flags)) {
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

	return 0;
}

static void iohang_dtr(struct dm_target *ti)
{
	struct iohang_c *ic = ti->private;

	cancel_delayed_work_sync(&ic->work);
	/* Suspend waited for every held bio, so none can be left. */
	WARN_ON_ONCE(ic->nr_held);
	if (ic->dev)
		dm_put_device(ti, ic->dev);
	kfree(ic);
}

static void iohang_work(struct work_struct *work);

/*
 * Construct an iohang mapping:
 * <dev_path> <offset> <timeout_ms> [<#feature args> [<arg>]*]
 *
 * Feature args:
 *   retry_interval_ms <ms>   period between resubmissions (default 1000)
 *   retry_on <status>[,<status>]*  ioerr, transport, timeout, medium, nospc
 *   probe                    while hung, resubmit only the oldest bio
 *   hold_new_io              while hung, hold new bios without sending them
 *   max_held <n>             hold at most n bios
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
	INIT_DELAYED_WORK(&ic->work, iohang_work);
	init_waitqueue_head(&ic->all_released);
	ic->retry_interval_ms = DM_IOHANG_DEFAULT_RETRY_INTERVAL_MS;

	as.argc = argc;
	as.argv = argv;
	devname = dm_shift_arg(&as);

	r = -EINVAL;
	if (kstrtoull(dm_shift_arg(&as), 10, &start) ||
	    start != (sector_t)start) {
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

	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_secure_erase_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->per_io_data_size = sizeof(struct iohang_bio);
	return 0;

bad:
	iohang_dtr(ti);
	return r;
}

static void iohang_kick(struct iohang_c *ic)
{
	mod_delayed_work(kiohangd, &ic->work, 0);
}

static void __iohang_queue_event(struct iohang_c *ic,
				 enum iohang_action action,
				 unsigned int count, unsigned int duration_ms)
{
	struct iohang_event *ev;

	lockdep_assert_held(&ic->lock);

	/*
	 * The work item normally empties this queue within moments; if it
	 * fills up, the newest event overwrites the last, so the final state
	 * is always reported.
	 */
	if (ic->nr_events < IOHANG_MAX_PENDING_EVENTS)
		ic->nr_events++;
	ev = &ic->events[ic->nr_events - 1];
	ev->action = action;
	ev->count = count;
	ev->duration_ms = duration_ms;
	ev->held = ic->nr_held;
	ev->error = ic->last_error;
}

static void __iohang_start_hang(struct iohang_c *ic)
{
	unsigned long now = jiffies;

	lockdep_assert_held(&ic->lock);

	ic->hung = true;
	ic->hang_start = now;
	ic->next_retry = now + msecs_to_jiffies(ic->retry_interval_ms);
	ic->stats.hang_events++;
	__iohang_queue_event(ic, IOHANG_HANG, 0, 0);
}

/* Returns how long the hang lasted, in milliseconds. */
static unsigned int __iohang_end_hang(struct iohang_c *ic)
{
	unsigned int duration_ms;

	lockdep_assert_held(&ic->lock);

	duration_ms = jiffies_to_msecs(jiffies - ic->hang_start);
	ic->stats.longest_hang_ms = max(ic->stats.longest_hang_ms,
					duration_ms);
	ic->hung = false;
	ic->probing = false;
	ic->late_released = 0;
	ic->requeued = 0;
	return duration_ms;
}

/* A held bio leaves iohang's hands; returns true if the device is now ok. */
static bool __iohang_unhold(struct iohang_c *ic)
{
	lockdep_assert_held(&ic->lock);

	ic->nr_held--;
	if (!ic->nr_held)
		wake_up(&ic->all_released);
	return !ic->nr_held && ic->hung;
}

static bool iohang_error_is_retryable(struct iohang_c *ic, struct bio *bio,
				      blk_status_t error)
{
	int i;

	if (bio->bi_opf & (REQ_RAHEAD | REQ_FAILFAST_MASK))
		return false;
	for (i = 0; i < ARRAY_SIZE(iohang_statuses); i++)
		if ((ic->retry_on & BIT(i)) &&
		    iohang_statuses[i].status == error)
			return true;
	return false;
}

static void iohang_remap(struct iohang_c *ic, struct bio *bio)
{
	bio_set_dev(bio, ic->dev->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector =
			ic->start + dm_target_offset(ic->ti, bio->bi_iter.bi_sector);
}

/* Complete a held bio with @error, bypassing the holding in end_io. */
static void iohang_release(struct bio *bio, blk_status_t error)
{
	struct iohang_bio *ib = dm_per_bio_data(bio, sizeof(*ib));

	iohang_bio_restore(&ib->record, bio);
	ib->flags |= IOHANG_BIO_RELEASED;
	bio->bi_status = error;
	bio_endio(bio);
}

static void iohang_release_list(struct bio_list *bios, bool requeue)
{
	struct iohang_bio *ib;
	struct bio *bio;

	while ((bio = bio_list_pop(bios))) {
		ib = dm_per_bio_data(bio, sizeof(*ib));
		iohang_release(bio, requeue ? BLK_STS_DM_REQUEUE : ib->error);
	}
}

static void iohang_resubmit_list(struct iohang_c *ic, struct bio_list *bios,
				 unsigned int gen)
{
	struct iohang_bio *ib;
	struct blk_plug plug;
	struct bio *bio;

	blk_start_plug(&plug);
	while ((bio = bio_list_pop(bios))) {
		ib = dm_per_bio_data(bio, sizeof(*ib));
		iohang_bio_restore(&ib->record, bio);
		iohang_remap(ic, bio);
		ib->release_gen = gen;
		bio->bi_status = BLK_STS_OK;
		submit_bio_noacct(bio);
	}
	blk_finish_plug(&plug);
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
	ib->error = error;
	ib->release_gen = ic->release_gen;
	ic->last_error = error;
	ic->nr_held++;
	bio_list_add(&ic->held_bios, bio);
	if (!ic->hung)
		__iohang_start_hang(ic);
}

static bool __iohang_full(struct iohang_c *ic)
{
	return ic->max_held && ic->nr_held >= ic->max_held;
}

static bool iohang_hold_new(struct iohang_c *ic, struct bio *bio,
			    struct iohang_bio *ib)
{
	unsigned long flags;
	bool held;

	if (bio->bi_opf & (REQ_RAHEAD | REQ_FAILFAST_MASK))
		return false;

	spin_lock_irqsave(&ic->lock, flags);
	held = ic->hung && ic->timeout_ms && !ic->pushing_back &&
	       !__iohang_full(ic);
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
	    test_bit(HOLD_NEW_IO, &ic->flags) && iohang_hold_new(ic, bio, ib))
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
	if (ic->pushing_back) {
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
	/*
	 * Kick under the lock: once it is dropped, removal may free ic as soon
	 * as nothing is held (see iohang_postsuspend()).
	 */
	if (ic->nr_events)
		iohang_kick(ic);
	spin_unlock_irqrestore(&ic->lock, flags);

	return r;
}

/* A bio resubmitted by iohang_work() has completed again. */
static int iohang_retried_end_io(struct iohang_c *ic, struct bio *bio,
				 struct iohang_bio *ib, blk_status_t *error)
{
	bool was_probe = ib->flags & IOHANG_BIO_PROBE;
	int r = DM_ENDIO_DONE;
	unsigned long flags;

	ib->flags &= ~IOHANG_BIO_PROBE;

	spin_lock_irqsave(&ic->lock, flags);
	if (was_probe)
		ic->probing = false;

	if (!*error) {
		ic->stats.recovered++;
		/* The probe got through: release every held bio at once. */
		if (was_probe)
			ic->retry_requested = true;
		if (__iohang_unhold(ic))
			__iohang_queue_event(ic, IOHANG_RECOVER, 0,
					     __iohang_end_hang(ic));
	} else if (ic->pushing_back) {
		r = DM_ENDIO_REQUEUE;
		ic->requeued++;
		if (__iohang_unhold(ic)) {
			unsigned int nr_requeued = ic->requeued;

			__iohang_queue_event(ic, IOHANG_REQUEUE, nr_requeued,
					     __iohang_end_hang(ic));
		}
	} else if (ib->release_gen != ic->release_gen || ic->suspended) {
		/* fail_all was sent while this bio was being resubmitted. */
		*error = ib->error;
		ic->stats.released++;
		ic->late_released++;
		if (__iohang_unhold(ic)) {
			unsigned int nr_late = ic->late_released;

			__iohang_end_hang(ic);
			__iohang_queue_event(ic, IOHANG_FAIL_ALL, nr_late, 0);
		}
	} else if (*error == BLK_STS_NOTSUPP) {
		/*
		 * Any other failure keeps the bio held, whatever its status:
		 * an outage changes how it fails (an iSCSI disk fails I/O,
		 * then goes away until it is replaced).  This one never
		 * succeeds, so it ends the wait like an answer.
		 */
		ic->stats.recovered++;
		if (__iohang_unhold(ic))
			__iohang_queue_event(ic, IOHANG_RECOVER, 0,
					     __iohang_end_hang(ic));
	} else {
		ic->last_error = *error;
		if (was_probe)
			bio_list_add_head(&ic->held_bios, bio);
		else
			bio_list_add(&ic->held_bios, bio);
		r = DM_ENDIO_INCOMPLETE;
	}
	/* With the timeout at 0 the bio back in the list fails at once. */
	if (ic->nr_events || ic->retry_requested ||
	    (r == DM_ENDIO_INCOMPLETE && !ic->timeout_ms))
		iohang_kick(ic);
	spin_unlock_irqrestore(&ic->lock, flags);

	return r;
}

static int iohang_end_io(struct dm_target *ti, struct bio *bio,
			 blk_status_t *error)
{
	struct iohang_c *ic = ti->private;
	struct iohang_bio *ib = dm_per_bio_data(bio, sizeof(*ib));

	if (likely(!ib->flags)) {
		if (likely(!*error) || !READ_ONCE(ic->timeout_ms) ||
		    !iohang_error_is_retryable(ic, bio, *error))
			return DM_ENDIO_DONE;
		return iohang_hold_failed(ic, bio, ib, *error);
	}

	if (ib->flags & IOHANG_BIO_RELEASED)
		return DM_ENDIO_DONE;

	return iohang_retried_end_io(ic, bio, ib, error);
}

/*
 * Move the held bios whose age has reached the timeout to @expired.
 * Returns the time at which the next of the remaining bios expires.
 */
static unsigned long __iohang_expire(struct iohang_c *ic, unsigned long now,
				     struct bio_list *expired)
{
	unsigned long timeout = msecs_to_jiffies(ic->timeout_ms);
	unsigned long batch = msecs_to_jiffies(min(ic->retry_interval_ms,
						   IOHANG_MAX_EXPIRY_BATCH_MS));
	unsigned long wake = now + (timeout ?: MAX_JIFFY_OFFSET);
	struct bio_list keep = BIO_EMPTY_LIST;
	unsigned int nr_expired = 0;
	struct iohang_bio *ib;
	unsigned long expiry;
	struct bio *bio;

	lockdep_assert_held(&ic->lock);

	while ((bio = bio_list_pop(&ic->held_bios))) {
		ib = dm_per_bio_data(bio, sizeof(*ib));
		expiry = ib->first_failure + timeout;
		if (!ic->timeout_ms || time_after_eq(now, expiry)) {
			bio_list_add(expired, bio);
			nr_expired++;
		} else {
			bio_list_add(&keep, bio);
			if (time_before(expiry + batch, wake))
				wake = expiry + batch;
		}
	}
	ic->held_bios = keep;

	if (nr_expired) {
		ic->nr_held -= nr_expired;
		ic->stats.timed_out += nr_expired;
		__iohang_queue_event(ic, IOHANG_TIMEOUT, nr_expired, 0);
		if (ic->hung && !ic->nr_held)
			__iohang_end_hang(ic);
	}
	return wake;
}

/* Move the bios due for resubmission to @resubmit. */
static void __iohang_pick_retries(struct iohang_c *ic, unsigned long now,
				  struct bio_list *resubmit)
{
	struct iohang_bio *ib;
	struct bio *bio;

	lockdep_assert_held(&ic->lock);

	if (ic->pushing_back ||
	    (!ic->retry_requested && time_before(now, ic->next_retry)))
		return;

	if (test_bit(PROBE, &ic->flags) && !ic->retry_requested) {
		if (!ic->probing && !bio_list_empty(&ic->held_bios)) {
			bio = bio_list_pop(&ic->held_bios);
			ib = dm_per_bio_data(bio, sizeof(*ib));
			ib->flags |= IOHANG_BIO_PROBE;
			ic->probing = true;
			bio_list_add(resubmit, bio);
		}
	} else {
		bio_list_merge(resubmit, &ic->held_bios);
		bio_list_init(&ic->held_bios);
	}

	ic->stats.retries += bio_list_size(resubmit);
	ic->retry_requested = false;
	ic->next_retry = now + msecs_to_jiffies(ic->retry_interval_ms);
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

static void iohang_send_uevent(struct mapped_device *md,
			       const struct iohang_event *ev)
{
	static char target_env[] = DM_IOHANG_UEVENT_TARGET "="
				   DM_IOHANG_TARGET_NAME;
	char name[DM_NAME_LEN] = "", uuid[DM_UUID_LEN] = "";
	char name_env[sizeof(DM_IOHANG_UEVENT_NAME) + DM_NAME_LEN];
	char uuid_env[sizeof(DM_IOHANG_UEVENT_UUID) + DM_UUID_LEN];
	char action_env[sizeof(DM_IOHANG_UEVENT_ACTION) + 32];
	char held_env[sizeof(DM_IOHANG_UEVENT_HELD) + 16];
	char extra_env[sizeof(DM_IOHANG_UEVENT_DURATION_MS) + 16];
	char *envp[7];
	unsigned int n = 0;

	dm_copy_name_and_uuid(md, name, uuid);
	snprintf(action_env, sizeof(action_env), "%s=%s",
		 DM_IOHANG_UEVENT_ACTION, iohang_action_name(ev->action));
	snprintf(name_env, sizeof(name_env), "%s=%s",
		 DM_IOHANG_UEVENT_NAME, name);
	snprintf(uuid_env, sizeof(uuid_env), "%s=%s",
		 DM_IOHANG_UEVENT_UUID, uuid);
	snprintf(held_env, sizeof(held_env), "%s=%u",
		 DM_IOHANG_UEVENT_HELD, ev->held);
	envp[n++] = target_env;
	envp[n++] = action_env;
	envp[n++] = name_env;
	envp[n++] = uuid_env;
	envp[n++] = held_env;

	switch (ev->action) {
	case IOHANG_RECOVER:
		snprintf(extra_env, sizeof(extra_env), "%s=%u",
			 DM_IOHANG_UEVENT_DURATION_MS, ev->duration_ms);
		envp[n++] = extra_env;
		break;
	case IOHANG_TIMEOUT:
	case IOHANG_FAIL_ALL:
		snprintf(extra_env, sizeof(extra_env), "%s=%u",
			 DM_IOHANG_UEVENT_FAILED, ev->count);
		envp[n++] = extra_env;
		break;
	case IOHANG_REQUEUE:
		snprintf(extra_env, sizeof(extra_env), "%s=%u",
			 DM_IOHANG_UEVENT_REQUEUED, ev->count);
		envp[n++] = extra_env;
		break;
	case IOHANG_HANG:
		break;
	}
	envp[n] = NULL;

	kobject_uevent_env(&disk_to_dev(dm_disk(md))->kobj, KOBJ_CHANGE, envp);
}

static void iohang_send_events(struct iohang_c *ic,
			       const struct iohang_event *events,
			       unsigned int nr_events)
{
	struct mapped_device *md = dm_table_get_md(ic->ti->table);
	unsigned int noio_flags, i;

	if (!nr_events)
		return;

	/*
	 * The uevent allocates; reclaim must not write back through a
	 * device whose I/O is held here.
	 */
	noio_flags = memalloc_noio_save();
	for (i = 0; i < nr_events; i++) {
		iohang_log_event(ic, dm_device_name(md), &events[i]);
		iohang_send_uevent(md, &events[i]);
	}
	memalloc_noio_restore(noio_flags);

	dm_table_event(ic->ti->table);
}

static void iohang_work(struct work_struct *work)
{
	struct iohang_c *ic = container_of(to_delayed_work(work),
					   struct iohang_c, work);
	struct iohang_event events[IOHANG_MAX_PENDING_EVENTS];
	struct bio_list expired = BIO_EMPTY_LIST;
	struct bio_list resubmit = BIO_EMPTY_LIST;
	unsigned int nr_events, nr_held, gen;
	unsigned long now, wake;

	spin_lock_irq(&ic->lock);
	now = jiffies;
	wake = __iohang_expire(ic, now, &expired);
	__iohang_pick_retries(ic, now, &resubmit);
	if (time_after_eq(now, ic->next_retry))
		ic->next_retry = now + msecs_to_jiffies(ic->retry_interval_ms);
	if (time_before(ic->next_retry, wake))
		wake = ic->next_retry;
	nr_held = ic->nr_held;
	gen = ic->release_gen;
	nr_events = ic->nr_events;
	memcpy(events, ic->events, nr_events * sizeof(events[0]));
	ic->nr_events = 0;
	spin_unlock_irq(&ic->lock);

	iohang_send_events(ic, events, nr_events);
	iohang_release_list(&expired, false);
	iohang_resubmit_list(ic, &resubmit, gen);

	/*
	 * While anything is held, come back at the next retry or expiry.
	 * queue_delayed_work() leaves an earlier kick in place.
	 */
	if (nr_held)
		queue_delayed_work(kiohangd, &ic->work,
				   max_t(long, (long)(wake - jiffies), 1));
}

static void iohang_fail_all(struct iohang_c *ic)
{
	struct bio_list bios = BIO_EMPTY_LIST;
	unsigned int nr_failed;

	spin_lock_irq(&ic->lock);
	bio_list_merge(&bios, &ic->held_bios);
	bio_list_init(&ic->held_bios);
	nr_failed = bio_list_size(&bios);
	ic->release_gen++;
	if (nr_failed) {
		ic->nr_held -= nr_failed;
		ic->stats.released += nr_failed;
		if (!ic->nr_held) {
			wake_up(&ic->all_released);
			__iohang_end_hang(ic);
		}
		__iohang_queue_event(ic, IOHANG_FAIL_ALL, nr_failed, 0);
	}
	spin_unlock_irq(&ic->lock);

	iohang_release_list(&bios, false);
	iohang_kick(ic);
}

static void iohang_set_timeout(struct iohang_c *ic, unsigned int timeout_ms)
{
	spin_lock_irq(&ic->lock);
	ic->timeout_ms = timeout_ms;
	spin_unlock_irq(&ic->lock);
	/* The new timeout applies to the bios already held. */
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
	unsigned int nr_requeued;

	if (!dm_noflush_suspending(ti))
		return;

	spin_lock_irq(&ic->lock);
	ic->pushing_back = true;
	bio_list_merge(&bios, &ic->held_bios);
	bio_list_init(&ic->held_bios);
	nr_requeued = bio_list_size(&bios);
	ic->nr_held -= nr_requeued;
	ic->requeued += nr_requeued;
	if (ic->hung && !ic->nr_held) {
		wake_up(&ic->all_released);
		nr_requeued = ic->requeued;
		__iohang_queue_event(ic, IOHANG_REQUEUE, nr_requeued,
				     __iohang_end_hang(ic));
	}
	spin_unlock_irq(&ic->lock);

	iohang_release_list(&bios, true);
	iohang_kick(ic);
}

static void iohang_resume(struct dm_target *ti)
{
	struct iohang_c *ic = ti->private;

	spin_lock_irq(&ic->lock);
	ic->pushing_back = false;
	ic->suspended = false;
	spin_unlock_irq(&ic->lock);
}

/*
 * Nothing is in flight after a suspend.  Only the removal of a device that
 * was never suspended gets here with bios held: they fail, and the ones
 * being resubmitted fail when they come back, which is waited for so that
 * none of them outlives the target.
 */
static void iohang_postsuspend(struct dm_target *ti)
{
	struct iohang_c *ic = ti->private;

	spin_lock_irq(&ic->lock);
	ic->suspended = true;
	spin_unlock_irq(&ic->lock);

	if (READ_ONCE(ic->nr_held)) {
		iohang_fail_all(ic);
		/* Under the lock: end_io is done with ic once it lets go. */
		spin_lock_irq(&ic->lock);
		wait_event_lock_irq(ic->all_released, !ic->nr_held, ic->lock);
		spin_unlock_irq(&ic->lock);
	}
	flush_delayed_work(&ic->work);
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
	bool interval = ic->retry_interval_ms !=
			DM_IOHANG_DEFAULT_RETRY_INTERVAL_MS;
	bool retry_on = ic->retry_on != IOHANG_RETRY_ON_DEFAULT;
	bool probe = test_bit(PROBE, &ic->flags);
	bool hold_new_io = test_bit(HOLD_NEW_IO, &ic->flags);
	unsigned int longest_ms, sz = 0;
	unsigned long flags;

	spin_lock_irqsave(&ic->lock, flags);
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
		if (!(interval || retry_on || probe || hold_new_io ||
		      ic->max_held))
			break;
		DMEMIT(" %u", interval * 2 + retry_on * 2 + probe +
		       hold_new_io + (ic->max_held ? 2 : 0));
		if (interval)
			DMEMIT(" " DM_IOHANG_OPT_RETRY_INTERVAL " %u",
			       ic->retry_interval_ms);
		if (retry_on) {
			DMEMIT(" " DM_IOHANG_OPT_RETRY_ON " ");
			sz = iohang_emit_retry_on(ic, result, maxlen, sz);
		}
		if (probe)
			DMEMIT(" " DM_IOHANG_OPT_PROBE);
		if (hold_new_io)
			DMEMIT(" " DM_IOHANG_OPT_HOLD_NEW_IO);
		if (ic->max_held)
			DMEMIT(" " DM_IOHANG_OPT_MAX_HELD " %u", ic->max_held);
		break;

	case STATUSTYPE_IMA:
		DMEMIT_TARGET_NAME_VERSION(ti->type);
		DMEMIT(",device_name=%s,start=%llu,timeout_ms=%u,retry_interval_ms=%u,retry_on=",
		       ic->dev->name, (unsigned long long)ic->start,
		       ic->timeout_ms, ic->retry_interval_ms);
		sz = iohang_emit_retry_on(ic, result, maxlen, sz);
		DMEMIT(",probe=%c,hold_new_io=%c,max_held=%u;",
		       probe ? 'y' : 'n', hold_new_io ? 'y' : 'n',
		       ic->max_held);
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
