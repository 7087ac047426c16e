/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Privilege checks through libcap. */
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
	default:
		return "a capability";
	}
}
