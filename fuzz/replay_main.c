/*
 * replay_main.c - run a fuzz target over its corpus without libFuzzer (used by make check).
 *
 * Arguments are files or directories of inputs.  Prints "N passed, 0 failed"; a crash or a
 * sanitizer report aborts the run, which the test runner counts as a failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* replay_file - feed one input file to the target; false if it cannot be read. */
static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data;
	long size;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		perror(path);
		if (fp != NULL)
			fclose(fp);
		return 0;
	}
	data = malloc((size_t)size + 1);
	if (data == NULL || fread(data, 1, (size_t)size, fp) != (size_t)size) {
		perror(path);
		free(data);
		fclose(fp);
		return 0;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, (size_t)size);
	free(data);
	return 1;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *dir;
		struct dirent *entry;

		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			replay_file(argv[i]) ? passed++ : failed++;
			continue;
		}
		if ((dir = opendir(argv[i])) == NULL) {
			perror(argv[i]);
			failed++;
			continue;
		}
		while ((entry = readdir(dir)) != NULL) {
			char path[4096];

			if (entry->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], entry->d_name);
			replay_file(path) ? passed++ : failed++;
		}
		closedir(dir);
	}
	if (passed + failed == 0)
		failed = 1; /* an empty corpus is a broken suite, not a pass */
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
