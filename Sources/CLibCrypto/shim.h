#ifndef CLibCrypto_SHIM_H
#define CLibCrypto_SHIM_H
#include <openssl/sha.h>
#include <openssl/evp.h>

#endif
