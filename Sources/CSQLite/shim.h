#ifndef CSQLite_SHIM_H
#define CSQLite_SHIM_H
#include <sqlite3.h>

/* What Swift cannot call directly: SQLITE_TRANSIENT is a macro that casts -1 to a function
   pointer, and sqlite3_db_config is variadic. */

/* Binds UTF-8 text that SQLite copies before returning (SQLITE_TRANSIENT). */
static inline int bls_sqlite3_bind_text_transient(sqlite3_stmt *stmt, int index,
                                                  const char *text, int byteCount) {
  return sqlite3_bind_text(stmt, index, text, byteCount, SQLITE_TRANSIENT);
}

/* Sets an integer-valued per-connection option (SQLITE_DBCONFIG_DEFENSIVE, ...). */
static inline int bls_sqlite3_db_config_int(sqlite3 *db, int op, int value) {
  return sqlite3_db_config(db, op, value, (int *)0);
}

/* Turns SQLite's memory statistics on or off (SQLITE_CONFIG_MEMSTATUS); only before the
   library is initialized, i.e. before the first connection opens. */
static inline int bls_sqlite3_config_memstatus(int on) {
  return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}

/* Sets the directory of SQLite's temporary files for the whole process (sqlite3_temp_directory,
   a string SQLite owns), or back to the default for NULL. Only while no other connection can
   be creating one: the store sets it for a migration at open, before any reader exists. */
static inline void bls_sqlite3_set_temp_directory(const char *path) {
  char *copy = path ? sqlite3_mprintf("%s", path) : 0;
  char *old = sqlite3_temp_directory;
  sqlite3_temp_directory = copy;
  sqlite3_free(old);
}

#endif
