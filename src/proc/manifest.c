/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parser of a capture's manifest (memscope-capture), written by cmd/capture.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proc/machine.h"
#include "proc/manifest.h"
#include "proc/text.h"

/* The keys of format 1, and whether each may come once only */
static const struct {
	const char *key;
	bool once;
	bool path; /* its value starts with a path of the dump */
} keys[] = {
	{"memscope", true, false},  {"time", true, false},     {"arch", true, false},
	{"page_size", true, false}, {"source", true, false},   {"uid", true, false},
	{"capabilities", true, false}, {"missing", false, true}, {"unreadable", false, true},
	{"hidden", false, true},    {"pagemap", false, false},
};

static int parse_line(struct lines *it, char *line, struct manifest *m, unsigned *seen)
{
	char *sp = strchr(line, ' ');
	size_t kl = sp ? (size_t)(sp - line) : strlen(line);
	char *value = sp ? sp + 1 : line + kl;
	if (it->no == 1) {
		uint64_t v;
		char *p = value;
		if (kl != 16 || strncmp(line, "memscope-capture", kl) || text_u64(&p, &v) || *p)
			return lines_fail(it, "not a memscope capture manifest (the first line is "
					      "not 'memscope-capture %d')",
					  MANIFEST_VERSION);
		if (v != MANIFEST_VERSION)
			return lines_fail(it, "format %llu, and this memscope reads format %d",
					  (unsigned long long)v, MANIFEST_VERSION);
		m->version = (unsigned)v;
		return 0;
	}
	size_t k = 0, nkeys = sizeof(keys) / sizeof(keys[0]);
	while (k < nkeys && (strlen(keys[k].key) != kl || strncmp(keys[k].key, line, kl)))
		k++;
	if (k == nkeys)
		return lines_fail(it, "unknown key '%.*s'", (int)(kl > 64 ? 64 : kl), line);
	if (!*value)
		return lines_fail(it, "'%s' without a value", keys[k].key);
	if (keys[k].once && (*seen & (1u << k)))
		return lines_fail(it, "a second '%s' line", keys[k].key);
	*seen |= 1u << k;
	const char *key = keys[k].key;
	if (!strcmp(key, "arch")) {
		if (strcmp(value, "unknown")) {
			m->arch = machine_arch_name(value, strlen(value));
			if (!m->arch)
				return lines_fail(it, "unknown architecture '%.32s'", value);
		}
	} else if (!strcmp(key, "page_size")) {
		if (strcmp(value, "unknown")) {
			uint64_t v;
			char *p = value;
			/* what the kernel's architectures have: 1K (old ARM) to 256K (hexagon) */
			if (text_u64(&p, &v) || *p || v < 1024 || v > 256 * 1024 || (v & (v - 1)))
				return lines_fail(it, "page_size '%.32s' is not a power of two "
						      "from 1024 to 262144",
						  value);
			m->page_size = v;
		}
	} else if (!strcmp(key, "uid") || !strcmp(key, "pagemap")) {
		uint64_t v;
		char *p = value;
		if (text_u64(&p, &v) || *p || v > 0xffffffffu)
			return lines_fail(it, "'%s' takes a number", key);
		if (!strcmp(key, "pagemap"))
			m->pagemaps++;
	} else if (keys[k].path) {
		/* "missing proc/iomem", "unreadable proc/slabinfo: Permission denied" */
		if (value[0] == '/' || value[0] == ':' || value[0] == ' ')
			return lines_fail(it, "'%s' takes a path of the capture", key);
	}
	return 0;
}

int manifest_parse(const char *data, size_t len, const char *file, struct manifest *m,
		   struct ms_error *err)
{
	memset(m, 0, sizeof(*m));
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	unsigned seen = 0;
	size_t found = 0;
	for (char *line; (line = lines_next(&it));) {
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = '\0';
		if (!l) {
			if (it.no == 1)
				lines_fail(&it, "not a memscope capture manifest (the first line is "
						"not 'memscope-capture %d')",
					   MANIFEST_VERSION);
			continue;
		}
		if (parse_line(&it, line, m, &seen))
			break;
		found++;
	}
	int ret = lines_end(&it, found, "not a memscope capture manifest", NULL);
	if (!ret)
		m->present = true;
	return ret;
}

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return manifest_parse(data, len, file, out, err);
}

int manifest_read(const struct sysroot *sr, struct manifest *m, struct ms_error *err)
{
	memset(m, 0, sizeof(*m));
	if (sysroot_exists(sr, MANIFEST_PATH, false, NULL) == -ENOENT)
		return 0;
	return sysroot_parse(sr, MANIFEST_PATH, parse_any, m, err);
}
