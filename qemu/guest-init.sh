#!/bin/sh
# /init of the offnic test guest (busybox sh, PID 1).
#
# Loads the guest modules, mounts the host's run directory (9p) at
# /mnt/out, runs /mnt/out/cmd.sh (or a shell with offnic.shell on the
# kernel command line) with the device up, saves dmesg, writes the exit
# status and powers off.  A kernel panic instead exits QEMU with failure
# through pvpanic.
export PATH=/usr/bin:/usr/sbin:/bin:/sbin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ln -sf /proc/self/fd /dev/fd
hostname offnic-guest
ip link set lo up

kabi=$(cat /etc/kabi)
while read -r mod; do
	insmod "/lib/modules/$kabi/$mod" || echo "init: insmod $mod failed"
done < /etc/modules.order

if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 offnic_out /mnt/out; then
	echo "init: cannot mount the run directory"
	poweroff -f
fi

export OFFNIC_KO="/lib/modules/$kabi/offnic.ko"
insmod "$OFFNIC_KO" || echo "init: insmod offnic.ko failed"

rc=0
if grep -q offnic.shell /proc/cmdline; then
	echo "offnic guest shell: the device is up; 'poweroff -f' to leave"
	setsid cttyhack sh -l
else
	sh /mnt/out/cmd.sh
	rc=$?
fi
dmesg > /mnt/out/dmesg.txt
echo "$rc" > /mnt/out/exitstatus
sync
umount /mnt/out
poweroff -f
