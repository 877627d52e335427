#ifndef CLinux_EPOLL_H
#define CLinux_EPOLL_H
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* epoll for the responder's event loop. `struct epoll_event` is packed on x86-64, which
   Swift cannot lay out, so these wrappers build and read it in C. Tokens identify
   connections (never raw descriptors, which the kernel reuses). */

/* A new epoll instance (close-on-exec), or -1. */
static inline int bls_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/* Watches `fd` for input once: after one event it stays silent until re-armed, so exactly
   one worker thread gets each readable connection. op is EPOLL_CTL_ADD or EPOLL_CTL_MOD. */
static inline int bls_epoll_watch_once(int epfd, int op, int fd, uint64_t token) {
  struct epoll_event event;
  event.events = EPOLLIN | EPOLLONESHOT;
  event.data.u64 = token;
  return epoll_ctl(epfd, op, fd, &event);
}

/* Arms a connection once: for input when `input` is non-zero, for output when `output` is,
   and always for the peer's hang-up (EPOLLRDHUP), so a connection waiting on a deferred
   answer still reports that its web server went away. After one event it stays silent until
   armed again (EPOLL_CTL_MOD reports readiness already present). */
static inline int bls_epoll_arm(int epfd, int op, int fd, uint64_t token, int input, int output) {
  struct epoll_event event;
  event.events = EPOLLRDHUP | EPOLLONESHOT | (input ? EPOLLIN : 0) | (output ? EPOLLOUT : 0);
  event.data.u64 = token;
  return epoll_ctl(epfd, op, fd, &event);
}

/* Watches `fd` for input, level-triggered: every waiter sees it while it stays readable
   (the stop signal's eventfd). */
static inline int bls_epoll_watch_always(int epfd, int fd, uint64_t token) {
  struct epoll_event event;
  event.events = EPOLLIN;
  event.data.u64 = token;
  return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

static inline int bls_epoll_forget(int epfd, int fd) {
  struct epoll_event event = {0};
  return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}

/* Waits up to `timeout_ms` for one event; returns 1 with its token, and in `hangup` whether
   the peer has shut down its side or the socket failed (EPOLLRDHUP, EPOLLHUP, EPOLLERR),
   0 on timeout, -1 on error (errno set). */
static inline int bls_epoll_wait_one(int epfd, int timeout_ms, uint64_t *token, int *hangup) {
  struct epoll_event event;
  int count = epoll_wait(epfd, &event, 1, timeout_ms);
  if (count == 1) {
    *token = event.data.u64;
    *hangup = (event.events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
  }
  return count;
}

/* A non-blocking, close-on-exec eventfd, or -1. */
static inline int bls_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

#endif
