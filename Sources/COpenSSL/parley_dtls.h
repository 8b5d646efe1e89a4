// Inline wrappers for DTLSOpenSSL: OpenSSL function-like macros (and one variadic function) that Swift
// cannot import. Each is a thin call of the macro it names; no logic lives here.
#ifndef PARLEY_DTLS_H
#define PARLEY_DTLS_H
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/// `EVP_EC_gen("P-256")`: the macro expands to the variadic `EVP_PKEY_Q_keygen`. NULL on failure.
static inline EVP_PKEY *parley_dtls_generate_p256_key(void) {
    return EVP_EC_gen("P-256");
}

/// Adds `CN=<commonName>` (UTF-8) to an X509 name; 1 on success. `MBSTRING_UTF8` is a macro expression.
static inline int parley_dtls_add_common_name(X509_NAME *name, const char *commonName) {
    return X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)commonName, -1, -1, 0);
}

/// `BIO_set_mem_eof_return`: what a read of an empty memory BIO returns (-1: "retry", so SSL wants read).
static inline long parley_dtls_bio_set_mem_eof_return(BIO *bio, long value) {
    return BIO_set_mem_eof_return(bio, value);
}

/// `SSL_CTX_set_min_proto_version` + `SSL_CTX_set_max_proto_version` to DTLS 1.2 only; 1 on success.
static inline int parley_dtls_ctx_set_dtls12_only(SSL_CTX *ctx) {
    return SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1
        && SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) == 1;
}

/// `SSL_OP_NO_QUERY_MTU` (an `SSL_OP_BIT(12)` macro expression).
static inline uint64_t parley_dtls_op_no_query_mtu(void) {
    return SSL_OP_NO_QUERY_MTU;
}

/// `SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF)` plus `SSL_OP_NO_TICKET`: WebRTC never resumes a
/// DTLS session, so a shared context keeps no state per handshake and sends no session ticket.
static inline void parley_dtls_ctx_disable_resumption(SSL_CTX *ctx) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
}

/// `SSL_set_mtu`: the largest datagram OpenSSL writes; returns the MTU, or 0 when it is below OpenSSL's minimum.
static inline long parley_dtls_set_mtu(SSL *ssl, long mtu) {
    return SSL_set_mtu(ssl, mtu);
}

/// `DTLSv1_get_timeout`, in microseconds: 1 and the time left on OpenSSL's (wall-clock) retransmission
/// timer, 0 when no timer runs. OpenSSL reports anything under 15 ms as 0 (expired).
static inline int parley_dtls_get_timeout_us(SSL *ssl, int64_t *remaining) {
    struct timeval left;
    if (DTLSv1_get_timeout(ssl, &left) != 1) {
        return 0;
    }
    *remaining = (int64_t)left.tv_sec * 1000000 + (int64_t)left.tv_usec;
    return 1;
}

/// `DTLSv1_handle_timeout`: 1 when a flight was retransmitted, 0 when the timer is not due (or none
/// runs), -1 on a fatal error (too many retransmissions).
static inline int parley_dtls_handle_timeout(SSL *ssl) {
    return (int)DTLSv1_handle_timeout(ssl);
}

/// `SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL)`: a new per-SSL application data slot, -1 on failure.
static inline int parley_dtls_new_ssl_ex_index(void) {
    return SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

#endif
