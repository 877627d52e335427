#ifndef CSecp256k1_SHIM_H
#define CSecp256k1_SHIM_H
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#endif
