#ifndef CLinux_SPAWN_H
#define CLinux_SPAWN_H
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

/* Starts a child process for the `bls-fcgi run` supervisor: fork, then in the child only
   async-signal-safe calls before execve. Swift code must not run between fork and exec in a
   process that may have other threads, hence this helper.

   The child
   - gets its own process group when `own_process_group` is non-zero, so a terminal's Ctrl-C
     reaches only the supervisor, which then stops the children in a deliberate order;
   - receives `parent_death_signal` (e.g. SIGTERM) if the supervisor dies, so nginx never
     outlives it (Linux prctl PR_SET_PDEATHSIG);
   - starts with every signal at its default disposition and an empty signal mask (the
     supervisor blocks the signals it waits for, and masks are inherited across exec).

   Returns the child's pid, or -1 with errno set if fork failed. If execve fails the child
   exits with status 127. */
static inline pid_t bls_spawn_child(const char *path, char *const argv[], char *const envp[],
                                    int own_process_group, int parent_death_signal) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) {
    return pid;
  }
  if (own_process_group) {
    setpgid(0, 0);
  }
  if (parent_death_signal > 0) {
    prctl(PR_SET_PDEATHSIG, parent_death_signal);
    if (getppid() != parent) {
      _exit(127);
    }
  }
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int signo = 1; signo < NSIG; signo++) {
    if (signo != SIGKILL && signo != SIGSTOP) {
      sigaction(signo, &action, NULL);
    }
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(path, argv, envp);
  _exit(127);
}

#endif
