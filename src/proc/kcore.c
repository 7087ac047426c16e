/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reader of /proc/kcore's ELF program headers (only the headers: the first 64 KiB). */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "proc/kcore.h"

int kcore_parse(const unsigned char *data, size_t len, const char *file, struct kcore *k,
		struct ms_error *err)
{
	memset(k, 0, sizeof(*k));
	Elf64_Ehdr eh;
	if (len < sizeof(eh) || memcmp(data, ELFMAG, SELFMAG))
		return ms_fail(err, -EINVAL, file, 0, "not an ELF file");
	memcpy(&eh, data, sizeof(eh));
	if (data[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
		return ms_fail(err, -EINVAL, file, 0, "not a 64-bit ELF core");
	if (eh.e_phoff > len || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return ms_fail(err, -EINVAL, file, 0, "program headers past the end of what was read");
	for (unsigned i = 0; i < eh.e_phnum && k->n < sizeof(k->seg) / sizeof(k->seg[0]); i++) {
		Elf64_Phdr ph;
		memcpy(&ph, data + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		k->seg[k->n++] = (struct kcore_segment){
			ph.p_vaddr, ph.p_paddr == (Elf64_Addr)-1 ? UINT64_MAX : ph.p_paddr,
			ph.p_memsz};
	}
	return 0;
}

int kcore_read(const struct sysroot *sr, struct kcore *k, struct ms_error *err)
{
	int fd = sysroot_openat(sr, "proc/kcore", err);
	if (fd < 0)
		return fd;
	static unsigned char buf[64 * 1024];
	ssize_t n = pread(fd, buf, sizeof(buf), 0);
	int e = n < 0 ? -errno : 0;
	close(fd);
	char name[512];
	sysroot_name(sr, "proc/kcore", name, sizeof(name));
	if (e)
		return ms_fail(err, e, name, 0, "read error: %s", strerror(-e));
	return kcore_parse(buf, (size_t)n, name, k, err);
}
