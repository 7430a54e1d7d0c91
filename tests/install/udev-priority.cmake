# SPDX-License-Identifier: GPL-2.0
#
# The udev rules' number follows the device-mapper rules installed: 56
# after Debian's 55-dm.rules, 12 after upstream's 10-dm.rules, and 56 when
# there are none (a clean build root without dmsetup used to get 12, which
# runs before Debian's 55-dm.rules and then does nothing).
# Usage: cmake -DSRC=<source dir> -DWORK=<scratch dir> -P udev-priority.cmake
include(${SRC}/cmake/UdevRulesPriority.cmake)

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/none ${WORK}/debian ${WORK}/upstream)
file(TOUCH ${WORK}/debian/55-dm.rules ${WORK}/upstream/10-dm.rules)

set(failed FALSE)
function(expect want)
	iohang_udev_rules_priority(got ${ARGN})
	if(NOT got STREQUAL want)
		message(SEND_ERROR "dm rules in '${ARGN}': got ${got}, expected ${want}")
		set(failed TRUE PARENT_SCOPE)
	else()
		message(STATUS "dm rules in '${ARGN}': ${got} (${got_REASON})")
	endif()
endfunction()

expect(56 ${WORK}/none ${WORK}/missing)
expect(56 ${WORK}/none ${WORK}/debian)
expect(12 ${WORK}/upstream)
# The first folder that has dm rules wins (udevdir before the usual ones).
expect(12 ${WORK}/upstream ${WORK}/debian)
file(REMOVE_RECURSE ${WORK})
if(failed)
	message(FATAL_ERROR "wrong udev rules number")
endif()
