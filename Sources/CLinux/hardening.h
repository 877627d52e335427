#ifndef CLinux_HARDENING_H
#define CLinux_HARDENING_H
#include <sys/prctl.h>
#include <sys/resource.h>

/* prctl(2) is variadic, which Swift cannot call. PR_SET_DUMPABLE 0: no core dump, no ptrace
   attach by other processes of the same uid, and /proc/<pid>/environ, mem and friends owned by
   root. Reset to 1 by execve(2), so every process sets it for itself. */
static inline int bls_set_dumpable(int dumpable) { return prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0); }
static inline int bls_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

#endif
