#ifndef CSecp256k1_SHIM_H
#define CSecp256k1_SHIM_H
// libsecp256k1 0.2.x (Debian bookworm libsecp256k1-dev), built with the extrakeys and
// schnorrsig modules: x-only public keys, keypairs and BIP-340 Schnorr signatures.
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

// `secp256k1_context_static` is a (never reassigned) global pointer variable; Swift imports
// it as mutable shared state. Reading it through a function keeps strict concurrency happy.
static inline const secp256k1_context *csecp256k1_context_static(void) {
  return secp256k1_context_static;
}

// `SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT` is a macro (a magic tag plus defaults); Swift cannot
// use it, so this builds the struct with it and sets the auxiliary randomness (`ndata`).
static inline secp256k1_schnorrsig_extraparams csecp256k1_schnorrsig_extraparams(void *aux_rand32) {
  secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
  params.ndata = aux_rand32;
  return params;
}

#endif
