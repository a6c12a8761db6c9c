#!/bin/bash
# /init of a vmtest guest: a Debian 12 userland (debootstrap, tools/dev/vmtest/run.sh) unpacked from
# the initramfs, with the project's binary and integration tests in /uw. Mounts what
# userns-watch and the tests need, lays out cgroups as the kernel command line asks
# (uw.cgroup=v2|v1), runs the integration suites the command line names (uw.files=a,b,...,
# uw.exclude=REGEX, uw.tests=REGEX), prints VMTEST lines and the runner's own output on the serial console, and
# powers off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm /sys/fs/bpf
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mount -t bpf bpf /sys/fs/bpf
echo vm > /proc/sys/kernel/hostname
arg() { sed -n "s/.*uw\\.$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline; }
LAYOUT=$(arg cgroup)
if [ "$LAYOUT" = v1 ]; then
	mount -t tmpfs cgroup /sys/fs/cgroup
	for c in pids memory cpu,cpuacct cpuset devices freezer blkio; do
		mkdir -p "/sys/fs/cgroup/$c"
		mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c" || echo "VMTEST-NOTE cannot mount v1 $c"
	done
	mkdir -p /sys/fs/cgroup/systemd
	mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
else
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
	# the controllers the tests' groups use, for the groups below the root
	for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
		echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
	done
fi
echo "VMTEST-KERNEL $(uname -r) cgroup=$LAYOUT"
cd /uw || exit 1
files=$(arg files | tr ',' ' ')
echo "VMTEST-FILES $files"
t0=$(date +%s)
# lib.sh's waits are by the clock times this: under emulation the guest's processes run 6 (x86)
# to 12 (arm64) times slower than the host's, as the waits counted in turns stretched before
export UW_WAIT_SCALE=6
[ "$(uname -m)" = aarch64 ] && UW_WAIT_SCALE=12
UW_FILES="$files" UW_EXCLUDE="$(arg exclude)" UW_TESTS="$(arg tests)" bash tests/run.sh < /dev/null 2>&1
echo "VMTEST-RC $? after $(( $(date +%s) - t0 ))s"
echo "VMTEST-DONE"
echo 1 > /proc/sys/kernel/sysrq
echo o > /proc/sysrq-trigger
sleep 10
