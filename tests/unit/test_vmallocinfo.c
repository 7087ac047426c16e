/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vmallocinfo parser (streamed, an area at a time), the kernel pointer check (real, zeroed,
 * hashed) and kernel.kptr_restrict; every real capture's vmallocinfo against awk. */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "decode/kptr.h"
#include "decode/layout.h"
#include "proc/sysctl.h"
#include "proc/vmallocinfo.h"

struct sums {
	size_t n, modules, extra, callers_addr, nodes;
	uint64_t bytes, pages, node_pages;
	size_t kind[VMK_NKINDS];
	struct kptr_check kc;
	struct vmalloc_area first, last;
	char first_func[64], last_func[64], first_module[32], extra0[32];
	int stop_at; /* return 1 at this area (from 1), 0: never */
};

static int add(const struct vmalloc_area *a, void *arg)
{
	struct sums *s = arg;
	s->n++;
	s->bytes += a->size;
	s->pages += a->pages;
	for (unsigned k = 0; k < VMK_NKINDS; k++)
		s->kind[k] += !!(a->kinds & (1u << k));
	s->modules += a->module != NULL;
	if (a->module && !s->first_module[0])
		snprintf(s->first_module, sizeof(s->first_module), "%s", a->module);
	if (a->n_extra && !s->extra0[0])
		snprintf(s->extra0, sizeof(s->extra0), "%s", a->extra[0]);
	s->extra += a->n_extra;
	s->callers_addr += a->caller_addr;
	s->nodes += a->nodes;
	for (unsigned i = 0; i < VMALLOC_MAX_NODES; i++)
		s->node_pages += a->node_pages[i];
	s->node_pages += a->node_pages_above;
	kptr_check_range(&s->kc, a->start, a->end, a->size);
	if (s->n == 1) {
		s->first = *a;
		snprintf(s->first_func, sizeof(s->first_func), "%s", a->func ? a->func : "");
	}
	s->last = *a;
	snprintf(s->last_func, sizeof(s->last_func), "%s", a->func ? a->func : "");
	return s->stop_at && (int)s->n == s->stop_at;
}

static int stream_text(const char *t, struct sums *s, struct ms_error *err)
{
	return vmallocinfo_stream_bytes(t, strlen(t), "f", add, s, err);
}

static void test_fixture_hashed(void **state)
{
	/* this machine, 6.18, root, kptr_restrict 0: every address hashed */
	struct sysroot sr;
	struct ms_error err = {0};
	struct sums s = {0};
	struct layout l;
	assert_int_equal(layout_build(&l, "x86_64", 4, 4096, 0), 0);
	kptr_check_init(&s.kc, &l, true);
	fixture_open(&sr, "x86_64-vm-6.18-slab");
	assert_int_equal(vmallocinfo_stream(&sr, add, &s, &err), 0);
	/* awk: 1727 lines, sizes 49422336, pages= 3655, 29 ioremap, 226 vmalloc */
	assert_int_equal(s.n, 1727);
	assert_int_equal(s.bytes, 49422336);
	assert_int_equal(s.pages, 3655);
	assert_int_equal(s.kind[0], 29);  /* ioremap */
	assert_int_equal(s.kind[1], 226); /* vmalloc */
	assert_int_equal(s.first.start, 0xfc44c115);
	assert_int_equal(s.first.end, 0x2c31478e);
	assert_int_equal(s.first.size, 20480);
	assert_string_equal(s.first_func, "irq_init_percpu_irqstack");
	assert_int_equal(s.first.off, 0xed);
	assert_int_equal(s.first.len, 0x120);
	assert_int_equal(s.first.kinds, VMK_VMAP);
	assert_int_equal(s.extra, 0);
	assert_int_equal(kptr_verdict(&s.kc), KPTR_HASHED);
	long kr = -1;
	assert_int_equal(sysctl_read_int(&sr, "kernel/kptr_restrict", &kr, &err), 0);
	assert_int_equal(kr, 0);
	char line[512];
	kptr_explain(&s.kc, "/proc/vmallocinfo", (int)kr, line, sizeof(line));
	assert_contains(line, "/proc/vmallocinfo shows hashed kernel addresses (",
			"ranges end before they start", "when kernel.kptr_restrict is 0 (it is)");
	sysroot_close(&sr);
}

static void test_words(void **state)
{
	static const char t[] =
		"0xbf000000-0xbf002000    8192 module_alloc_update_bounds+0xc/0x5c pages=1 vmalloc\n"
		"0xc9000000-0xd1001000 134221824 serdes_vir_addr_map+0x14/0xdc [zte_xgmii] "
		"phys=5000000 ioremap\n"
		"0xd0800000-0xd0802000    8192 of_iomap+0x30/0x38 phys=0x00000000f8000000 ioremap\n"
		"\n"
		"0xd1000000-0xd1005000   20480 unpurged vm_area\n"
		"0xd2000000-0xd2400000 4194304 vm_map_ram\n"
		"0xd3000000-0xd3009000   36864 0xc088c0d3 pages=8 vmalloc vpages N0=6 N1=2 N99=1\n"
		"0xd4000000-0xd4002000    8192 f.constprop.0+0x1/0x2 pages=1 vmalloc dma-coherent "
		"sparse user vmap newword N0=1";
	struct sums s = {0};
	struct ms_error err = {0};
	struct layout l;
	assert_int_equal(layout_build(&l, "arm", 0, 4096, 0), 0);
	kptr_check_init(&s.kc, &l, false);
	assert_int_equal(stream_text(t, &s, &err), 0);
	assert_int_equal(s.n, 7);
	assert_int_equal(s.modules, 1);
	assert_string_equal(s.first_module, "zte_xgmii");
	assert_int_equal(s.kind[0], 2); /* ioremap */
	assert_int_equal(s.kind[1], 3); /* vmalloc */
	assert_int_equal(s.kind[4], 1); /* vpages */
	assert_int_equal(s.kind[5], 1); /* vm_map_ram */
	assert_int_equal(s.kind[6], 1); /* dma-coherent */
	assert_int_equal(s.kind[7], 1); /* sparse */
	assert_int_equal(s.kind[8], 1); /* unpurged */
	assert_int_equal(s.kind[3], 1); /* user */
	assert_int_equal(s.callers_addr, 1);
	assert_int_equal(s.nodes, 4);
	assert_int_equal(s.node_pages, 10);
	assert_int_equal(s.extra, 1);
	assert_string_equal(s.extra0, "newword");
	assert_int_equal(s.pages, 10);
	assert_string_equal(s.first_func, "module_alloc_update_bounds");
	assert_string_equal(s.last_func, "f.constprop.0");
	assert_int_equal(s.last.line, 8);
	assert_int_equal(s.last.node_pages[0], 1);
	/* real: inside the arm kernel's half, each span its size */
	assert_int_equal(kptr_verdict(&s.kc), KPTR_REAL);
	char line[512];
	kptr_explain(&s.kc, "f", 1, line, sizeof(line));
	assert_string_equal(line, "f shows real kernel addresses (kernel.kptr_restrict is 1: 1 "
				  "shows them to CAP_SYSLOG only, 2 to no one)");
	/* vmalloc_kind_name */
	assert_string_equal(vmalloc_kind_name(VMK_VM_MAP_RAM), "vm_map_ram");
	assert_null(vmalloc_kind_name(3));

	/* phys= with and without 0x */
	struct vmalloc_area a;
	char l1[] = "0x1-0x2 1 x+0x0/0x1 phys=e000000 ioremap";
	assert_null(vmallocinfo_parse_line(l1, &a));
	assert_true(a.has_phys);
	assert_int_equal(a.phys, 0xe000000);
	/* the callback ends the read */
	struct sums st = {.stop_at = 2};
	assert_int_equal(stream_text(t, &st, &err), 1);
	assert_int_equal(st.n, 2);
}

static void test_vmallocinfo_errors(void **state)
{
	static const char shape[] =
		"expected '0xSTART-0xEND SIZE [CALLER] [pages=N] [phys=ADDR] [KIND...]'";
	static const struct bad_input bad[] = {
	    {"\n\n", 0, "no areas in the file"},
	    {"x\n", 1, shape},
	    {"0x1000 8192 f+0x0/0x1\n", 1, shape},
	    {"0x1000-0x3000\n", 1, shape},
	    {"0x1000-0x3000 x\n", 1, shape},
	    {"1000-3000 8192\n", 1, shape},
	    {"0x1000-0x3000 -8192\n", 1, shape},
	    {"0x1000-0x3000 8192x\n", 1, shape},
	    {"0x1000-0x3000junk 8192\n", 1, shape},
	    {"0x1000-0x3000 8192 f+0x0/0x1 pages=x vmalloc\n", 1, "pages= must be a whole number"},
	    {"0x1000-0x3000 8192 f+0x0/0x1 phys=zz ioremap\n", 1, "phys= must be a hex address"},
	    {"0x1000-0x3000 8192 f+0x0/0x1 N0=\n", 1, "expected 'N<node>=<pages>'"},
	    {"0x1000-0x3000 8192 f+0x0/0x1 N0x\n", 1, "expected 'N<node>=<pages>'"},
	    {"0x10000000000000000-0x3000 8192\n", 1, "an address does not fit in 64 bits"},
	    {"0x1000-0x3000 99999999999999999999\n", 1, "the size does not fit in 64 bits"},
	    {"0x1000-0x3000 8192 f+0x0/0x1 vmalloc\n0x3000-0x5", 2, "last line cut off"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sums s = {0};
		struct ms_error err = {0};
		assert_failed(stream_text(bad[i].text, &s, &err), &err, -EINVAL, bad[i].line,
			      bad[i].reason);
	}
	struct sums s = {0};
	struct ms_error err = {0};
	static const char nul[] = "0x1000-0x3000 8192 f\0+0x0/0x1 vmalloc\n";
	assert_failed(vmallocinfo_stream_bytes(nul, sizeof(nul) - 1, "f", add, &s, &err), &err,
		      -EINVAL, 1, "NUL byte in line");
	/* a dump made without root: empty */
	assert_failed(stream_text("", &s, &err), &err, -EACCES, 0,
		      "empty file (the kernel shows it to root only)");
	struct sysroot sr;
	fixture_open(&sr, "empty");
	assert_int_equal(vmallocinfo_stream(&sr, add, &s, &err), -ENOENT);
	assert_string_equal(err.reason, "missing from the dump");
	sysroot_close(&sr);
	LIVE_AS_USER(&sr, "/proc/vmallocinfo", &err);
	assert_root_only(vmallocinfo_stream(&sr, add, &s, &err), &err, "/proc/vmallocinfo");
	sysroot_close(&sr);
}

static void test_kptr(void **state)
{
	struct layout x86;
	assert_int_equal(layout_build(&x86, "x86_64", 4, 4096, 0), 0);
	struct kptr_check c;
	char line[512];
	kptr_check_init(&c, &x86, true);
	assert_int_equal(kptr_verdict(&c), KPTR_NONE);
	assert_string_equal(kptr_kind_name(KPTR_NONE), "none");
	/* zeroed: kptr_restrict 2, or 1 without CAP_SYSLOG */
	kptr_check_range(&c, 0, 0, 8192);
	kptr_check_addr(&c, 0);
	assert_int_equal(kptr_verdict(&c), KPTR_ZEROED);
	assert_string_equal(kptr_kind_name(KPTR_ZEROED), "zeroed");
	kptr_explain(&c, "f", 2, line, sizeof(line));
	assert_string_equal(line, "f shows every kernel address as 0: kernel.kptr_restrict is 2, "
				  "which hides them from everyone (1 shows them to a reader with "
				  "CAP_SYSLOG)");
	kptr_explain(&c, "f", 1, line, sizeof(line));
	assert_string_equal(line, "f shows every kernel address as 0: kernel.kptr_restrict is 1, "
				  "which shows them only to a reader with CAP_SYSLOG, and it had none (2 "
				  "hides them from everyone)");
	kptr_explain(&c, "f", 0, line, sizeof(line));
	assert_string_equal(line, "f shows every kernel address as 0: kernel.kptr_restrict is 0 "
				  "and the reader had no CAP_SYSLOG; at 0 kallsyms shows them to "
				  "anyone only while kernel.perf_event_paranoid is 1 or less (1 shows "
				  "them only to CAP_SYSLOG, 2 to no one)");
	kptr_explain(&c, "f", -1, line, sizeof(line));
	assert_string_equal(line, "f shows every kernel address as 0: kernel.kptr_restrict is not "
				  "known (1 shows them only to a reader with CAP_SYSLOG, 2 to no one)");
	/* real x86_64 vmalloc addresses */
	kptr_check_init(&c, &x86, true);
	kptr_check_range(&c, 0xffffc90000000000, 0xffffc90000002000, 8192);
	kptr_check_addr(&c, 0xffffffff81000000);
	assert_int_equal(kptr_verdict(&c), KPTR_REAL);
	assert_string_equal(kptr_kind_name(KPTR_REAL), "real");
	/* hashed, by each sign alone: a start above its end; a span not its size; a 64-bit
	 * value with 32 zero high bits; a value in user space (by the layout) */
	kptr_check_init(&c, &x86, true);
	kptr_check_range(&c, 0xffffc90000003000, 0xffffc90000001000, 8192);
	assert_int_equal(kptr_verdict(&c), KPTR_HASHED);
	kptr_explain(&c, "f", 0, line, sizeof(line));
	assert_string_equal(line, "f shows hashed kernel addresses (1 of 1 ranges end before they "
				  "start), not positions: %pK hashes them when kernel.kptr_restrict "
				  "is 0 (it is); with 1 a reader with CAP_SYSLOG sees the real ones, "
				  "with 2 no one does");
	kptr_check_init(&c, &x86, true);
	kptr_check_range(&c, 0xffffc90000001000, 0xffffc90000009000, 8192);
	assert_int_equal(kptr_verdict(&c), KPTR_HASHED);
	kptr_explain(&c, "f", 2, line, sizeof(line));
	assert_contains(line, "(1 of 1 ranges do not span their size)",
			"(it was when the file was read)");
	kptr_check_init(&c, NULL, true);
	kptr_check_addr(&c, 0x00000000fc44c115);
	assert_int_equal(kptr_verdict(&c), KPTR_HASHED);
	kptr_explain(&c, "f", -1, line, sizeof(line));
	assert_contains(line, "(1 of 1 addresses lie where no kernel address can)",
			"(its value is not known)");
	assert_string_equal(kptr_kind_name(KPTR_HASHED), "hashed");
	kptr_check_init(&c, &x86, true);
	kptr_check_addr(&c, 0x00007f0000000000);
	assert_int_equal(kptr_verdict(&c), KPTR_HASHED);
	/* 32-bit: by the layout (i386's user space below 3G) */
	struct layout i386;
	assert_int_equal(layout_build(&i386, "i386", 2, 4096, 0), 0);
	kptr_check_init(&c, &i386, false);
	kptr_check_addr(&c, 0xc1000000);
	assert_int_equal(kptr_verdict(&c), KPTR_REAL);
	kptr_check_addr(&c, 0x12345678);
	assert_int_equal(kptr_verdict(&c), KPTR_HASHED);
	/* no layout, 32 bits: only the ranges can tell */
	kptr_check_init(&c, NULL, false);
	kptr_check_addr(&c, 0x12345678);
	assert_int_equal(kptr_verdict(&c), KPTR_REAL);
	kptr_explain(&c, "f", -1, line, sizeof(line));
	assert_non_null(strstr(line, "kernel.kptr_restrict is not known"));
}

static void test_sysctl(void **state)
{
	static const struct {
		const char *text;
		long want;
	} good[] = {{"2\n", 2}, {"-1", -1}};
	long v;
	struct ms_error err = {0};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(sysctl_parse_int(good[i].text, strlen(good[i].text), "f", &v, &err), 0);
		assert_int_equal(v, good[i].want);
	}
	assert_failed(sysctl_parse_int("", 0, "f", &v, &err), &err, -EINVAL, 0, "empty file");
	assert_failed(sysctl_parse_int("\n", 1, "f", &v, &err), &err, -EINVAL, 0,
		      "no value in the file");
	assert_failed(sysctl_parse_int("x\n", 2, "f", &v, &err), &err, -EINVAL, 1,
		      "expected a whole number");
	assert_failed(sysctl_parse_int("1 2\n", 4, "f", &v, &err), &err, -EINVAL, 1,
		      "expected a whole number");
	assert_failed(sysctl_parse_int("1\n2\n", 4, "f", &v, &err), &err, -EINVAL, 2,
		      "more than one value");
	struct sysroot sr;
	fixture_open(&sr, "empty");
	assert_int_equal(sysctl_read_int(&sr, "kernel/kptr_restrict", &v, &err), -ENOENT);
	sysroot_close(&sr);
}

/* awk's reading: areas, sizes, pages=, ioremap, vmalloc, ranges ending before they start */
static const char awk_sums[] =
	"NF>0 {n++; s+=$2; split($1, r, \"-\"); if (length(r[1]) == length(r[2]) && "
	"r[1] > r[2]) rev++; for (i = 3; i <= NF; i++) { if ($i ~ /^pages=/) { "
	"split($i, a, \"=\"); p += a[2] } if ($i == \"ioremap\") io++; if ($i == "
	"\"vmalloc\") vm++ } } END {printf \"%.0f %.0f %.0f %.0f %.0f %.0f\\n\", n, "
	"s, p, io, vm, rev}";

/* A capture's vmallocinfo streamed and summed as awk sums it, its addresses judged (hashed on
 * x86_64, real on arm); @ctx counts the hashed ones. */
static void check_real_dump(const struct real_dump *d, void *ctx)
{
	bool x86 = !strncmp(d->name, "x86_64", 6);
	struct layout l;
	assert_int_equal(layout_build(&l, x86 ? "x86_64" : "arm", x86 ? 4 : 0, 4096, 0), 0);
	struct sums s = {0};
	kptr_check_init(&s.kc, &l, x86);
	struct ms_error err = {0};
	if (vmallocinfo_stream_bytes(d->data, d->len, d->path, add, &s, &err))
		fail_msg("%s:%lu: %s", err.file, err.line, err.reason);
	enum kptr_kind k = kptr_verdict(&s.kc);
	print_message("# %s: %zu areas, %llu bytes, %llu pages, %zu ioremap, %zu vmalloc, "
		      "%zu reversed, addresses %s\n",
		      d->name, s.n, (unsigned long long)s.bytes, (unsigned long long)s.pages,
		      s.kind[0], s.kind[1], s.kc.reversed, kptr_kind_name(k));
	const uint64_t *w = d->awk;
	assert_int_equal(s.n, w[0]);
	assert_int_equal(s.bytes, w[1]);
	assert_int_equal(s.pages, w[2]);
	assert_int_equal(s.kind[0], w[3]);
	assert_int_equal(s.kind[1], w[4]);
	assert_int_equal(s.kc.reversed, w[5]);
	assert_int_equal(k, x86 ? KPTR_HASHED : KPTR_REAL);
	*(size_t *)ctx += k == KPTR_HASHED;
}

static void test_real_dumps(void **state)
{
	size_t hashed = 0;
	if (!real_dumps_each("vmallocinfo", 3, awk_sums, 6, check_real_dump, &hashed))
		return;
	assert_int_equal(hashed, 1); /* x86_64-rhel8-4.18.0-80-rhcos-vm-8G-sosreport */
}

static int sum_add(const struct vmalloc_area *a, void *arg)
{
	return vmalloc_sum_add(arg, a);
}

static void test_sum(void **state)
{
	(void)state;
	/* awk over the fixture: 1727 areas, 49422336 bytes, 3655 pages; 18 callers, the
	 * caller-less areas (vm_map_ram, unpurged) 30105600 bytes in 1470, then
	 * htab_map_alloc 8327168 in 10 and kernel_clone 2375680 in 116; ioremap 1286144 */
	struct sysroot sr;
	struct ms_error err = {0};
	fixture_open(&sr, "x86_64-vm-6.18-slab");
	struct vmalloc_sum s;
	vmalloc_sum_init(&s);
	assert_int_equal(vmallocinfo_stream(&sr, sum_add, &s, &err), 0);
	vmalloc_sum_sort(&s);
	assert_int_equal(s.areas, 1727);
	assert_int_equal(s.bytes, 49422336);
	assert_int_equal(s.pages, 3655);
	assert_int_equal(s.n_callers, 18);
	assert_string_equal(s.callers[0].name, "");
	assert_int_equal(s.callers[0].bytes, 30105600);
	assert_int_equal(s.callers[0].areas, 1470);
	assert_string_equal(s.callers[1].name, "htab_map_alloc");
	assert_int_equal(s.callers[1].bytes, 8327168);
	assert_int_equal(s.callers[1].areas, 10);
	assert_string_equal(s.callers[2].name, "kernel_clone");
	assert_int_equal(s.callers[2].bytes, 2375680);
	assert_int_equal(s.kind_bytes[0], 1286144); /* ioremap */
	assert_int_equal(s.max_node, 1);
	assert_int_equal(s.node_pages[0], 3655);
	vmalloc_sum_free(&s);
	sysroot_close(&sr);

	/* a module's caller is its own group; a bare address is one; many callers re-index */
	vmalloc_sum_init(&s);
	char text[64 * 1024] = "";
	size_t at = 0;
	for (int i = 0; i < 600; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at,
				       "0x%x-0x%x 8192 f%d+0x1/0x2 pages=1 vmalloc N3=1\n",
				       0x1000 * i, 0x1000 * i + 0x2000, i % 300);
	at += (size_t)snprintf(text + at, sizeof(text) - at,
			       "0x1-0x2 4096 f1+0x1/0x2 [mod] ioremap\n0x1-0x2 4096 0xffff12 vmap\n");
	assert_int_equal(vmallocinfo_stream_bytes(text, at, "f", sum_add, &s, &err), 0);
	vmalloc_sum_sort(&s);
	assert_int_equal(s.n_callers, 302);
	assert_int_equal(s.callers[0].bytes, 16384);
	assert_int_equal(s.callers[0].areas, 2);
	assert_int_equal(s.max_node, 4);
	assert_int_equal(s.node_pages[3], 600);
	int mod = 0, addr = 0;
	for (size_t c = 0; c < s.n_callers; c++) {
		mod += !strcmp(s.callers[c].name, "f1 [mod]") && s.callers[c].ioremap_bytes == 4096;
		addr += !strcmp(s.callers[c].name, "0xffff12");
	}
	assert_int_equal(mod, 1);
	assert_int_equal(addr, 1);
	vmalloc_sum_free(&s);
}

TEST_MAIN(cmocka_unit_test(test_fixture_hashed), cmocka_unit_test(test_words),
	  cmocka_unit_test(test_vmallocinfo_errors), cmocka_unit_test(test_kptr),
	  cmocka_unit_test(test_sysctl), cmocka_unit_test(test_real_dumps), cmocka_unit_test(test_sum))
