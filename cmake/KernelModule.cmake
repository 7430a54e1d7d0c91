# SPDX-License-Identifier: GPL-2.0
#
# Builds kernel/dm-iohang.ko for each kernel build tree in
# IOHANG_KERNEL_BUILD_DIRS (default: every /lib/modules/*/build).  Kbuild
# writes its objects next to the sources, so each kernel gets its own copy of
# the module sources under ${CMAKE_BINARY_DIR}/module/<release>/ and the
# trees never mix.  The result for a kernel is
#   ${CMAKE_BINARY_DIR}/module/<release>/kernel/dm-iohang.ko

file(GLOB _default_kdirs LIST_DIRECTORIES true /lib/modules/*/build)
set(IOHANG_KERNEL_BUILD_DIRS "${_default_kdirs}" CACHE STRING
	"Kernel build trees to build dm-iohang.ko against")

# The debug kernel (tests/vm/debug-kernel, issue 7): off by default, since it
# takes ~25 minutes to build; scripts/test-debug turns it on in build-debug/.
option(IOHANG_DEBUG_KERNEL
	"Build dm-iohang.ko for the debug kernel and register vm.debug.* tests" OFF)
set(_iohang_kdirs ${IOHANG_KERNEL_BUILD_DIRS})
if(IOHANG_DEBUG_KERNEL)
	set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
		${PROJECT_SOURCE_DIR}/tests/vm/debug.config)
	execute_process(
		COMMAND ${PROJECT_SOURCE_DIR}/tests/vm/debug-kernel --print-tree
		OUTPUT_VARIABLE IOHANG_DEBUG_KERNEL_TREE
		OUTPUT_STRIP_TRAILING_WHITESPACE
		RESULT_VARIABLE _rc)
	if(NOT _rc EQUAL 0)
		message(FATAL_ERROR "IOHANG_DEBUG_KERNEL is ON but the debug kernel is "
			"not built: run tests/vm/debug-kernel (about 25 minutes) or "
			"scripts/test-debug")
	endif()
	list(APPEND _iohang_kdirs ${IOHANG_DEBUG_KERNEL_TREE})
endif()

file(GLOB IOHANG_MODULE_SOURCES CONFIGURE_DEPENDS
	${PROJECT_SOURCE_DIR}/kernel/*.c ${PROJECT_SOURCE_DIR}/kernel/*.h
	${PROJECT_SOURCE_DIR}/kernel/Kbuild ${PROJECT_SOURCE_DIR}/include/*.h
	${PROJECT_SOURCE_DIR}/Kbuild ${PROJECT_SOURCE_DIR}/VERSION)

set(IOHANG_MODULES)
foreach(kdir IN LISTS _iohang_kdirs)
	if(NOT EXISTS ${kdir}/Makefile)
		continue()
	endif()
	# The release (uname -r) names the tree: /lib/modules/<release>/build,
	# or include/config/kernel.release in a tree built from source.  Debian's
	# headers carry a kernel.release of the upstream version (6.1.192, not
	# 6.1.0-56-amd64), so the path wins where there is one.
	if(kdir MATCHES "^/lib/modules/([^/]+)/build/?$")
		set(krelease ${CMAKE_MATCH_1})
	elseif(EXISTS ${kdir}/include/config/kernel.release)
		file(STRINGS ${kdir}/include/config/kernel.release krelease LIMIT_COUNT 1)
	else()
		message(WARNING "Cannot tell the kernel release of ${kdir}: skipped")
		continue()
	endif()
	set(moddir ${CMAKE_BINARY_DIR}/module/${krelease})
	set(ko ${moddir}/kernel/dm-iohang.ko)
	add_custom_command(OUTPUT ${ko}
		COMMAND ${CMAKE_COMMAND} -E make_directory ${moddir}/kernel ${moddir}/include
		COMMAND ${CMAKE_COMMAND} -E copy_if_different ${PROJECT_SOURCE_DIR}/Kbuild
			${PROJECT_SOURCE_DIR}/VERSION ${moddir}/
		COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/kernel ${moddir}/kernel
		COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/include ${moddir}/include
		COMMAND make -s -C ${kdir} M=${moddir} modules
		DEPENDS ${IOHANG_MODULE_SOURCES}
		COMMENT "Building dm-iohang.ko for ${krelease}"
		VERBATIM)
	list(APPEND IOHANG_MODULES ${ko})
	message(STATUS "dm-iohang.ko will be built for ${krelease}")
endforeach()

add_custom_target(module ALL DEPENDS ${IOHANG_MODULES})
