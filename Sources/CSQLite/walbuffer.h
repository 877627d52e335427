#ifndef CSQLite_WALBUFFER_H
#define CSQLite_WALBUFFER_H
#include <sqlite3.h>
#include <string.h>

/* A VFS for the store's writer connection that gathers the writes SQLite makes to its
   write-ahead log between two syncs into one pwrite.

   SQLite writes each WAL frame as two writes, its 24-byte header then its page, at
   consecutive offsets; a commit of n frames is 2n pwrite calls, each of which looks up
   (and, for the header, partly rewrites) a page of the page cache. Here writes to a file
   opened with SQLITE_OPEN_WAL that continue the previous one are appended to a buffer,
   written with one call when anything else happens to the file: xSync (so a commit's frames
   are on disk before it is synced, exactly as before), xRead, xTruncate, xFileSize,
   xFileControl, xClose, a write elsewhere, or a full buffer. Every other file of the
   connection (the database, a journal) is the default VFS's, untouched.

   What makes it safe: with synchronous=FULL, which the store sets on the writer and never
   changes, every commit syncs the log before SQLite publishes the new frames to other
   connections (the wal-index header), so no reader or checkpointer can look for a frame
   that is still in the buffer; frames of a transaction not yet committed are read back only
   by this connection, through xRead, which writes the buffer first. A crash loses only
   frames of a transaction that had not committed. */

/* 124 KiB: the default VFS's xWrite hands pwrite(2) at most 0x1ffff bytes of one call
   (seekAndWriteFd masks the length; SQLite itself never writes more than a page at once),
   and reports SQLITE_FULL for the rest. 30 frames of 4 KiB pages fit. */
#define BLS_WAL_BUFFER_BYTES (124 * 1024)

typedef struct BlsWalFile {
  sqlite3_file base;    /* methods: bls_wal_io_methods */
  sqlite3_file *real;   /* the default VFS's file, in the memory after this struct */
  unsigned char *buffer; /* BLS_WAL_BUFFER_BYTES, allocated at the first write */
  int length;           /* bytes waiting in buffer */
  sqlite3_int64 start;  /* file offset of buffer[0] */
  sqlite3_int64 received; /* xWrite calls from SQLite */
  sqlite3_int64 written;  /* writes passed to the default VFS */
} BlsWalFile;

/* A file control answered by the log file of this VFS: fills sqlite3_int64[2] with
   (received, written). */
#define BLS_WAL_FCNTL_COUNTS 0x626c7701

static inline sqlite3_vfs *bls_wal_real_vfs(sqlite3_vfs *vfs) { return (sqlite3_vfs *)vfs->pAppData; }

static inline int bls_wal_flush(BlsWalFile *p) {
  if (p->length == 0) return SQLITE_OK;
  int length = p->length;
  p->length = 0;
  p->written++;
  return p->real->pMethods->xWrite(p->real, p->buffer, length, p->start);
}

static int bls_wal_close(sqlite3_file *f) {
  BlsWalFile *p = (BlsWalFile *)f;
  int rc = bls_wal_flush(p);
  int closed = p->real->pMethods ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
  sqlite3_free(p->buffer);
  p->buffer = 0;
  return rc != SQLITE_OK ? rc : closed;
}

static int bls_wal_read(sqlite3_file *f, void *data, int amount, sqlite3_int64 offset) {
  BlsWalFile *p = (BlsWalFile *)f;
  int rc = bls_wal_flush(p);
  return rc != SQLITE_OK ? rc : p->real->pMethods->xRead(p->real, data, amount, offset);
}

static int bls_wal_write(sqlite3_file *f, const void *data, int amount, sqlite3_int64 offset) {
  BlsWalFile *p = (BlsWalFile *)f;
  p->received++;
  if (p->length > 0 && offset == p->start + p->length && amount <= BLS_WAL_BUFFER_BYTES - p->length) {
    memcpy(p->buffer + p->length, data, (size_t)amount);
    p->length += amount;
    return SQLITE_OK;
  }
  int rc = bls_wal_flush(p);
  if (rc != SQLITE_OK) return rc;
  if (!p->buffer) p->buffer = sqlite3_malloc(BLS_WAL_BUFFER_BYTES);
  if (!p->buffer || amount > BLS_WAL_BUFFER_BYTES) {
    p->written++;
    return p->real->pMethods->xWrite(p->real, data, amount, offset);
  }
  memcpy(p->buffer, data, (size_t)amount);
  p->start = offset;
  p->length = amount;
  return SQLITE_OK;
}

static int bls_wal_truncate(sqlite3_file *f, sqlite3_int64 size) {
  BlsWalFile *p = (BlsWalFile *)f;
  int rc = bls_wal_flush(p);
  return rc != SQLITE_OK ? rc : p->real->pMethods->xTruncate(p->real, size);
}

static int bls_wal_sync(sqlite3_file *f, int flags) {
  BlsWalFile *p = (BlsWalFile *)f;
  int rc = bls_wal_flush(p);
  return rc != SQLITE_OK ? rc : p->real->pMethods->xSync(p->real, flags);
}

static int bls_wal_file_size(sqlite3_file *f, sqlite3_int64 *size) {
  BlsWalFile *p = (BlsWalFile *)f;
  int rc = bls_wal_flush(p);
  return rc != SQLITE_OK ? rc : p->real->pMethods->xFileSize(p->real, size);
}

static int bls_wal_lock(sqlite3_file *f, int level) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xLock(p->real, level);
}

static int bls_wal_unlock(sqlite3_file *f, int level) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xUnlock(p->real, level);
}

static int bls_wal_check_reserved_lock(sqlite3_file *f, int *out) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int bls_wal_file_control(sqlite3_file *f, int op, void *arg) {
  BlsWalFile *p = (BlsWalFile *)f;
  if (op == BLS_WAL_FCNTL_COUNTS) {
    ((sqlite3_int64 *)arg)[0] = p->received;
    ((sqlite3_int64 *)arg)[1] = p->written;
    return SQLITE_OK;
  }
  int rc = bls_wal_flush(p);
  return rc != SQLITE_OK ? rc : p->real->pMethods->xFileControl(p->real, op, arg);
}

static int bls_wal_sector_size(sqlite3_file *f) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xSectorSize(p->real);
}

static int bls_wal_device_characteristics(sqlite3_file *f) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xDeviceCharacteristics(p->real);
}

static int bls_wal_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xShmMap(p->real, region, size, extend, out);
}

static int bls_wal_shm_lock(sqlite3_file *f, int offset, int n, int flags) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xShmLock(p->real, offset, n, flags);
}

static void bls_wal_shm_barrier(sqlite3_file *f) {
  BlsWalFile *p = (BlsWalFile *)f;
  p->real->pMethods->xShmBarrier(p->real);
}

static int bls_wal_shm_unmap(sqlite3_file *f, int delete_flag) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xShmUnmap(p->real, delete_flag);
}

static int bls_wal_fetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **out) {
  BlsWalFile *p = (BlsWalFile *)f;
  int rc = bls_wal_flush(p);
  return rc != SQLITE_OK ? rc : p->real->pMethods->xFetch(p->real, offset, amount, out);
}

static int bls_wal_unfetch(sqlite3_file *f, sqlite3_int64 offset, void *page) {
  BlsWalFile *p = (BlsWalFile *)f;
  return p->real->pMethods->xUnfetch(p->real, offset, page);
}

static const sqlite3_io_methods bls_wal_io_methods = {
  3, bls_wal_close, bls_wal_read, bls_wal_write, bls_wal_truncate, bls_wal_sync, bls_wal_file_size,
  bls_wal_lock, bls_wal_unlock, bls_wal_check_reserved_lock, bls_wal_file_control, bls_wal_sector_size,
  bls_wal_device_characteristics, bls_wal_shm_map, bls_wal_shm_lock, bls_wal_shm_barrier, bls_wal_shm_unmap,
  bls_wal_fetch, bls_wal_unfetch,
};

static int bls_wal_vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags) {
  sqlite3_vfs *real = bls_wal_real_vfs(vfs);
  if (!(flags & SQLITE_OPEN_WAL)) return real->xOpen(real, name, f, flags, out_flags);
  BlsWalFile *p = (BlsWalFile *)f;
  memset(p, 0, sizeof(*p));
  p->real = (sqlite3_file *)&p[1];
  int rc = real->xOpen(real, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (p->real->pMethods) p->real->pMethods->xClose(p->real);
    p->base.pMethods = 0;
    return rc;
  }
  p->base.pMethods = &bls_wal_io_methods;
  return SQLITE_OK;
}

/* The rest of the VFS is the default one's. */
static int bls_wal_vfs_delete(sqlite3_vfs *v, const char *n, int s) {
  return bls_wal_real_vfs(v)->xDelete(bls_wal_real_vfs(v), n, s);
}
static int bls_wal_vfs_access(sqlite3_vfs *v, const char *n, int f, int *o) {
  return bls_wal_real_vfs(v)->xAccess(bls_wal_real_vfs(v), n, f, o);
}
static int bls_wal_vfs_full_pathname(sqlite3_vfs *v, const char *n, int size, char *out) {
  return bls_wal_real_vfs(v)->xFullPathname(bls_wal_real_vfs(v), n, size, out);
}
static void *bls_wal_vfs_dl_open(sqlite3_vfs *v, const char *n) {
  return bls_wal_real_vfs(v)->xDlOpen(bls_wal_real_vfs(v), n);
}
static void bls_wal_vfs_dl_error(sqlite3_vfs *v, int size, char *out) {
  bls_wal_real_vfs(v)->xDlError(bls_wal_real_vfs(v), size, out);
}
static void (*bls_wal_vfs_dl_sym(sqlite3_vfs *v, void *h, const char *s))(void) {
  return bls_wal_real_vfs(v)->xDlSym(bls_wal_real_vfs(v), h, s);
}
static void bls_wal_vfs_dl_close(sqlite3_vfs *v, void *h) { bls_wal_real_vfs(v)->xDlClose(bls_wal_real_vfs(v), h); }
static int bls_wal_vfs_randomness(sqlite3_vfs *v, int n, char *out) {
  return bls_wal_real_vfs(v)->xRandomness(bls_wal_real_vfs(v), n, out);
}
static int bls_wal_vfs_sleep(sqlite3_vfs *v, int us) { return bls_wal_real_vfs(v)->xSleep(bls_wal_real_vfs(v), us); }
static int bls_wal_vfs_current_time(sqlite3_vfs *v, double *t) {
  return bls_wal_real_vfs(v)->xCurrentTime(bls_wal_real_vfs(v), t);
}
static int bls_wal_vfs_get_last_error(sqlite3_vfs *v, int n, char *out) {
  return bls_wal_real_vfs(v)->xGetLastError(bls_wal_real_vfs(v), n, out);
}
static int bls_wal_vfs_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *t) {
  return bls_wal_real_vfs(v)->xCurrentTimeInt64(bls_wal_real_vfs(v), t);
}

#define BLS_WAL_VFS_NAME "bls-wal"

/* Registers the VFS as BLS_WAL_VFS_NAME (not the default: the store opens only its writer
   with it). Call once; returns SQLITE_OK, or an error if the default VFS is missing or too old. */
static inline int bls_sqlite3_register_wal_buffer(void) {
  sqlite3_vfs *real = sqlite3_vfs_find(0);
  if (!real || real->iVersion < 2) return SQLITE_ERROR;
  sqlite3_vfs *vfs = sqlite3_malloc(sizeof(sqlite3_vfs));
  if (!vfs) return SQLITE_NOMEM;
  memset(vfs, 0, sizeof(*vfs));
  vfs->iVersion = 2;
  vfs->szOsFile = (int)sizeof(BlsWalFile) + real->szOsFile;
  vfs->mxPathname = real->mxPathname;
  vfs->zName = BLS_WAL_VFS_NAME;
  vfs->pAppData = real;
  vfs->xOpen = bls_wal_vfs_open;
  vfs->xDelete = bls_wal_vfs_delete;
  vfs->xAccess = bls_wal_vfs_access;
  vfs->xFullPathname = bls_wal_vfs_full_pathname;
  vfs->xDlOpen = bls_wal_vfs_dl_open;
  vfs->xDlError = bls_wal_vfs_dl_error;
  vfs->xDlSym = bls_wal_vfs_dl_sym;
  vfs->xDlClose = bls_wal_vfs_dl_close;
  vfs->xRandomness = bls_wal_vfs_randomness;
  vfs->xSleep = bls_wal_vfs_sleep;
  vfs->xCurrentTime = bls_wal_vfs_current_time;
  vfs->xGetLastError = bls_wal_vfs_get_last_error;
  vfs->xCurrentTimeInt64 = bls_wal_vfs_current_time_int64;
  return sqlite3_vfs_register(vfs, 0);
}

/* The counts of the connection's log file when it is this VFS's: 1 and (received, written)
   in counts[0..1]; else 0 (another VFS, or no log open). */
static inline int bls_sqlite3_wal_buffer_counts(sqlite3 *db, sqlite3_int64 *counts) {
  sqlite3_file *log = 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) != SQLITE_OK || !log) return 0;
  /* Any other file answers SQLITE_NOTFOUND to this op. (The methods' address cannot tell:
     each module importing this header has its own copy of them.) */
  return log->pMethods && log->pMethods->xFileControl(log, BLS_WAL_FCNTL_COUNTS, counts) == SQLITE_OK;
}

/* sqlite3_open_v2 through the VFS above. */
static inline int bls_sqlite3_open_wal_buffered(const char *path, sqlite3 **db, int flags) {
  return sqlite3_open_v2(path, db, flags, BLS_WAL_VFS_NAME);
}

#endif
