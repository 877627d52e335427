#ifndef CLinux_SHIM_H
#define CLinux_SHIM_H
/* Linux system calls Swift cannot call directly: epoll (a packed struct), eventfd, and
   fork/exec (no Swift may run between the two). Static inline wrappers over the C library;
   nothing to link. */
#include "epoll.h"
#include "spawn.h"
#include "hardening.h"

#endif
