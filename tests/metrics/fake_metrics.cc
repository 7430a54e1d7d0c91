// SPDX-License-Identifier: GPL-2.0
// iohangctl's command line over a fake device-mapper that holds a device in
// every state the exposition must show (hung, disabled, a newer module's
// state, an older kernel's seven fields, a name that needs escaping), so
// that tests/metrics/promtool-check has promtool judge the real output of
// `metrics` and `metrics --textfile`.
#include <iostream>
#include <string>
#include <vector>

#include "cli_harness.h"

int main(int argc, char **argv)
{
	iohang::testing::FakeDeviceMapper dm;
	dm.add_iohang("ok", "8:16 8 30000 8 retry_interval_ms 250 retry_on ioerr,transport probe "
			    "hold_new_io max_held 64");
	dm.add_iohang("hung", "8:32 0 60000", 2048, "hung 3 2 1 0 9 2900 0 0");
	dm.add_iohang("off", "8:48 0 0", 2048, "disabled 0 1 1 0 1 12 0 0");
	dm.add_iohang("newer", "8:64 0 60000", 2048, "draining 0 0 0 0 0 0 0 0 5");
	dm.add_iohang("older", "8:80 0 60000", 2048, "ok 0 4 4 0 8 1500");
	dm.add_iohang("we\"ird\\name", "8:96 0 60000");
	dm.devices["linear"].table = {{0, 2048, "linear", "8:16 0"}};
	for (auto &[name, device] : dm.devices)
		if (name != "we\"ird\\name")
			device.uuid = "IOHANG-" + name;
	dm.device_names["8:16"] = "/dev/sdb";

	const iohang::testing::CliResult result =
		iohang::testing::run_cli(std::vector<std::string>(argv + 1, argv + argc), dm);
	std::cout << result.out;
	std::cerr << result.err;
	return result.status;
}
