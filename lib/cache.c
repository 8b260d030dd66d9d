/*
 * cache.c - compiled tables kept across calls (see cache.h).
 *
 * The shared slots (CACHE_SLOTS of them; a program uses two) each hold a path and its newest
 * snapshot, under the mutex; when all are taken, the oldest slot makes room.  Every thread
 * keeps in thread-local storage the snapshots it last used, one reference each.  A call
 * compares the file's identity with the thread's snapshot of that path: equal and trusted,
 * the snapshot is lent for the call (a thread-local counter, no shared write).  Otherwise,
 * under the mutex, the slot's snapshot is taken if it fits the file, or a new one is loaded,
 * and the thread's reference moves to it.  A path that cannot be stat()ed (other than
 * ENOENT) is loaded for the call and freed after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"

#define CACHE_SLOTS 8

/* What identifies the file's contents (st_mode excluded: chmod changes st_ctim). */
struct identity {
	bool missing; /* stat() said ENOENT */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
};

struct table_snapshot {
	unsigned long refs; /* atomic */
	struct identity id;
	bool trusted;       /* not racily clean: may be reused while the identity holds */
	int open_errno;
	char *path;
	char *data; /* the file's bytes */
	size_t size;
	struct table_index *index;
	pthread_mutex_t table_lock;
	struct wrap_table *table; /* snapshot_table(), compiled on first request */
};

/* The shared slots, under the mutex. */
struct slot {
	char *path;
	struct table_snapshot *current;
};

struct thread_slot {
	struct table_snapshot *snapshot; /* one reference */
	unsigned lent;                   /* calls using it now (nested calls) */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[CACHE_SLOTS];
static unsigned long loads; /* atomic */
static _Thread_local struct thread_slot thread_slots[CACHE_SLOTS];
static _Thread_local bool thread_registered;
static pthread_key_t thread_key;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static bool key_ok;

static void snapshot_unref(struct table_snapshot *s)
{
	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	index_free(s->index);
	table_free(s->table);
	pthread_mutex_destroy(&s->table_lock);
	free(s->data);
	free(s->path);
	free(s);
}

static void snapshot_ref(struct table_snapshot *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

/* thread_exit - a thread ends: drop its references. */
static void thread_exit(void *unused)
{
	(void)unused;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		snapshot_unref(thread_slots[i].snapshot);
		thread_slots[i].snapshot = NULL;
	}
}

static void fork_prepare(void)
{
	pthread_mutex_lock(&cache_lock);
}

static void fork_done(void)
{
	pthread_mutex_unlock(&cache_lock);
}

static void cache_init(void)
{
	key_ok = pthread_key_create(&thread_key, thread_exit) == 0;
	pthread_atfork(fork_prepare, fork_done, fork_done);
}

/* The library may be unloaded while threads live on: they must not call into it then. */
__attribute__((destructor)) static void cache_unload(void)
{
	if (key_ok)
		pthread_key_delete(thread_key);
}

bool cache_racy(const struct stat *st, const struct timespec *load_start)
{
	bool coarse = st->st_mtim.tv_nsec == 0 && st->st_ctim.tv_nsec == 0;
	long long slack = coarse ? CACHE_RACY_COARSE_NS : CACHE_RACY_NS;
	long long start = (long long)load_start->tv_sec * 1000000000LL + load_start->tv_nsec;
	long long m = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	long long c = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;

	return (m > c ? m : c) + slack >= start;
}

static void identity_of(const struct stat *st, struct identity *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->dev = st->st_dev;
	ret->ino = st->st_ino;
	ret->size = st->st_size;
	ret->mtim = st->st_mtim;
	ret->ctim = st->st_ctim;
}

static bool identity_equal(const struct identity *a, const struct identity *b)
{
	if (a->missing || b->missing)
		return a->missing && b->missing;
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtim.tv_sec == b->mtim.tv_sec && a->mtim.tv_nsec == b->mtim.tv_nsec &&
	       a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec;
}

/* current_identity - the file as it is now; false when that cannot be known (the caller
 * loads without caching). */
static bool current_identity(const char *path, struct identity *ret)
{
	struct stat st;

	if (stat(path, &st) == 0) {
		identity_of(&st, ret);
		return true;
	}
	memset(ret, 0, sizeof(*ret));
	ret->missing = errno == ENOENT;
	return ret->missing;
}

/* snapshot_load - read and compile the file now.  NULL when memory runs out. */
static struct table_snapshot *snapshot_load(const char *path)
{
	struct table_snapshot *s = calloc(1, sizeof(*s));
	struct timespec start;
	struct stat st;
	int fd;

	if (s == NULL)
		return NULL;
	s->refs = 1;
	pthread_mutex_init(&s->table_lock, NULL);
	if ((s->path = strdup(path)) == NULL)
		goto fail;
	__atomic_add_fetch(&loads, 1, __ATOMIC_RELAXED);
	clock_gettime(CLOCK_REALTIME, &start);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		s->open_errno = errno == ENOENT ? 0 : errno;
		s->id.missing = errno == ENOENT;
		s->trusted = s->id.missing;
	} else if (fstat(fd, &st) != 0 || (s->data = table_read_file(fd, &s->size)) == NULL) {
		s->open_errno = errno;
		close(fd);
		if (s->open_errno == ENOMEM)
			goto fail;
	} else {
		close(fd);
		identity_of(&st, &s->id);
		s->trusted = !cache_racy(&st, &start);
	}
	if (s->data == NULL && (s->data = strdup("")) == NULL)
		goto fail;
	if ((s->index = index_build(path, s->data, s->size)) == NULL)
		goto fail;
	return s;
fail:
	snapshot_unref(s);
	return NULL;
}

static bool fits(const struct table_snapshot *s, const struct identity *now)
{
	return s != NULL && s->trusted && identity_equal(&s->id, now);
}

/* shared_snapshot - under the mutex: the slot's snapshot of path if it fits the file, else
 * a new one, installed in the path's slot (the oldest slot makes room).  One reference for
 * the caller.  NULL when memory runs out. */
static struct table_snapshot *shared_snapshot(const char *path, const struct identity *now)
{
	static unsigned next_victim;
	struct slot *slot = NULL;
	struct table_snapshot *s;

	for (int i = 0; i < CACHE_SLOTS && slot == NULL; i++)
		if (slots[i].path != NULL && strcmp(slots[i].path, path) == 0)
			slot = &slots[i];
	if (slot != NULL && fits(slot->current, now)) {
		snapshot_ref(slot->current);
		return slot->current;
	}
	if ((s = snapshot_load(path)) == NULL)
		return NULL;
	if (slot == NULL) {
		char *copy = strdup(path);
		if (copy == NULL)
			return s; /* used for this call only */
		slot = &slots[next_victim++ % CACHE_SLOTS];
		free(slot->path);
		slot->path = copy;
	}
	snapshot_unref(slot->current);
	slot->current = s; /* the slot's reference */
	snapshot_ref(s);   /* the caller's */
	return s;
}

struct table_snapshot *cache_acquire(const char *path)
{
	static _Thread_local unsigned next_victim;
	struct thread_slot *mine = NULL;
	struct identity now;
	struct table_snapshot *s;

	pthread_once(&init_once, cache_init);
	if (!current_identity(path, &now))
		return snapshot_load(path); /* not cached: freed when released */
	for (int i = 0; i < CACHE_SLOTS && mine == NULL; i++)
		if (thread_slots[i].snapshot != NULL && strcmp(thread_slots[i].snapshot->path, path) == 0)
			mine = &thread_slots[i];
	if (mine != NULL && fits(mine->snapshot, &now)) {
		mine->lent++; /* the common case: nothing shared is read or written */
		return mine->snapshot;
	}
	if (!thread_registered && key_ok) {
		pthread_setspecific(thread_key, thread_slots);
		thread_registered = true;
	}
	pthread_mutex_lock(&cache_lock);
	s = shared_snapshot(path, &now);
	pthread_mutex_unlock(&cache_lock);
	if (s == NULL)
		return NULL;
	if (mine == NULL) { /* a free slot of this thread's, else the next one in turn */
		for (int i = 0; i < CACHE_SLOTS && mine == NULL; i++)
			if (thread_slots[i].snapshot == NULL)
				mine = &thread_slots[i];
		if (mine == NULL && thread_slots[next_victim % CACHE_SLOTS].lent == 0)
			mine = &thread_slots[next_victim++ % CACHE_SLOTS];
	}
	if (mine == NULL || mine->lent != 0)
		return s; /* nested calls hold the slot: the reference is the caller's */
	snapshot_unref(mine->snapshot);
	mine->snapshot = s; /* the caller's reference becomes the thread's, lent once */
	mine->lent = 1;
	return s;
}

void cache_release(struct table_snapshot *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (thread_slots[i].snapshot == s && thread_slots[i].lent > 0) {
			thread_slots[i].lent--;
			return;
		}
	}
	snapshot_unref(s);
}

const struct table_index *snapshot_index(const struct table_snapshot *s)
{
	return s->index;
}

int snapshot_open_errno(const struct table_snapshot *s)
{
	return s->open_errno;
}

const struct wrap_table *snapshot_table(struct table_snapshot *s)
{
	pthread_mutex_lock(&s->table_lock);
	if (s->table == NULL) {
		s->table = table_compile_text(s->path, s->data, s->size);
		if (s->table != NULL)
			s->table->open_errno = s->open_errno;
	}
	pthread_mutex_unlock(&s->table_lock);
	return s->table;
}

unsigned long cache_loads(void)
{
	return __atomic_load_n(&loads, __ATOMIC_RELAXED);
}
