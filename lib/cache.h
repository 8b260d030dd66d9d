/*
 * cache.h - compiled tables kept across calls, revalidated against the file on every call.
 *
 * cache_acquire(path) returns the snapshot of the table that matches the file as it is now:
 * the file's identity (st_dev, st_ino, st_size, st_mtim, st_ctim with nanoseconds) is taken
 * with stat() on every call and compared with the snapshot's, so an in-place edit, an append
 * or a rename over the file is seen by the very next call.  A snapshot is immutable; the
 * caller keeps it for one whole decision (one consistent view) and gives it back with
 * cache_release().
 *
 * Racily clean snapshots (as git calls index entries written in the same timestamp tick as
 * the file): file timestamps come from a coarse clock, so a same-size rewrite within one tick
 * of the load can leave the identity unchanged.  A snapshot whose file was modified or
 * changed less than CACHE_RACY_NS before the load started (2 s when the file system records
 * whole seconds only) is used once, for the call that loaded it, and never trusted again: the
 * next call reads the file anew.
 *
 * Threads: each thread keeps its own reference to the snapshot it last used for each table,
 * so the common call (identity unchanged) is a stat() and a comparison, with no lock and no
 * write to memory another thread uses.  Only a change of the file (or a thread's first call)
 * takes the cache's mutex, to share one freshly loaded snapshot among all threads.  Snapshots
 * are reference counted and freed when the last thread lets go.  A fork() child inherits a
 * usable cache (the mutex is held across fork()).
 *
 * For tools (tcpdmatch --explain, tcpdchk) and tests, snapshot_table() gives the snapshot's
 * table as a classic struct wrap_table (every rule in file order with its tokens), compiled
 * on first request from the very bytes the snapshot was built from.
 */
#ifndef WRAP_CACHE_H
#define WRAP_CACHE_H

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include "index.h"
#include "table.h"

/* How long a file's timestamps must lie before the load for the snapshot to be trusted. */
#define CACHE_RACY_NS 100000000L            /* 100 ms: several jiffies at HZ=100 */
#define CACHE_RACY_COARSE_NS 2000000000L    /* 2 s: whole-second (or FAT) timestamps */

struct table_snapshot;

/* cache_acquire - the current snapshot of the table at path.  NULL only when memory runs
 * out.  A missing file reads as an empty table; check snapshot_open_errno() for a file that
 * exists but cannot be read. */
struct table_snapshot *cache_acquire(const char *path);

/* cache_release - give back a snapshot from cache_acquire(); NULL is fine. */
void cache_release(struct table_snapshot *snapshot);

/* snapshot_index - the snapshot's compiled decision form (see index.h). */
const struct table_index *snapshot_index(const struct table_snapshot *snapshot);

/* snapshot_open_errno - 0, or why the existing file could not be read. */
int snapshot_open_errno(const struct table_snapshot *snapshot);

/* snapshot_table - the snapshot's rules as a struct wrap_table, valid until the snapshot is
 * released; NULL when memory runs out. */
const struct wrap_table *snapshot_table(struct table_snapshot *snapshot);

/* cache_racy - would a snapshot of a file with these timestamps, loaded from load_start on,
 * be racily clean (untrustworthy)?  Exposed for the unit tests. */
bool cache_racy(const struct stat *st, const struct timespec *load_start);

/* cache_stats - how many snapshots this process has loaded so far (for tests: proves that
 * an unchanged table is not re-read, and a changed one is). */
unsigned long cache_loads(void);

#endif
