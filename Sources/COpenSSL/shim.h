// OpenSSL 3 from Debian's libssl-dev: DTLS-SRTP (DTLSOpenSSL) and AES/HMAC for SRTP. Function-like
// macros Swift cannot import are wrapped by inline functions in the two headers below, one per user.
#ifndef PARLEY_COPENSSL_SHIM_H
#define PARLEY_COPENSSL_SHIM_H
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/srtp.h>
#include <openssl/x509.h>
#include "parley_dtls.h"
#include "parley_srtp.h"
#endif
