// SPDX-License-Identifier: GPL-2.0
// iohangctl: the real backends plugged into run().
#include <iostream>
#include <string>
#include <vector>

#include "cli/run.h"
#include "dm/lib_devmapper.h"
#include "udev/libudev_source.h"

int main(int argc, char **argv)
{
	const std::vector<std::string> arguments(argv + 1, argv + argc);
	iohang::LibDevmapper dm;
	iohang::Context context{dm, iohang::open_libudev_source, std::cout, std::cerr};
	return iohang::run(arguments, context);
}
