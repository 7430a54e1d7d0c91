// SPDX-License-Identifier: GPL-2.0
// sd_notify(3) READY=1 without linking libsystemd: one datagram to the
// socket systemd names in $NOTIFY_SOCKET (Type=notify services).
#pragma once

namespace iohang {

// Does nothing without $NOTIFY_SOCKET.  Throws OperationError when the
// socket is named but the message cannot be sent.
void notify_systemd_ready();

} // namespace iohang
