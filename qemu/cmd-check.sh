#!/bin/sh
# Guest side of `make check`: run the installed selftests.
{ /selftests/run_kselftest.sh; echo $? > /tmp/ksft.rc; } 2>&1 | tee /mnt/out/tap.log
exit "$(cat /tmp/ksft.rc 2>/dev/null || echo 1)"
