// SPDX-License-Identifier: GPL-2.0-only
/* transport.c - a results directory as a framed byte stream, and back. */
#include "out/transport.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/afile.h"
#include "base/array.h"
#include "base/dirs.h"
#include "base/text.h"

uint32_t transport_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;
	int k;

	crc = ~crc;
	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

int transport_path_ok(const char *path)
{
	const char *s = path, *comp = path;
	size_t len = strlen(path);

	if (len == 0 || len >= 1024 || path[0] == '/')
		return 0;
	for (;; s++) {
		if (*s == '/' || *s == '\0') {
			size_t n = (size_t)(s - comp);

			if (n == 0 || (n == 1 && comp[0] == '.') ||
			    (n == 2 && comp[0] == '.' && comp[1] == '.'))
				return 0;
			if (*s == '\0')
				return 1;
			comp = s + 1;
		} else if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			return 0;
		}
	}
}

/* ---- sending ---- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int send_file(FILE *out, const char *full, const char *rel, struct err *e)
{
	FILE *in = fopen(full, "rb");
	char *buf;
	long size;
	int r = 0;

	if (!in)
		return err_sys(e, "opening %s", full);
	if (fseek(in, 0, SEEK_END) < 0 || (size = ftell(in)) < 0 || fseek(in, 0, SEEK_SET) < 0) {
		fclose(in);
		return err_sys(e, "measuring %s", full);
	}
	if ((unsigned long)size > TRANSPORT_MAX_FILE) {
		fclose(in);
		return err_set(e, ERR_INPUT, "%s: %ld bytes, more than a result file may hold",
		               full, size);
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		fclose(in);
		return err_set(e, ERR_SYSTEM, "out of memory for %s", full);
	}
	if (fread(buf, 1, (size_t)size, in) != (size_t)size) {
		r = err_sys(e, "reading %s", full);
	} else {
		fprintf(out, "file %ld %08" PRIx32 " %s\n", size,
		        transport_crc32(0, buf, (size_t)size), rel);
		fwrite(buf, 1, (size_t)size, out);
		fputc('\n', out);
		if (ferror(out))
			r = err_sys(e, "writing the frame of %s", rel);
	}
	free(buf);
	fclose(in);
	return r;
}

static int send_tree(FILE *out, const char *root, const char *rel, size_t *n, struct err *e)
{
	char dir[4096];
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t count = 0, cap = 0, i;
	int r = 0;

	if (snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] ? "/" : "", rel) >= (int)sizeof(dir))
		return err_set(e, ERR_INPUT, "path too long under %s", root);
	d = opendir(dir);
	if (!d)
		return err_sys(e, "opening %s", dir);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (ARRAY_RESERVE(&names, &cap, count + 1, 32)) {
			r = err_set(e, ERR_SYSTEM, "out of memory");
			break;
		}
		if (!(names[count] = strdup(de->d_name))) {
			r = err_set(e, ERR_SYSTEM, "out of memory");
			break;
		}
		count++;
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof(*names), name_cmp);
	for (i = 0; r == 0 && i < count; i++) {
		char full[4096], sub[2048];
		struct stat st;

		if (snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", names[i]) >=
		        (int)sizeof(sub) ||
		    snprintf(full, sizeof(full), "%s/%s", root, sub) >= (int)sizeof(full)) {
			r = err_set(e, ERR_INPUT, "path too long: %s", names[i]);
			break;
		}
		if (lstat(full, &st) < 0) {
			r = err_sys(e, "%s", full);
		} else if (S_ISDIR(st.st_mode)) {
			r = send_tree(out, root, sub, n, e);
		} else if (S_ISREG(st.st_mode)) {
			if (!transport_path_ok(sub))
				r = err_set(e, ERR_INPUT, "%s: a name the receiver would refuse",
				            sub);
			else if ((r = send_file(out, full, sub, e)) == 0)
				(*n)++;
		} /* symlinks and the rest: not results */
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return r;
}

int transport_send_dir(FILE *out, const char *dir, size_t *nfiles, struct err *e)
{
	*nfiles = 0;
	fprintf(out, "%s\n", TRANSPORT_MAGIC);
	if (send_tree(out, dir, "", nfiles, e) < 0)
		return -1;
	fprintf(out, "end %zu\n", *nfiles);
	if (fflush(out) != 0 || ferror(out))
		return err_sys(e, "writing the results stream");
	return 0;
}

/* ---- receiving ---- */

/* One header line without its newline; 0 at a clean end of input. */
static int read_line(FILE *in, char *line, size_t len, struct err *e, size_t nfiles)
{
	if (!fgets(line, (int)len, in))
		return 0;
	if (!strchr(line, '\n'))
		return err_set(e, ERR_INPUT,
		               "results stream: a header line after %zu file(s) is cut short "
		               "or longer than %zu bytes",
		               nfiles, len - 1);
	line[strcspn(line, "\n")] = '\0';
	return 1;
}

static int receive_file(FILE *in, const char *dest, const char *line, struct err *e)
{
	unsigned long size;
	unsigned crc;
	int off = 0;
	char path[4200];
	char *buf;
	const char *name;
	struct afile af;
	size_t got;

	if (sscanf(line, "file %lu %8x %n", &size, &crc, &off) != 2 || off == 0)
		return err_set(e, ERR_INPUT, "results stream: bad frame header '%.80s'", line);
	name = line + off;
	if (!transport_path_ok(name))
		return err_set(e, ERR_INPUT, "results stream: refusing the path '%.200s'", name);
	if (size > TRANSPORT_MAX_FILE)
		return err_set(e, ERR_INPUT, "results stream: %s claims %lu bytes", name, size);
	if (snprintf(path, sizeof(path), "%s/%s", dest, name) >= (int)sizeof(path))
		return err_set(e, ERR_INPUT, "results stream: path too long: %.200s", name);
	buf = malloc(size ? size : 1);
	if (!buf)
		return err_set(e, ERR_SYSTEM, "out of memory for %s", name);
	got = fread(buf, 1, size, in);
	if (got != size || fgetc(in) != '\n') {
		free(buf);
		return err_set(e, ERR_INPUT,
		               "results stream: ends inside %s (%zu of %lu bytes): the guest "
		               "stopped sending",
		               name, got, size);
	}
	if (transport_crc32(0, buf, size) != crc) {
		free(buf);
		return err_set(e, ERR_INPUT, "results stream: %s is corrupted (CRC-32 mismatch)",
		               name);
	}
	if (dirs_make_parents(path, e) < 0) {
		free(buf);
		return err_sys(e, "creating the directories of %s", path);
	}
	if (afile_open(&af, path, e) < 0) {
		free(buf);
		return -1;
	}
	fwrite(buf, 1, size, af.fp);
	free(buf);
	return afile_commit(&af, e);
}

int transport_receive(FILE *in, const char *dest, size_t *nfiles, struct err *e)
{
	char line[1200];
	int r;

	*nfiles = 0;
	r = read_line(in, line, sizeof(line), e, 0);
	if (r <= 0 || strcmp(line, TRANSPORT_MAGIC) != 0)
		return r < 0 ? -1
		             : err_set(e, ERR_INPUT,
		                       "results stream: no '%s' header: the guest sent no results",
		                       TRANSPORT_MAGIC);
	if (mkdir(dest, 0755) < 0 && errno != EEXIST)
		return err_sys(e, "creating %s", dest);
	for (;;) {
		unsigned long count;
		char extra;

		r = read_line(in, line, sizeof(line), e, *nfiles);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, ERR_INPUT,
			               "results stream: ends after %zu file(s) without its end "
			               "marker: the guest stopped sending",
			               *nfiles);
		if (strncmp(line, "end ", 4) == 0) {
			if (sscanf(line + 4, "%lu%c", &count, &extra) != 1 || count != *nfiles)
				return err_set(e, ERR_INPUT,
				               "results stream: the end marker '%.40s' does not "
				               "match the %zu file(s) received",
				               line, *nfiles);
			return 0;
		}
		if (receive_file(in, dest, line, e) < 0)
			return -1;
		(*nfiles)++;
	}
}
