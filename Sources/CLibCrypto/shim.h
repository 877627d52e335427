#ifndef CLibCrypto_SHIM_H
#define CLibCrypto_SHIM_H
// OpenSSL libcrypto (Debian libssl-dev, OpenSSL 3.0): only the EVP digest API and
// OPENSSL_cleanse are used, for SHA-256 and for wiping secret key material.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#endif
