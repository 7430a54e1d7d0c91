# SPDX-License-Identifier: GPL-2.0
#
# iohang_udev_rules_priority(OUT DIR...): the number to install
# dm-iohang.rules under, from the device-mapper rules found in the DIRs.
# The rules must run after the file that sets the DM_UDEV_* flags and
# before those that scan (udev/dm-iohang.rules says why), and the two
# namings in use need different numbers:
#   Debian's dmsetup package: 55-dm.rules ... 60-persistent-storage-dm.rules -> 56
#   upstream lvm2:            10-dm.rules ... 13-dm-disk.rules              -> 12
# With neither installed (a clean build root without dmsetup) the answer is
# Debian's, the system this project is made for: 12 would run before
# Debian's 55-dm.rules and then do nothing.  Sets OUT in the caller and,
# in OUT_REASON, why.
function(iohang_udev_rules_priority out)
	foreach(dir IN LISTS ARGN)
		if(EXISTS ${dir}/55-dm.rules)
			set(${out} 56 PARENT_SCOPE)
			set(${out}_REASON "after ${dir}/55-dm.rules" PARENT_SCOPE)
			return()
		endif()
		if(EXISTS ${dir}/10-dm.rules)
			set(${out} 12 PARENT_SCOPE)
			set(${out}_REASON "after ${dir}/10-dm.rules" PARENT_SCOPE)
			return()
		endif()
	endforeach()
	set(${out} 56 PARENT_SCOPE)
	set(${out}_REASON "no dm rules installed, Debian's numbering (after 55-dm.rules)" PARENT_SCOPE)
endfunction()
