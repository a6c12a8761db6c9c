#!/bin/sh
# /init of the vmtest initramfs (busybox sh): mounts what userns-watch needs, lays out cgroups
# as the kernel command line asks (uw.cgroup=v2|v1), runs the scenarios, prints VMTEST lines
# on the serial console and powers off.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
LAYOUT=$(sed -n 's/.*uw\.cgroup=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
if [ "$LAYOUT" = v1 ]; then
	mount -t tmpfs cgroup /sys/fs/cgroup
	for c in pids memory cpu; do
		mkdir -p /sys/fs/cgroup/$c
		mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c || echo "VMTEST-NOTE cannot mount v1 $c"
	done
	CGS="/sys/fs/cgroup/pids /sys/fs/cgroup/memory /sys/fs/cgroup/cpu"
else
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
	CGS=/sys/fs/cgroup
fi
echo "VMTEST-KERNEL $(uname -r) cgroup=$LAYOUT"
/bin/scenarios.sh "$CGS"
echo "VMTEST-DONE"
poweroff -f
