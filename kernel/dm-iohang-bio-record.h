/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Saving and restoring the fields of a bio that the lower layers change, so
 * that a bio which has completed once can be submitted again.
 *
 * drivers/md/dm-bio-record.h does this for dm-mpath and dm-raid1, but it is
 * private to drivers/md and so out of reach of an out-of-tree target.  In
 * tree, dm-iohang would include it instead of this file.
 */
#ifndef DM_IOHANG_BIO_RECORD_H
#define DM_IOHANG_BIO_RECORD_H

#include <linux/bio.h>

/*
 * No integrity payload: iohang does not pass integrity
 * (DM_TARGET_PASSES_INTEGRITY), so its clones never carry one, and on 6.1
 * bio_endio() would have freed it before end_io anyway.
 */
struct iohang_bio_record {
	struct block_device *bdev;
	struct bvec_iter iter;
	bio_end_io_t *end_io;
	int remaining;
	unsigned short flags;
};

static inline void iohang_bio_record(struct iohang_bio_record *rec,
				     struct bio *bio)
{
	rec->bdev = bio->bi_bdev;
	rec->iter = bio->bi_iter;
	rec->end_io = bio->bi_end_io;
	rec->remaining = atomic_read(&bio->__bi_remaining);
	rec->flags = bio->bi_flags;
}

/*
 * Completion consumed the iterator and, for chained bios, the remaining
 * count, and bio_endio() dropped the cgroup association: the resubmission
 * takes it again from the original bio (dm_submit_bio_remap()).  The saved
 * flags clear what the first attempt marked as done (throttled, accounted
 * to the cgroup), so the retry is throttled and counted like a first
 * attempt.
 */
static inline void iohang_bio_restore(const struct iohang_bio_record *rec,
				      struct bio *bio)
{
	bio->bi_bdev = rec->bdev;
	bio->bi_iter = rec->iter;
	bio->bi_end_io = rec->end_io;
	atomic_set(&bio->__bi_remaining, rec->remaining);
	bio->bi_flags = rec->flags;
}

#endif /* DM_IOHANG_BIO_RECORD_H */
