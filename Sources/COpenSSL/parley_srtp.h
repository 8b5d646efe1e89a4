// Inline helpers for the SRTP module: the per-packet primitives on OpenSSL 3, one call per step from
// Swift, no pointer casts on the Swift side and no allocation once a context is keyed.
#ifndef PARLEY_SRTP_H
#define PARLEY_SRTP_H
#include <limits.h>
#include <stddef.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

/* An AES-128 context keyed once: ECB for the AES-CM keystream (RFC 3711 section 4.1.1) when |gcm| is 0,
 * GCM (RFC 7714) otherwise, whose IV is given per packet. NULL on failure; release with
 * EVP_CIPHER_CTX_free. */
static inline EVP_CIPHER_CTX *parley_srtp_cipher_new(int gcm, const void *key16)
{
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    if (context == NULL)
        return NULL;
    if (EVP_CipherInit_ex(context, gcm ? EVP_aes_128_gcm() : EVP_aes_128_ecb(), NULL,
            (const unsigned char *)key16, NULL, 1) != 1
        || (!gcm && EVP_CIPHER_CTX_set_padding(context, 0) != 1)) {
        EVP_CIPHER_CTX_free(context);
        return NULL;
    }
    return context;
}

/* AES-CM (RFC 3711 section 4.1.1): XORs |length| bytes at |data| in place with the keystream
 * E(k, IV) || E(k, IV + 1) || ..., the counter incremented over all 128 bits as OpenSSL's CTR mode does.
 * The counter blocks go through a once-keyed ECB context: re-initialising a CTR context with each packet's
 * IV costs OpenSSL 3.0 more than encrypting a 160-byte payload. 1 on success. */
static inline int parley_srtp_aes_cm(EVP_CIPHER_CTX *ecb, const void *iv16, void *data, size_t length)
{
    unsigned char counters[512];
    unsigned char keystream[512];
    unsigned char *bytes = (unsigned char *)data;
    const unsigned char *iv = (const unsigned char *)iv16;
    unsigned long long high = 0, low = 0;
    size_t i;
    for (i = 0; i < 8; i++) {
        high = (high << 8) | iv[i];
        low = (low << 8) | iv[8 + i];
    }
    while (length > 0) {
        size_t chunk = length < sizeof(keystream) ? length : sizeof(keystream);
        size_t blocks = (chunk + 15) / 16;
        int written = 0;
        for (i = 0; i < blocks; i++) {
            unsigned char *block = counters + 16 * i;
            int b;
            for (b = 0; b < 8; b++) {
                block[b] = (unsigned char)(high >> (56 - 8 * b));
                block[8 + b] = (unsigned char)(low >> (56 - 8 * b));
            }
            if (++low == 0)
                high++;
        }
        if (EVP_EncryptUpdate(ecb, keystream, &written, counters, (int)(16 * blocks)) != 1
            || written != (int)(16 * blocks))
            return 0;
        for (i = 0; i < chunk; i++)
            bytes[i] ^= keystream[i];
        bytes += chunk;
        length -= chunk;
    }
    return 1;
}

/* Feeds |aad| (then |aad2|) and transforms |length| bytes at |data| in place, on a GCM context already
 * initialised for one direction. */
static inline int parley_srtp_gcm_update(EVP_CIPHER_CTX *context, const void *aad, size_t aad_length,
    const void *aad2, size_t aad2_length, void *data, size_t length)
{
    int written = 0;
    if (aad_length > INT_MAX || aad2_length > INT_MAX || length > INT_MAX)
        return 0;
    if (aad_length > 0
        && EVP_CipherUpdate(context, NULL, &written, (const unsigned char *)aad, (int)aad_length) != 1)
        return 0;
    if (aad2_length > 0
        && EVP_CipherUpdate(context, NULL, &written, (const unsigned char *)aad2, (int)aad2_length) != 1)
        return 0;
    if (length > 0
        && (EVP_CipherUpdate(context, (unsigned char *)data, &written, (const unsigned char *)data, (int)length) != 1
            || (size_t)written != length))
        return 0;
    return 1;
}

/* AEAD_AES_128_GCM seal (RFC 7714 sections 8 and 9): encrypts |data| in place under the 12-byte
 * |iv12|, authenticating |aad| || |aad2| too, and writes the 16-byte tag to |tag16|. 1 on success. */
static inline int parley_srtp_gcm_seal(EVP_CIPHER_CTX *context, const void *iv12, const void *aad,
    size_t aad_length, const void *aad2, size_t aad2_length, void *data, size_t length, void *tag16)
{
    unsigned char unused[16];
    int written = 0;
    if (EVP_CipherInit_ex(context, NULL, NULL, NULL, (const unsigned char *)iv12, 1) != 1)
        return 0;
    if (!parley_srtp_gcm_update(context, aad, aad_length, aad2, aad2_length, data, length))
        return 0;
    if (EVP_CipherFinal_ex(context, unused, &written) != 1)
        return 0;
    return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, 16, tag16) == 1;
}

/* AEAD_AES_128_GCM open (RFC 7714 sections 8 and 9): decrypts |data| in place and checks the 16-byte
 * |tag16| over |aad| || |aad2| || ciphertext. 1 when authentic, 0 when the tag does not match (|data| then
 * holds garbage), -1 when OpenSSL fails otherwise. */
static inline int parley_srtp_gcm_open(EVP_CIPHER_CTX *context, const void *iv12, const void *aad,
    size_t aad_length, const void *aad2, size_t aad2_length, void *data, size_t length, const void *tag16)
{
    unsigned char unused[16];
    int written = 0;
    if (EVP_CipherInit_ex(context, NULL, NULL, NULL, (const unsigned char *)iv12, 0) != 1)
        return -1;
    if (EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag16) != 1)
        return -1;
    if (!parley_srtp_gcm_update(context, aad, aad_length, aad2, aad2_length, data, length))
        return -1;
    return EVP_CipherFinal_ex(context, unused, &written) == 1 ? 1 : 0;
}

/* HMAC-SHA1 (RFC 2104) with the first block of each pad compressed once per key. OpenSSL 3.0's EVP_MAC
 * re-initialisation duplicates its digest contexts on the heap for every message; copying two SHA_CTX
 * values does not. SHA1_Init/Update/Final are deprecated in 3.0 but present, and run the same assembly. */
typedef struct parley_srtp_hmac_sha1_key {
    SHA_CTX inner;
    SHA_CTX outer;
} parley_srtp_hmac_sha1_key;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Keys |state| with |key|; at most one SHA-1 block (64 bytes), SRTP's keys are 20. 1 on success. */
static inline int parley_srtp_hmac_sha1_init(parley_srtp_hmac_sha1_key *state, const void *key, size_t key_length)
{
    const unsigned char *bytes = (const unsigned char *)key;
    unsigned char pad[64];
    size_t i;
    int ok;
    if (state == NULL || key_length > sizeof(pad) || (bytes == NULL && key_length > 0))
        return 0;
    for (i = 0; i < sizeof(pad); i++)
        pad[i] = (unsigned char)(0x36 ^ (i < key_length ? bytes[i] : 0));
    ok = SHA1_Init(&state->inner) == 1 && SHA1_Update(&state->inner, pad, sizeof(pad)) == 1;
    for (i = 0; i < sizeof(pad); i++)
        pad[i] = (unsigned char)(0x5c ^ (i < key_length ? bytes[i] : 0));
    ok = ok && SHA1_Init(&state->outer) == 1 && SHA1_Update(&state->outer, pad, sizeof(pad)) == 1;
    OPENSSL_cleanse(pad, sizeof(pad));
    return ok;
}

/* The 20-byte HMAC-SHA1 of |message| || |trailer| into |digest20|. 1 on success. */
static inline int parley_srtp_hmac_sha1_digest(const parley_srtp_hmac_sha1_key *state, const void *message,
    size_t message_length, const void *trailer, size_t trailer_length, void *digest20)
{
    SHA_CTX context = state->inner;
    unsigned char inner[SHA_DIGEST_LENGTH];
    int ok = SHA1_Update(&context, message, message_length) == 1
        && (trailer_length == 0 || SHA1_Update(&context, trailer, trailer_length) == 1)
        && SHA1_Final(inner, &context) == 1;
    context = state->outer;
    return ok && SHA1_Update(&context, inner, sizeof(inner)) == 1
        && SHA1_Final((unsigned char *)digest20, &context) == 1;
}

#pragma GCC diagnostic pop

#endif
