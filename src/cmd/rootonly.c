/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cmd/rootonly.h"
#include "proc/meminfo.h"

int meminfo_only(struct ctx *ctx, struct ms_error *err, const char *what, const char *null_key,
		 const char *const *keys, size_t n)
{
	ctx_note(ctx, "'%s': %s; only meminfo's %s are shown", err->file, err->reason, what);
	*err = (struct ms_error){0};
	struct meminfo mi;
	int e = meminfo_read(&ctx->root, &mi, err);
	if (e)
		return e;
	struct out *o = &ctx->out;
	out_null(o, SHOW_JSON, null_key, NULL);
	out_object(o, "meminfo");
	out_printf(o, "meminfo:");
	for (size_t i = 0; i < n; i++) {
		const struct meminfo_entry *m = meminfo_get(&mi, keys[i]);
		char h[32] = "-";
		if (m) {
			out_size_text(o, m->value, h, sizeof(h));
			out_u64(o, SHOW_JSON, keys[i], NULL, m->value);
		} else {
			out_null(o, SHOW_JSON, keys[i], NULL);
		}
		out_printf(o, "%s%s %s", i ? ", " : " ", keys[i], h);
	}
	out_printf(o, "\n");
	out_end(o);
	meminfo_free(&mi);
	return 0;
}
