// SPDX-License-Identifier: GPL-2.0-only
/* kernel.c - the upstream version under a distribution's release string. */
#include "host/kernel.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "base/text.h"
#include "model/table.h"

/* "X.Y.Z" at @s with X.Y equal to @rel's and a patch level: copy it. */
static int same_line(const char *s, const struct kver *rel, char *out, size_t len)
{
	struct kver v;
	size_t n = 0;

	if (kver_parse(s, &v) < 0 || v.major != rel->major || v.minor != rel->minor || v.patch == 0)
		return -1;
	while (s[n] && (isdigit((unsigned char)s[n]) || s[n] == '.'))
		n++;
	snprintf(out, len, "%.*s", (int)n, s);
	return 0;
}

void kernel_version_of(const char *release, const char *version, const char *signature, char *out,
                       size_t len, const char **from)
{
	struct kver rel;
	const char *s;

	text_copy(out, len, release);
	*from = "uname -r";
	/* Only a release whose patch level reads 0 hides anything. */
	if (kver_parse(release, &rel) < 0 || rel.patch != 0)
		return;
	for (s = version ? strstr(version, "Debian ") : NULL; s; s = strstr(s + 1, "Debian "))
		if (same_line(s + 7, &rel, out, len) == 0) {
			*from = "uname -v";
			return;
		}
	if (signature) {
		s = strrchr(signature, ' ');
		if (s && same_line(s + 1, &rel, out, len) == 0)
			*from = "/proc/version_signature";
	}
}

int kernel_panic_on_warn(void)
{
	FILE *f = fopen("/proc/sys/kernel/panic_on_warn", "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1 || v < 0)
			v = -1;
		fclose(f);
	}
	return v < 0 ? -1 : v > 0;
}

void kernel_version(char *out, size_t len, const char **from)
{
	struct utsname u;
	char sig[256] = "";
	FILE *f = fopen("/proc/version_signature", "re");

	if (f) {
		if (!fgets(sig, sizeof(sig), f))
			sig[0] = '\0';
		sig[strcspn(sig, "\n")] = '\0';
		fclose(f);
	}
	uname(&u);
	kernel_version_of(u.release, u.version, sig[0] ? sig : NULL, out, len, from);
}
