/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Names shared by the dm-iohang target and its userspace tool: the target
 * name and version, table options, messages, status fields and uevent keys.
 * Both sides include this file, so a word changes in one place only.
 *
 * Plain C preprocessor definitions only: the file must build in the kernel
 * and in C++17 userspace alike.
 */
#ifndef DM_IOHANG_H
#define DM_IOHANG_H

#define DM_IOHANG_TARGET_NAME		"iohang"
#define DM_IOHANG_VERSION_MAJOR		1
#define DM_IOHANG_VERSION_MINOR		2
#define DM_IOHANG_VERSION_PATCH		0

/*
 * Table line:
 *   <dev_path> <offset> <timeout_ms> [<#opt_params> <opt_params>...]
 */
#define DM_IOHANG_MAX_TIMEOUT_MS		86400000U	/* one day */
#define DM_IOHANG_MAX_RETRY_INTERVAL_MS		3600000U	/* one hour */
/* Since 1.2.0; 1000 before, when every held bio was resubmitted. */
#define DM_IOHANG_DEFAULT_RETRY_INTERVAL_MS	100U
#define DM_IOHANG_MAX_HELD_LIMIT		16777216U	/* 2^24 bios */

/* Optional table parameters (the count of words follows <timeout_ms>). */
#define DM_IOHANG_OPT_RETRY_INTERVAL	"retry_interval_ms"
#define DM_IOHANG_OPT_RETRY_ON		"retry_on"
/* The default since 1.2.0: accepted, never printed. */
#define DM_IOHANG_OPT_PROBE		"probe"
/* Resubmit every held bio each interval (the default before 1.2.0). */
#define DM_IOHANG_OPT_RETRY_ALL		"retry_all"
#define DM_IOHANG_OPT_HOLD_NEW_IO	"hold_new_io"
#define DM_IOHANG_OPT_MAX_HELD		"max_held"
/* Since 1.2.0: flush and FUA bios are never held. */
#define DM_IOHANG_OPT_FAIL_FLUSH	"fail_flush"
#define DM_IOHANG_MAX_OPT_WORDS		9

/* Completion statuses accepted by retry_on, in canonical order. */
#define DM_IOHANG_STS_IOERR		"ioerr"
#define DM_IOHANG_STS_TRANSPORT		"transport"
#define DM_IOHANG_STS_TIMEOUT		"timeout"
#define DM_IOHANG_STS_OFFLINE		"offline"	/* since 1.2.0 */
#define DM_IOHANG_STS_MEDIUM		"medium"
#define DM_IOHANG_STS_NOSPC		"nospc"
#define DM_IOHANG_RETRY_ON_SEPARATOR	","
/* Since 1.2.0; ioerr alone before. */
#define DM_IOHANG_RETRY_ON_DEFAULT	"ioerr,transport"

/* Messages: dmsetup message <dev> 0 <message> [<arg>] */
#define DM_IOHANG_MSG_SET_TIMEOUT		"set_timeout"
#define DM_IOHANG_MSG_SET_RETRY_INTERVAL	"set_retry_interval"
#define DM_IOHANG_MSG_FAIL_ALL			"fail_all"
#define DM_IOHANG_MSG_RETRY_NOW			"retry_now"
#define DM_IOHANG_MSG_RESET_STATS		"reset_stats"

/*
 * INFO status, one line of space-separated fields in this order.  Later
 * versions only append fields: parsers must accept extra trailing fields.
 *   <state> <held> <hang_events> <recovered> <timed_out> <retries>
 *   <longest_hang_ms> <overflowed> <released>
 */
#define DM_IOHANG_STATE_OK		"ok"
#define DM_IOHANG_STATE_HUNG		"hung"
#define DM_IOHANG_STATE_DISABLED	"disabled"

#define DM_IOHANG_FIELD_STATE		0
#define DM_IOHANG_FIELD_HELD		1
#define DM_IOHANG_FIELD_HANG_EVENTS	2
#define DM_IOHANG_FIELD_RECOVERED	3
#define DM_IOHANG_FIELD_TIMED_OUT	4
#define DM_IOHANG_FIELD_RETRIES		5
#define DM_IOHANG_FIELD_LONGEST_HANG_MS	6
#define DM_IOHANG_FIELD_OVERFLOWED	7
#define DM_IOHANG_FIELD_RELEASED	8
#define DM_IOHANG_INFO_MIN_FIELDS	7
#define DM_IOHANG_INFO_FIELDS		9

/* Uevents: KOBJ_CHANGE on the dm disk, one per state transition. */
#define DM_IOHANG_UEVENT_TARGET		"DM_TARGET"
#define DM_IOHANG_UEVENT_ACTION		"DM_ACTION"
/* Increases with every event the module sends (since 1.1.0). */
#define DM_IOHANG_UEVENT_SEQNUM		"DM_SEQNUM"
#define DM_IOHANG_UEVENT_NAME		"DM_NAME"
#define DM_IOHANG_UEVENT_UUID		"DM_UUID"
#define DM_IOHANG_UEVENT_HELD		"DM_IOHANG_HELD"
#define DM_IOHANG_UEVENT_DURATION_MS	"DM_IOHANG_DURATION_MS"
#define DM_IOHANG_UEVENT_FAILED		"DM_IOHANG_FAILED"
#define DM_IOHANG_UEVENT_REQUEUED	"DM_IOHANG_REQUEUED"

#define DM_IOHANG_ACTION_HANG		"IOHANG_HANG"
#define DM_IOHANG_ACTION_RECOVER	"IOHANG_RECOVER"
#define DM_IOHANG_ACTION_TIMEOUT	"IOHANG_TIMEOUT"
#define DM_IOHANG_ACTION_FAIL_ALL	"IOHANG_FAIL_ALL"
/* A noflush suspend handed the held bios back to dm core to requeue. */
#define DM_IOHANG_ACTION_REQUEUE	"IOHANG_REQUEUE"

#endif /* DM_IOHANG_H */
