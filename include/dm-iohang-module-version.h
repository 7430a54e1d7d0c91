/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The project version as dm-iohang.ko's MODULE_VERSION.  The root Kbuild
 * includes this ahead of each object of the module (-include) and defines
 * DM_IOHANG_PROJECT_VERSION from the file VERSION, so the version that
 * iohangctl --version, dkms.conf and the Debian packages carry is written
 * in one place.  Only for the kernel build; the iohang target's own
 * version (the table ABI) is DM_IOHANG_VERSION_* in dm-iohang.h.
 */
#ifndef DM_IOHANG_MODULE_VERSION_H
#define DM_IOHANG_MODULE_VERSION_H

#include <linux/module.h>

#ifndef DM_IOHANG_PROJECT_VERSION
#error "DM_IOHANG_PROJECT_VERSION comes from the root Kbuild (file VERSION)"
#endif

MODULE_VERSION(DM_IOHANG_PROJECT_VERSION);

#endif /* DM_IOHANG_MODULE_VERSION_H */
