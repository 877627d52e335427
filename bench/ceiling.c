/* The ceiling of BLS's architecture: a trivial multi-threaded libfcgi responder that reads
 * the request body and answers fixed JSON. nginx in front of it, over the same unix socket
 * and the same configuration as `bls-fcgi run`, is as fast as any FastCGI responder can be
 * on this machine. Built and started by bench/run.sh:
 *
 *   gcc -O2 -o ceiling bench/ceiling.c -lfcgi -lpthread
 *   ./ceiling /path/to/bls.sock [threads]
 *
 * libfcgi ties a thread to each kept-open (FCGI_KEEP_CONN) connection, so it needs at least
 * as many threads as nginx opens upstream connections (up to one per client connection):
 * 64 by default. Stops on SIGTERM/SIGINT (default action). */
#include <fcgiapp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int listen_fd;
static const char body_json[] = "{\"status\":\"healthy\",\"nodeId\":\"ceiling\",\"timestamp\":1700000000}";
static char response[512];
static int response_length;

static void *serve(void *unused) {
  (void)unused;
  FCGX_Request request;
  char body[16384];
  FCGX_InitRequest(&request, listen_fd, 0);
  while (FCGX_Accept_r(&request) >= 0) {
    while (FCGX_GetStr(body, sizeof body, request.in) > 0) {
    }
    FCGX_PutStr(response, response_length, request.out);
    FCGX_Finish_r(&request);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SOCKET_PATH [THREADS]\n", argv[0]);
    return 2;
  }
  int threads = argc > 2 ? atoi(argv[2]) : 64;
  if (threads < 1 || threads > 1024) threads = 64;
  response_length = snprintf(response, sizeof response,
                             "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                             strlen(body_json), body_json);
  if (FCGX_Init() != 0) return 1;
  unlink(argv[1]);
  listen_fd = FCGX_OpenSocket(argv[1], 1024);
  if (listen_fd < 0) {
    fprintf(stderr, "ceiling: cannot listen on %s\n", argv[1]);
    return 1;
  }
  chmod(argv[1], 0600);
  pthread_t ids[1024];
  for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, serve, NULL);
  for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
  return 0;
}
