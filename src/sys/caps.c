/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Privilege checks through libcap. */
#include <unistd.h>

#include "sys/caps.h"

bool caps_have(cap_value_t cap)
{
	cap_t caps = cap_get_proc();
	if (!caps)
		return false;
	cap_flag_value_t v = CAP_CLEAR;
	bool ok = cap_get_flag(caps, cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET;
	cap_free(caps);
	return ok;
}

const char *caps_name(cap_value_t cap)
{
	switch (cap) {
	case CAP_SYS_ADMIN:
		return "CAP_SYS_ADMIN";
	case CAP_SYS_RAWIO:
		return "CAP_SYS_RAWIO";
	case CAP_SYS_PTRACE:
		return "CAP_SYS_PTRACE";
	case CAP_DAC_READ_SEARCH:
		return "CAP_DAC_READ_SEARCH";
	default:
		return "a capability";
	}
}

/* true when memscope runs as an ordinary user with file capabilities (setcap): only then are
 * capabilities kept out of the way and raised around the opens that need them */
static bool file_caps;

void caps_init(void)
{
	if (getuid() == 0)
		return; /* root: the kernel's own rules for root apply, nothing to manage */
	cap_t caps = cap_get_proc();
	if (!caps)
		return;
	cap_flag_value_t v = CAP_CLEAR;
	for (cap_value_t c = 0; c <= CAP_LAST_CAP && !file_caps; c++)
		file_caps = cap_get_flag(caps, c, CAP_PERMITTED, &v) == 0 && v == CAP_SET;
	if (file_caps) {
		cap_clear_flag(caps, CAP_EFFECTIVE);
		cap_set_proc(caps);
	}
	cap_free(caps);
}

bool caps_raise(void)
{
	if (!file_caps)
		return false;
	cap_t caps = cap_get_proc();
	if (!caps)
		return false;
	cap_value_t want[] = {CAP_SYS_ADMIN, CAP_DAC_READ_SEARCH};
	int n = 0;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cap_flag_value_t v = CAP_CLEAR;
		if (cap_get_flag(caps, want[i], CAP_PERMITTED, &v) == 0 && v == CAP_SET) {
			cap_set_flag(caps, CAP_EFFECTIVE, 1, &want[i], CAP_SET);
			n++;
		}
	}
	bool ok = n && cap_set_proc(caps) == 0;
	cap_free(caps);
	return ok;
}

void caps_lower(void)
{
	if (!file_caps)
		return;
	cap_t caps = cap_get_proc();
	if (!caps)
		return;
	cap_clear_flag(caps, CAP_EFFECTIVE);
	cap_set_proc(caps);
	cap_free(caps);
}

void caps_drop_all(void)
{
	if (!file_caps)
		return;
	cap_t caps = cap_init(); /* everything clear: effective, permitted, inheritable */
	if (caps) {
		cap_set_proc(caps);
		cap_free(caps);
	}
	file_caps = false;
}
