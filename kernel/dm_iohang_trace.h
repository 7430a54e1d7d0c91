/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the iohang target, in the trace system "iohang".
 *
 * A held bio's life is one iohang_bio_held, then one iohang_bio_resubmit
 * per retry, then exactly one of iohang_bio_complete, iohang_bio_timeout,
 * iohang_bio_release (fail_all) and iohang_bio_requeue (noflush suspend).
 * A hang is one iohang_hang and one iohang_hang_end.  Bios iohang does not
 * hold are not traced: map and a healthy completion stay as cheap as
 * linear's.
 *
 * Bios are named as the block events name them on the iohang device: its
 * dev_t, the sector and size the bio was mapped with, and its rwbs.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM iohang

#if !defined(DM_IOHANG_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define DM_IOHANG_TRACE_H

#include <linux/blkdev.h>
#include <linux/blktrace_api.h>
#include <linux/ktime.h>
#include <linux/tracepoint.h>

#include "dm-iohang-bio-record.h"

/*
 * The room blk_fill_rwbs() needs: RWBS_LEN of trace/events/block.h, which
 * cannot be included here, as it would define the block events again.
 */
#define IOHANG_RWBS_LEN 8

/* The longest uevent action name, DM_IOHANG_ACTION_FAIL_ALL, and its NUL. */
#define IOHANG_ACTION_LEN 16

/* In the bio events nr_sector fills the hole dev leaves before sector. */
TRACE_EVENT(iohang_bio_held,
	    TP_PROTO(dev_t dev, const struct iohang_bio_record *rec,
		     blk_status_t error, unsigned int held),
	    TP_ARGS(dev, rec, error, held),

	    TP_STRUCT__entry(__field(dev_t, dev)
			     __field(unsigned int, nr_sector)
			     __field(sector_t, sector)
			     __field(int, error)
			     __field(unsigned int, held)
			     __array(char, rwbs, IOHANG_RWBS_LEN)
	    ),

	    TP_fast_assign(__entry->dev = dev;
			   __entry->nr_sector = rec->iter.bi_size >> SECTOR_SHIFT;
			   __entry->sector = rec->iter.bi_sector;
			   __entry->error = blk_status_to_errno(error);
			   __entry->held = held;
			   blk_fill_rwbs(__entry->rwbs, rec->opf);
	    ),

	    TP_printk("%d,%d %s %llu + %u error=%d held=%u",
		      MAJOR(__entry->dev), MINOR(__entry->dev), __entry->rwbs,
		      (unsigned long long)__entry->sector, __entry->nr_sector,
		      __entry->error, __entry->held)
);

TRACE_EVENT(iohang_bio_resubmit,
	    TP_PROTO(dev_t dev, const struct iohang_bio_record *rec,
		     unsigned int attempt),
	    TP_ARGS(dev, rec, attempt),

	    TP_STRUCT__entry(__field(dev_t, dev)
			     __field(unsigned int, nr_sector)
			     __field(sector_t, sector)
			     __field(unsigned int, attempt)
			     __array(char, rwbs, IOHANG_RWBS_LEN)
	    ),

	    TP_fast_assign(__entry->dev = dev;
			   __entry->nr_sector = rec->iter.bi_size >> SECTOR_SHIFT;
			   __entry->sector = rec->iter.bi_sector;
			   __entry->attempt = attempt;
			   blk_fill_rwbs(__entry->rwbs, rec->opf);
	    ),

	    TP_printk("%d,%d %s %llu + %u attempt=%u",
		      MAJOR(__entry->dev), MINOR(__entry->dev), __entry->rwbs,
		      (unsigned long long)__entry->sector, __entry->nr_sector,
		      __entry->attempt)
);

/*
 * The end of a held bio: @error is the status it is completed with,
 * @held_since_ns the ktime_get_ns() of its hold; the time held is taken
 * only when the event is enabled.
 */
DECLARE_EVENT_CLASS(iohang_bio_end,
		    TP_PROTO(dev_t dev, const struct iohang_bio_record *rec,
			     u64 held_since_ns, unsigned int attempts,
			     blk_status_t error),
		    TP_ARGS(dev, rec, held_since_ns, attempts, error),

		    TP_STRUCT__entry(__field(dev_t, dev)
				     __field(unsigned int, nr_sector)
				     __field(sector_t, sector)
				     __field(u64, held_us)
				     __field(unsigned int, attempts)
				     __field(int, error)
				     __array(char, rwbs, IOHANG_RWBS_LEN)
		    ),

		    TP_fast_assign(__entry->dev = dev;
				   __entry->nr_sector =
					rec->iter.bi_size >> SECTOR_SHIFT;
				   __entry->sector = rec->iter.bi_sector;
				   __entry->held_us =
					div_u64(ktime_get_ns() - held_since_ns,
						NSEC_PER_USEC);
				   __entry->attempts = attempts;
				   __entry->error = blk_status_to_errno(error);
				   blk_fill_rwbs(__entry->rwbs, rec->opf);
		    ),

		    TP_printk("%d,%d %s %llu + %u error=%d held_us=%llu attempts=%u",
			      MAJOR(__entry->dev), MINOR(__entry->dev),
			      __entry->rwbs,
			      (unsigned long long)__entry->sector,
			      __entry->nr_sector, __entry->error,
			      (unsigned long long)__entry->held_us,
			      __entry->attempts)
);

#define IOHANG_DEFINE_BIO_END(name)					\
	DEFINE_EVENT(iohang_bio_end, name,				\
		     TP_PROTO(dev_t dev,				\
			      const struct iohang_bio_record *rec,	\
			      u64 held_since_ns, unsigned int attempts,	\
			      blk_status_t error),			\
		     TP_ARGS(dev, rec, held_since_ns, attempts, error))

/* A retry succeeded, or failed with -EOPNOTSUPP, which no retry changes. */
IOHANG_DEFINE_BIO_END(iohang_bio_complete);
/* Failed with the error of its first failure, the timeout having passed. */
IOHANG_DEFINE_BIO_END(iohang_bio_timeout);
/* Failed by fail_all, or by the removal of a device never suspended. */
IOHANG_DEFINE_BIO_END(iohang_bio_release);
/*
 * Handed back to dm core by a noflush suspend (error is -EREMCHG, for
 * BLK_STS_DM_REQUEUE): dm core maps it again after resume, and if it
 * fails again it is a new held bio.
 */
IOHANG_DEFINE_BIO_END(iohang_bio_requeue);

TRACE_EVENT(iohang_hang,
	    TP_PROTO(dev_t dev, blk_status_t error, unsigned int timeout_ms),
	    TP_ARGS(dev, error, timeout_ms),

	    TP_STRUCT__entry(__field(dev_t, dev)
			     __field(int, error)
			     __field(unsigned int, timeout_ms)
	    ),

	    TP_fast_assign(__entry->dev = dev;
			   __entry->error = blk_status_to_errno(error);
			   __entry->timeout_ms = timeout_ms;
	    ),

	    TP_printk("%d,%d error=%d timeout_ms=%u",
		      MAJOR(__entry->dev), MINOR(__entry->dev), __entry->error,
		      __entry->timeout_ms)
);

/*
 * @action is the uevent that reports how the hang ended, as set by the
 * last held bio: IOHANG_RECOVER, IOHANG_TIMEOUT, IOHANG_FAIL_ALL or
 * IOHANG_REQUEUE.  @duration_ms is the hang's length as the status line's
 * longest_hang_ms counts it.
 */
TRACE_EVENT(iohang_hang_end,
	    TP_PROTO(dev_t dev, const char *action, unsigned int duration_ms),
	    TP_ARGS(dev, action, duration_ms),

	    TP_STRUCT__entry(__field(dev_t, dev)
			     __field(unsigned int, duration_ms)
			     __array(char, action, IOHANG_ACTION_LEN)
	    ),

	    TP_fast_assign(__entry->dev = dev;
			   __entry->duration_ms = duration_ms;
			   strscpy(__entry->action, action, IOHANG_ACTION_LEN);
	    ),

	    TP_printk("%d,%d %s duration_ms=%u",
		      MAJOR(__entry->dev), MINOR(__entry->dev), __entry->action,
		      __entry->duration_ms)
);

#endif /* DM_IOHANG_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src) (Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dm_iohang_trace
#include <trace/define_trace.h>
