# SPDX-License-Identifier: GPL-2.0
#
# Install rules for what surrounds iohangctl: man page, udev rules, systemd
# unit, bash completion, the Prometheus alerting rules, and the module
# sources for dkms.  The executable's
# own rule is in iohangctl/CMakeLists.txt.
#
# udev, systemd and dkms look in fixed places, not under the install
# prefix; those directories come from pkg-config where it knows them and
# can be overridden (DESTDIR still applies for staging).

pkg_get_variable(_udevdir udev udevdir)
if(NOT _udevdir)
	set(_udevdir ${CMAKE_INSTALL_PREFIX}/lib/udev)
endif()
set(IOHANG_UDEV_RULES_DIR "${_udevdir}/rules.d" CACHE PATH
	"Where to install the dm-iohang udev rules")

# The rules' number follows the dm rules installed here (Debian's 55-dm or
# upstream's 10-dm); -DIOHANG_UDEV_RULES_PRIORITY=<n> sets it outright.
include(${PROJECT_SOURCE_DIR}/cmake/UdevRulesPriority.cmake)
iohang_udev_rules_priority(_rules_priority
	${_udevdir}/rules.d /lib/udev/rules.d /usr/lib/udev/rules.d)
set(IOHANG_UDEV_RULES_PRIORITY ${_rules_priority} CACHE STRING
	"Number that orders dm-iohang.rules after 10-dm/55-dm and before 13-dm-disk/60-persistent-storage-dm")
message(STATUS "udev rules: ${IOHANG_UDEV_RULES_PRIORITY}-dm-iohang.rules "
	"(found: ${_rules_priority}, ${_rules_priority_REASON})")

pkg_get_variable(_unitdir systemd systemdsystemunitdir)
if(NOT _unitdir)
	set(_unitdir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(IOHANG_SYSTEMD_UNIT_DIR "${_unitdir}" CACHE PATH
	"Where to install iohang-monitor.service")

pkg_get_variable(_completionsdir bash-completion completionsdir)
if(NOT _completionsdir)
	set(_completionsdir ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()
set(IOHANG_BASH_COMPLETION_DIR "${_completionsdir}" CACHE PATH
	"Where to install the bash completion of iohangctl")

option(IOHANG_INSTALL_DKMS_SOURCES "Install the module sources for dkms" ON)
# Empty means /usr/src/<name>-<version>, worked out anew at every configure:
# a cached default would keep the old version after VERSION changes.
set(IOHANG_DKMS_SOURCE_DIR "" CACHE PATH
	"Where dkms expects the module sources (default /usr/src/<name>-<version>)")
if(NOT IOHANG_DKMS_SOURCE_DIR)
	set(IOHANG_DKMS_SOURCE_DIR "/usr/src/${PROJECT_NAME}-${PROJECT_VERSION}")
endif()

# dkms.conf with the project version in place of #MODULE_VERSION# (what
# dh_dkms -V does for the Debian package).
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
	${PROJECT_SOURCE_DIR}/dkms.conf)
file(READ ${PROJECT_SOURCE_DIR}/dkms.conf _dkms_conf)
string(REPLACE "#MODULE_VERSION#" "${PROJECT_VERSION}" _dkms_conf "${_dkms_conf}")
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/dkms.conf CONTENT "${_dkms_conf}" @ONLY)

configure_file(${PROJECT_SOURCE_DIR}/systemd/iohang-monitor.service.in
	${CMAKE_CURRENT_BINARY_DIR}/iohang-monitor.service @ONLY)

install(FILES ${PROJECT_SOURCE_DIR}/docs/iohangctl.8
	DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${PROJECT_SOURCE_DIR}/udev/dm-iohang.rules
	DESTINATION ${IOHANG_UDEV_RULES_DIR}
	RENAME ${IOHANG_UDEV_RULES_PRIORITY}-dm-iohang.rules)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/iohang-monitor.service
	DESTINATION ${IOHANG_SYSTEMD_UNIT_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/completion/iohangctl
	DESTINATION ${IOHANG_BASH_COMPLETION_DIR})
# An example for the administrator to copy into Prometheus's rule_files.
install(FILES ${PROJECT_SOURCE_DIR}/prometheus/iohang.rules.yml
	DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/iohangctl/examples)

if(IOHANG_INSTALL_DKMS_SOURCES)
	install(FILES ${CMAKE_CURRENT_BINARY_DIR}/dkms.conf
		${PROJECT_SOURCE_DIR}/Kbuild ${PROJECT_SOURCE_DIR}/VERSION
		DESTINATION ${IOHANG_DKMS_SOURCE_DIR})
	install(DIRECTORY ${PROJECT_SOURCE_DIR}/kernel/
		DESTINATION ${IOHANG_DKMS_SOURCE_DIR}/kernel
		FILES_MATCHING PATTERN "*.c" PATTERN "*.h" PATTERN "Kbuild")
	install(FILES ${PROJECT_SOURCE_DIR}/include/dm-iohang.h
		DESTINATION ${IOHANG_DKMS_SOURCE_DIR}/include)
endif()
