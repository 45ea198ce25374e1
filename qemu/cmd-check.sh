#!/bin/sh
# Guest side of `make check`: run the installed selftests.
# On the debug kernel (scripts/debug-kernel.sh) the tests get longer
# timeouts, and a kmemleak scan follows them: every leak whose backtrace
# has an offnic frame is copied to the kernel log as "unreferenced
# object", which qemu/splat-denylist fails.

# KASAN, lockdep and kmemleak under TCG run the tests 3-5 times slower.
case $(uname -r) in
*-offnic-debug) export kselftest_override_timeout=900 ;;
esac

{ /selftests/run_kselftest.sh; echo $? > /tmp/ksft.rc; } 2>&1 | tee /mnt/out/tap.log

# Leaks attributed to offnic: an "[offnic]" frame, or a frame with no
# symbol ("[<addr>] 0x..."), which is what offnic's frames become once
# the module is unloaded: all else in the debug kernel is built in.
kmemleak_offnic() {
	awk '
	function flush() { if (rec != "" && hit) printf "%s", rec; rec = ""; hit = 0 }
	/^unreferenced object/ { flush() }
	{ rec = rec $0 "\n" }
	/\[offnic\]$|\] 0x[0-9a-f]+$/ { hit = 1 }
	END { flush() }'
}

leaks=/sys/kernel/debug/kmemleak
if [ -w $leaks ]; then
	# Twice with a pause: an object must stay unreferenced across scans
	# (and be older than 5 s) to be reported, which drops in-flight ones.
	echo scan > $leaks
	sleep 6
	echo scan > $leaks
	cat $leaks > /mnt/out/kmemleak.txt
	n=$(grep -c '^unreferenced object' /mnt/out/kmemleak.txt)
	kmemleak_offnic < /mnt/out/kmemleak.txt > /tmp/kmemleak-offnic.txt
	m=$(grep -c '^unreferenced object' /tmp/kmemleak-offnic.txt)
	echo "kmemleak: $n leaks reported, $m with offnic frames" |
		tee /dev/kmsg
	while IFS= read -r line; do
		echo "kmemleak-offnic: $line" > /dev/kmsg
	done < /tmp/kmemleak-offnic.txt
fi
exit "$(cat /tmp/ksft.rc 2>/dev/null || echo 1)"
