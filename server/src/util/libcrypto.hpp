// SPDX-License-Identifier: Apache-2.0
// OpenSSL's libcrypto, opened the first time the daemon needs it (util/shared_library.hpp): for
// client-device certificates, random UUIDs of client-device sessions and debug passwords. Most
// runs never touch them, and linking libcrypto costs every start about 1.4 MB of resident pages.
//
// Call its functions through libcrypto(): `libcrypto().X509_new()`. OpenSSL's function-like macros
// work the same way when they expand to a call: `libcrypto().BIO_get_mem_data(bio, &data)` becomes
// `libcrypto().BIO_ctrl(...)`, which is why BIO_ctrl, CRYPTO_free and EVP_PKEY_Q_keygen are listed.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstring>  // EVP_EC_gen expands to a strstr()

#include "util/shared_library.hpp"

#define STANDIN_LIBCRYPTO_FUNCTIONS(X) \
    X(ASN1_TIME_to_tm)                 \
    X(BIO_ctrl)                        \
    X(BIO_free_all)                    \
    X(BIO_new)                         \
    X(BIO_new_mem_buf)                 \
    X(BIO_s_mem)                       \
    X(BN_free)                         \
    X(BN_new)                          \
    X(BN_rand)                         \
    X(BN_to_ASN1_INTEGER)              \
    X(CRYPTO_free)                     \
    X(ERR_clear_error)                 \
    X(ERR_error_string_n)              \
    X(ERR_get_error)                   \
    X(EVP_Digest)                      \
    X(EVP_PKEY_Q_keygen)               \
    X(EVP_PKEY_free)                   \
    X(EVP_get_digestbyname)            \
    X(EVP_sha256)                      \
    X(PEM_read_bio_X509)               \
    X(PEM_write_bio_PKCS8PrivateKey)   \
    X(PEM_write_bio_PUBKEY)            \
    X(PEM_write_bio_X509)              \
    X(RAND_bytes)                      \
    X(X509V3_EXT_conf_nid)             \
    X(X509V3_set_ctx)                  \
    X(X509_EXTENSION_free)             \
    X(X509_NAME_add_entry_by_txt)      \
    X(X509_STORE_CTX_free)             \
    X(X509_STORE_CTX_init)             \
    X(X509_STORE_CTX_new)              \
    X(X509_STORE_CTX_set_time)         \
    X(X509_STORE_add_cert)             \
    X(X509_STORE_free)                 \
    X(X509_STORE_new)                  \
    X(X509_add_ext)                    \
    X(X509_free)                       \
    X(X509_get0_notAfter)              \
    X(X509_get0_notBefore)             \
    X(X509_get_serialNumber)           \
    X(X509_get_subject_name)           \
    X(X509_getm_notAfter)              \
    X(X509_getm_notBefore)             \
    X(X509_new)                        \
    X(X509_set_issuer_name)            \
    X(X509_set_pubkey)                 \
    X(X509_set_version)                \
    X(X509_sign)                       \
    X(X509_time_adj_ex)                \
    X(X509_verify_cert)                \
    X(i2d_X509)

namespace standin::server::util {

static_assert(OPENSSL_VERSION_MAJOR == 3, "OpenSSL 3 is libcrypto.so.3");

struct libcrypto_functions {
    STANDIN_LIBCRYPTO_FUNCTIONS(STANDIN_DECLARE_FUNCTION)
    std::string error;  // set: it could not be opened, and the functions are null

    explicit libcrypto_functions(shared_library library);
};

// Opened once, by the first call (thread-safe); throws std::runtime_error when it is unusable.
const libcrypto_functions& libcrypto();

}  // namespace standin::server::util
