#!/usr/bin/python3
# Compiles the sandbox's seccomp allow-list to BPF with libseccomp (Debian python3-seccomp).
#
# Usage: /usr/bin/python3 seccomp-filter.py OUTPUT_FILE
#
# Modelled on Docker's default profile: everything not listed fails with EPERM. On top of that:
# - clone is allowed only without namespace flags (no new user/pid/net/mount/... namespaces);
# - clone3 fails with ENOSYS, because its flags live in memory seccomp cannot inspect, and glibc
#   falls back to clone on ENOSYS;
# - socket is allowed for every family except AF_VSOCK (the network namespace has only `lo`, but
#   vsock is not namespaced and reaches the hypervisor);
# - never allowed: ptrace, process_vm_*, io_uring_*, bpf, keyctl/add_key/request_key, mount,
#   umount2, unshare, setns, userfaultfd, perf_event_open, chroot, pivot_root, kexec_*, module
#   loading, reboot, swapon/off, clock/time setting, quotactl, name_to_handle_at and friends.
# bwrap loads the filter right before exec'ing the program, so its own setup is not affected.
import errno
import sys

import seccomp

# name_to_handle_at is harmless alone: open_by_handle_at, the dangerous half, stays denied.
# pidfd_getfd is left out: it steals fds from another process like ptrace does.
ALLOWED = """
accept accept4 access alarm arch_prctl bind brk capget capset chdir chmod chown clock_getres
clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep clock_nanosleep_time64 close
close_range connect copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl
epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat
exit exit_group faccessat faccessat2 fadvise64 fallocate fanotify_mark fchdir fchmod fchmodat
fchmodat2 fchown fchownat fcntl fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr
fstat fstatfs fsync ftruncate futex futex_requeue futex_time64 futex_wait futex_waitv futex_wake
futimesat getcpu getcwd getdents getdents64 getegid geteuid getgid getgroups getitimer
getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid getresuid getrlimit
get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday
getuid getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl
io_destroy io_getevents io_pgetevents ioprio_get ioprio_set io_setup io_submit kill landlock_add_rule
landlock_create_ruleset landlock_restrict_self lchown lgetxattr link linkat listen listxattr
llistxattr lremovexattr lseek lsetxattr lstat madvise membarrier memfd_create memfd_secret mincore
mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mprotect mq_getsetattr mq_notify mq_open
mq_timedreceive mq_timedsend mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock munlockall
munmap name_to_handle_at nanosleep newfstatat open openat openat2 pause pidfd_open
pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl
pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pselect6_time64 pwrite64 pwritev
pwritev2 read readahead readlink readlinkat readv recvfrom recvmmsg recvmmsg_time64 recvmsg
remap_file_pages removexattr rename renameat renameat2 restart_syscall rmdir rseq rt_sigaction
rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait
rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam
sched_get_priority_max sched_get_priority_min sched_getscheduler sched_rr_get_interval
sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam sched_setscheduler
sched_yield seccomp select semctl semget semop semtimedop semtimedop_time64 send sendfile
sendmmsg sendmsg sendto setfsgid setfsuid setgid setgroups setitimer setpgid setpriority setregid
setresgid setresuid setreuid setrlimit set_robust_list setsid setsockopt set_thread_area
set_tid_address setuid setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd
signalfd4 socketpair splice stat statfs statx symlink symlinkat sync sync_file_range syncfs
sysinfo tee tgkill time timer_create timer_delete timer_getoverrun timer_gettime
timer_gettime64 timer_settime timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64
timerfd_settime timerfd_settime64 times tkill truncate umask uname unlink unlinkat utime
utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid write writev
""".split()

CLONE_NAMESPACE_FLAGS = (
    0x00020000  # CLONE_NEWNS
    | 0x02000000  # CLONE_NEWCGROUP
    | 0x04000000  # CLONE_NEWUTS
    | 0x08000000  # CLONE_NEWIPC
    | 0x10000000  # CLONE_NEWUSER
    | 0x20000000  # CLONE_NEWPID
    | 0x40000000  # CLONE_NEWNET
    | 0x00000080  # CLONE_NEWTIME
)
AF_VSOCK = 40
# Linux personalities Docker allows: PER_LINUX, PER_LINUX32, UNAME26 variants, and the query value.
PERSONALITIES = [0x0, 0x0008, 0x20000, 0x20008, 0xFFFFFFFF]


def add(flt, action, name, *args):
    try:
        flt.add_rule(action, name, *args)
    except (RuntimeError, ValueError):
        pass  # not a syscall on this architecture / libseccomp version


def build():
    flt = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    for name in ALLOWED:
        add(flt, seccomp.ALLOW, name)
    add(flt, seccomp.ALLOW, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NAMESPACE_FLAGS, 0))
    add(flt, seccomp.ERRNO(errno.ENOSYS), "clone3")
    add(flt, seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.NE, AF_VSOCK))
    for persona in PERSONALITIES:
        add(flt, seccomp.ALLOW, "personality", seccomp.Arg(0, seccomp.EQ, persona))
    return flt


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seccomp-filter.py OUTPUT_FILE")
    with open(sys.argv[1], "wb") as out:
        build().export_bpf(out)


if __name__ == "__main__":
    main()
