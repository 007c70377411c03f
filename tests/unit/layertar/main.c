// SPDX-License-Identifier: MIT
/*
 * layertar's unit tests: the merge rules, the diff rules, the parser against
 * hostile input, and the program itself (argv[1]). One PASS:/FAIL: line per
 * check; exit 1 if any failed.
 */
#include <stdio.h>

#include "archive.h"

int main(int argc, char **argv)
{
	test_merge();
	test_parse();
	test_diff();
	if (argc > 1)
		test_cli(argv[1]);
	else
		check(0, "cli", "no layertar program given");
	return t_failed ? 1 : 0;
}
