/* The ceiling of BLS's architecture: a trivial multi-threaded libfcgi responder that reads
 * the request body and answers fixed JSON. nginx in front of it, over the same unix socket
 * and the same configuration as `bls-fcgi run`, is as fast as any FastCGI responder can be
 * on this machine. Built and started by bench/run.sh:
 *
 *   gcc -O2 -o ceiling bench/ceiling.c -lfcgi -lpthread -lsecp256k1 -lcrypto
 *   ./ceiling /path/to/bls.sock [threads] [verify]
 *
 * With `verify`, it is the *verifying* ceiling: per request it also computes SHA-256 of the
 * body and one BIP-340 verification, parsing the public key each time — the irreducible
 * cryptography of an accepted payment (BLS does both, plus the NIP-01 id's SHA-256, TOON,
 * pricing and the durable commit). The signature is BIP-340's test vector 1.
 *
 * libfcgi ties a thread to each kept-open (FCGI_KEEP_CONN) connection, so it needs at least
 * as many threads as nginx opens upstream connections (up to one per client connection):
 * 64 by default. Stops on SIGTERM/SIGINT (default action). */
#include <fcgiapp.h>
#include <openssl/sha.h>
#include <secp256k1.h>
#include <secp256k1_schnorrsig.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int listen_fd;
static int verify;
static secp256k1_context *context;
static unsigned char vector_key[32], vector_message[32], vector_signature[64];
static volatile unsigned long verified;

static void unhex(const char *text, unsigned char *out, size_t length) {
  for (size_t i = 0; i < length; i++) sscanf(text + 2 * i, "%2hhx", &out[i]);
}
static const char body_json[] = "{\"status\":\"healthy\",\"nodeId\":\"ceiling\",\"timestamp\":1700000000}";
static char response[512];
static int response_length;

static void *serve(void *unused) {
  (void)unused;
  FCGX_Request request;
  static __thread char body[131072];
  FCGX_InitRequest(&request, listen_fd, 0);
  while (FCGX_Accept_r(&request) >= 0) {
    int length = 0, count;
    while ((count = FCGX_GetStr(body + length, (int)sizeof body - length, request.in)) > 0) {
      length += count;
      if (length == (int)sizeof body) length = 0;
    }
    if (verify) {
      unsigned char digest[32];
      secp256k1_xonly_pubkey key;
      SHA256((const unsigned char *)body, (size_t)length, digest);
      if (secp256k1_xonly_pubkey_parse(context, &key, vector_key) &&
          secp256k1_schnorrsig_verify(context, vector_signature, vector_message, 32, &key))
        verified += digest[0] | 1;
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
  verify = argc > 3 && strcmp(argv[3], "verify") == 0;
  context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  unhex("DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659", vector_key, 32);
  unhex("243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89", vector_message, 32);
  unhex("6896BD60EEAE296DB48A229FF71DFE071BDE413E6D43F917DC8DCF8C78DE33418906D11AC976ABCCB20B091292BFF4EA897EFCB639EA871CFA95F6DE339E4B0A",
        vector_signature, 64);
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
