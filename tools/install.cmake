# SPDX-License-Identifier: GPL-2.0
# Install rules for what surrounds iohangctl (filled in below).
