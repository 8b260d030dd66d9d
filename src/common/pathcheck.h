/*
 * pathcheck.h - warn about files that anyone may replace.
 */
#ifndef TCPDMATCH_PATHCHECK_H
#define TCPDMATCH_PATHCHECK_H

/* pathcheck_writable - warn "PATH: world writable" for path itself and, for an absolute path,
 * for each directory above it up to "/".  A path that does not exist is not reported. */
void pathcheck_writable(const char *path);

#endif
