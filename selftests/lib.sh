# shellcheck shell=sh
# Shared helpers for offnic shell selftests (busybox sh in the guest).
# shellcheck disable=SC2034 # used by the tests that source this file
ksft_skip=4

fail() {
	echo "# FAIL: $*"
	exit 1
}

# Name of the first netdev bound to driver $1.
netdev_of_driver() {
	for d in /sys/class/net/*; do
		drv=$(readlink "$d/device/driver" 2>/dev/null) || continue
		if [ "${drv##*/}" = "$1" ]; then
			echo "${d##*/}"
			return 0
		fi
	done
	return 1
}

offnic_ifname() {
	netdev_of_driver offnic
}

# The netdev with MAC address $1.
netdev_of_mac() {
	for d in /sys/class/net/*; do
		if [ "$(cat "$d/address" 2>/dev/null)" = "$1" ]; then
			echo "${d##*/}"
			return 0
		fi
	done
	return 1
}

# The virtio-net NIC attached to the simulator's wire port (qemu/vmtest.sh
# gives it this MAC; the other virtio NICs are `make run`'s baseline).
peer_ifname() {
	netdev_of_mac 02:0f:f0:00:00:02 || netdev_of_driver virtio_net
}

offnic_module_loaded() {
	[ -d /sys/module/offnic ]
}

load_offnic() {
	offnic_module_loaded || insmod "${OFFNIC_KO:?}" || fail "insmod offnic.ko"
}

# dmesg lines logged since the marker $1 was written with mark_dmesg.
mark_dmesg() {
	echo "offnic-selftest-mark: $1" > /dev/kmsg
}

dmesg_since() {
	dmesg | sed -n "/offnic-selftest-mark: $1\$/,\$p"
}
