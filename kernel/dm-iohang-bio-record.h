/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Saving and restoring the fields of a bio that the lower layers change, so
 * that a bio which has completed once can be submitted again.
 *
 * drivers/md/dm-bio-record.h does this for dm-mpath and dm-raid1.  iohang
 * records every bio it maps, so it saves less: see below.
 */
#ifndef DM_IOHANG_BIO_RECORD_H
#define DM_IOHANG_BIO_RECORD_H

#include <linux/bio.h>

/*
 * Unlike dm_bio_record(), end_io and the remaining count are not saved:
 * nothing below a clone replaces its end_io for good, and dm core never
 * maps a chained clone, so its remaining count starts at 1.  The device is
 * saved so that the resubmission's bio_set_dev() sees a change of device
 * and clears BIO_BPS_THROTTLED: the retry is throttled again.  The
 * operation flags are saved because the lower device changes them: it
 * drops REQ_FUA and REQ_PREFLUSH while it has no write cache, and the
 * cache may be back by the time the bio is retried.
 *
 * No integrity payload: iohang does not pass integrity
 * (DM_TARGET_PASSES_INTEGRITY), so its clones never carry one, and on 6.1
 * bio_endio() would have freed it before end_io anyway.
 */
struct iohang_bio_record {
	struct block_device *bdev;
	struct bvec_iter iter;
	unsigned short flags;
	blk_opf_t opf;
};

static inline void iohang_bio_record(struct iohang_bio_record *rec,
				     struct bio *bio)
{
	rec->bdev = bio->bi_bdev;
	rec->iter = bio->bi_iter;
	rec->flags = bio->bi_flags;
	rec->opf = bio->bi_opf;
}

/*
 * Completion consumed the iterator, and for a clone the lower layers
 * chained splits to, the remaining count; bio_endio() dropped the cgroup
 * association: the resubmission takes it again from the original bio
 * (dm_submit_bio_remap()).  The saved flags clear what the first attempt
 * marked as done (throttled, accounted to the cgroup, chained), so the
 * retry is throttled and counted like a first attempt.
 */
static inline void iohang_bio_restore(const struct iohang_bio_record *rec,
				      struct bio *bio)
{
	bio->bi_bdev = rec->bdev;
	bio->bi_iter = rec->iter;
	atomic_set(&bio->__bi_remaining, 1);
	bio->bi_flags = rec->flags;
	bio->bi_opf = rec->opf;
}

#endif /* DM_IOHANG_BIO_RECORD_H */
