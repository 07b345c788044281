// SPDX-License-Identifier: GPL-2.0-only
/* paths.c - an install's files, beside the binary or at the compiled prefix. */
#include "base/paths.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool paths_self_dir(char *out, size_t len)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return (size_t)snprintf(out, len, "%s", slash == exe ? "/" : exe) < len;
}

bool paths_installed(const char *rel, const char *compiled, char *out, size_t len)
{
	char self[4096], *slash;
	struct stat st;

	/* SELF/../@rel, written without the "..". */
	if (paths_self_dir(self, sizeof(self)) && (slash = strrchr(self, '/'))) {
		*slash = '\0';
		if ((size_t)snprintf(out, len, "%s/%s", self, rel) < len && stat(out, &st) == 0)
			return true;
	}
	snprintf(out, len, "%s", compiled);
	return stat(out, &st) == 0;
}
