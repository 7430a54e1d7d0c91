// SPDX-License-Identifier: GPL-2.0
// DeviceMapper on top of libdevmapper, driven the way dmsetup drives it.
#pragma once

#include "dm/device_mapper.h"

namespace iohang {

class LibDevmapper final : public DeviceMapper {
public:
	// Routes libdevmapper's own log lines away from stderr: the first
	// error of a failing call is its reason.
	LibDevmapper();
	~LibDevmapper() override;
	LibDevmapper(const LibDevmapper &) = delete;
	LibDevmapper &operator=(const LibDevmapper &) = delete;

	void set_verbose(bool on) override;
	void set_udev_sync(bool on) override;
	void create(const CreateRequest &request) override;
	void reload(const std::string &name, const std::vector<TargetLine> &table) override;
	void clear_inactive(const std::string &name) override;
	void suspend(const std::string &name, bool noflush) override;
	void resume(const std::string &name) override;
	void remove(const std::string &name) override;
	std::string message(const std::string &name, const std::string &text) override;
	std::vector<TargetLine> table(const std::string &name) override;
	std::vector<TargetLine> status(const std::string &name) override;
	DeviceInfo info(const std::string &name) override;
	std::string name_of_uuid(const std::string &uuid) override;
	std::vector<std::string> list() override;
	BlockDevice block_device(const std::string &path) override;
	std::string describe_device(const std::string &major_minor) override;
};

} // namespace iohang
