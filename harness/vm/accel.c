// SPDX-License-Identifier: GPL-2.0-only
/* accel.c - is KVM usable: a real guest instruction, and a per-boot memo. */
#include "vm/accel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/afile.h"
#include "vm/kspec.h"

#define PROBE_MS 3000

int accel_parse(const char *s, enum accel *a)
{
	if (strcmp(s, "auto") == 0)
		*a = ACCEL_AUTO;
	else if (strcmp(s, "kvm") == 0)
		*a = ACCEL_KVM;
	else if (strcmp(s, "tcg") == 0)
		*a = ACCEL_TCG;
	else
		return -1;
	return 0;
}

static void boot_id(char *out, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	out[0] = '\0';
	if (f) {
		if (fgets(out, (int)len, f))
			out[strcspn(out, "\n")] = '\0';
		fclose(f);
	}
}

static int memo_path(char *out, size_t len)
{
	struct err e;

	return kspec_cache_path("kvm-unusable", out, len, &e);
}

/* The reason recorded on this host boot, if any. */
static bool memo_says_unusable(char *why, size_t len)
{
	char path[4096], id[64], line[600];
	bool hit = false;
	FILE *f;

	if (memo_path(path, sizeof(path)) < 0 || !(f = fopen(path, "re")))
		return false;
	boot_id(id, sizeof(id));
	if (id[0] && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, id) == 0 && fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(why, len, "%s (remembered until the host reboots: %s)", line,
			         path);
			hit = true;
		}
	}
	fclose(f);
	return hit;
}

void accel_kvm_failed(const char *why)
{
	char path[4096], id[64];
	struct afile af;
	struct err e;

	boot_id(id, sizeof(id));
	if (!id[0] || memo_path(path, sizeof(path)) < 0)
		return;
	if (afile_open(&af, path, &e) < 0)
		return; /* no cache directory: KVM is tried again next time */
	fprintf(af.fp, "%s\n%s\n", id, why);
	afile_commit(&af, &e);
}

/* Real mode at 0x1000: hlt.  KVM_RUN must come back with KVM_EXIT_HLT. */
static bool runs_a_guest(int kvm, char *why, size_t len)
{
	static const uint8_t code[] = {0xf4};
	struct kvm_userspace_memory_region region = {
	    .slot = 0, .guest_phys_addr = 0x1000, .memory_size = 0x1000};
	struct kvm_regs regs = {.rip = 0x1000, .rflags = 2};
	struct kvm_sregs sregs;
	struct kvm_run *run = MAP_FAILED;
	void *mem = MAP_FAILED;
	int vm = -1, cpu = -1, size;
	bool ok = false;

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		snprintf(why, len, "KVM_CREATE_VM: %s", strerror(errno));
		goto out;
	}
	mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		goto out;
	memcpy(mem, code, sizeof(code));
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		snprintf(why, len, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		goto out;
	}
	cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (cpu < 0) {
		snprintf(why, len, "KVM_CREATE_VCPU: %s", strerror(errno));
		goto out;
	}
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0 ||
	    (run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0)) ==
	        MAP_FAILED ||
	    ioctl(cpu, KVM_GET_SREGS, &sregs) < 0) {
		snprintf(why, len, "KVM vcpu set-up: %s", strerror(errno));
		goto out;
	}
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(cpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(cpu, KVM_SET_REGS, &regs) < 0) {
		snprintf(why, len, "KVM registers: %s", strerror(errno));
		goto out;
	}
	for (int i = 0; i < 4 && !ok; i++) {
		if (ioctl(cpu, KVM_RUN, 0) < 0) {
			snprintf(why, len, "KVM_RUN: %s", strerror(errno));
			break;
		}
		ok = run->exit_reason == KVM_EXIT_HLT;
		if (!ok)
			snprintf(why, len, "a test guest's hlt exited KVM with reason %u",
			         run->exit_reason);
	}
out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)size);
	if (mem != MAP_FAILED)
		munmap(mem, 0x1000);
	if (cpu >= 0)
		close(cpu);
	if (vm >= 0)
		close(vm);
	return ok;
}

static bool probe(char *why, size_t len)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	bool ok;

	if (kvm < 0) {
		snprintf(why, len, "/dev/kvm: %s", strerror(errno));
		return false;
	}
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		snprintf(why, len, "/dev/kvm: unexpected KVM API version");
		close(kvm);
		return false;
	}
	ok = runs_a_guest(kvm, why, len);
	close(kvm);
	return ok;
}

/* The probe runs in a child: a KVM_RUN that never returns costs PROBE_MS. */
bool accel_kvm_usable(char *why, size_t len)
{
	char buf[512] = "";
	struct pollfd pfd;
	int p[2], ws;
	ssize_t n = 0;
	pid_t pid;

	if (access("/dev/kvm", F_OK) < 0) {
		snprintf(why, len, "/dev/kvm: %s", strerror(errno));
		return false;
	}
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		snprintf(why, len, "KVM probe: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		bool ok = probe(buf + 1, sizeof(buf) - 1);

		buf[0] = ok ? 'y' : 'n';
		if (write(p[1], buf, strlen(buf)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	pfd = (struct pollfd){.fd = p[0], .events = POLLIN};
	if (poll(&pfd, 1, PROBE_MS) == 1)
		n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	buf[n > 0 ? n : 0] = '\0';
	if (buf[0] != 'y') {
		snprintf(why, len, "%s",
		         buf[0] ? buf + 1 : "a test guest did not finish under KVM");
		return false;
	}
	return !memo_says_unusable(why, len);
}
