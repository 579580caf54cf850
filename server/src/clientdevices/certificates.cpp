// SPDX-License-Identifier: Apache-2.0
#include "clientdevices/certificates.hpp"

#include <cstdint>
#include <ctime>
#include <stdexcept>

#include "standin/model/base64.hpp"
#include "util/libcrypto.hpp"

namespace standin::server::clientdevices {

namespace {

using util::libcrypto;
using library = util::libcrypto_functions;

template <class T, auto library::*Free>
struct openssl_deleter {
    void operator()(T* p) const noexcept { (libcrypto().*Free)(p); }
};
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, &library::BIO_free_all>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509, &library::X509_free>>;
using store_ptr = std::unique_ptr<X509_STORE, openssl_deleter<X509_STORE, &library::X509_STORE_free>>;
using store_ctx_ptr =
    std::unique_ptr<X509_STORE_CTX, openssl_deleter<X509_STORE_CTX, &library::X509_STORE_CTX_free>>;
using ext_ptr =
    std::unique_ptr<X509_EXTENSION, openssl_deleter<X509_EXTENSION, &library::X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
    std::string detail;
    if (const unsigned long code = libcrypto().ERR_get_error(); code != 0) {
        char text[256];
        libcrypto().ERR_error_string_n(code, text, sizeof text);
        detail = std::string{": "} + text;
    }
    libcrypto().ERR_clear_error();
    throw std::runtime_error("certificate authority: " + what + detail);
}

std::string memory_text(BIO* bio) {
    char* data = nullptr;
    const long size = libcrypto().BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string{data, static_cast<std::size_t>(size)} : std::string{};
}

std::optional<system_clock::time_point> to_time_point(const ASN1_TIME* time) {
    std::tm parts{};
    if (time == nullptr || libcrypto().ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
    return system_clock::from_time_t(timegm(&parts));
}

std::string pem_of(X509* x509) {
    bio_ptr out{libcrypto().BIO_new(libcrypto().BIO_s_mem())};
    if (!out || libcrypto().PEM_write_bio_X509(out.get(), x509) != 1) fail("cannot write a certificate");
    return memory_text(out.get());
}

void set_validity(X509* x509, system_clock::time_point from, std::chrono::seconds validity) {
    std::time_t start = system_clock::to_time_t(from);
    if (libcrypto().X509_time_adj_ex(libcrypto().X509_getm_notBefore(x509), 0, 0, &start) == nullptr ||
        libcrypto().X509_time_adj_ex(libcrypto().X509_getm_notAfter(x509), 0,
                                     static_cast<long>(validity.count()), &start) == nullptr) {
        fail("cannot set a validity period");
    }
}

void set_random_serial(X509* x509) {
    std::unique_ptr<BIGNUM, openssl_deleter<BIGNUM, &library::BN_free>> serial{libcrypto().BN_new()};
    if (!serial || libcrypto().BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        libcrypto().BN_to_ASN1_INTEGER(serial.get(), libcrypto().X509_get_serialNumber(x509)) ==
            nullptr) {
        fail("cannot make a serial number");
    }
}

void set_common_name(X509_NAME* name, const std::string& common_name) {
    const auto add = [&](const char* field, const std::string& value) {
        if (libcrypto().X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                                   reinterpret_cast<const unsigned char*>(value.c_str()),
                                                   -1, -1, 0) != 1) {
            fail(std::string{"cannot set "} + field);
        }
    };
    add("C", "US");
    add("O", "Amazon.com Inc.");
    add("OU", "Amazon Web Services");
    add("CN", common_name);
}

void add_extension(X509* x509, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    libcrypto().X509V3_set_ctx(&context, issuer, x509, nullptr, nullptr, 0);
    ext_ptr extension{libcrypto().X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str())};
    if (!extension || libcrypto().X509_add_ext(x509, extension.get(), -1) != 1) {
        fail("cannot add the extension " + value);
    }
}

evp_pkey_st* new_p256_key() {
    EVP_PKEY* key = libcrypto().EVP_EC_gen("P-256");
    if (key == nullptr) fail("cannot generate an EC P-256 key");
    return key;
}

constexpr std::string_view pem_header = "-----BEGIN CERTIFICATE-----";

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Java's Base64.getMimeDecoder(): characters outside the alphabet are skipped; padding may end
// the input (after it, only more skipped characters); a last group of one character, or padding
// where none can be, is an error. Returns the bytes, or nullopt on such an error.
std::optional<std::string> mime_base64_decode(std::string_view text) {
    std::string out;
    std::uint32_t bits = 0;
    int pending = 0;  // characters of the current group of four
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '=') break;
        const int value = base64_value(c);
        if (value < 0) continue;
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        if (++pending == 4) {
            out += static_cast<char>((bits >> 16) & 0xFF);
            out += static_cast<char>((bits >> 8) & 0xFF);
            out += static_cast<char>(bits & 0xFF);
            bits = 0;
            pending = 0;
        }
    }
    if (i < text.size()) {
        // Padding: "xx==" or "xxx=".
        if (pending == 0 || pending == 1) return std::nullopt;
        if (pending == 2) {
            if (i + 1 >= text.size() || text[i + 1] != '=') return std::nullopt;
            ++i;
        }
        ++i;
        for (; i < text.size(); ++i) {
            if (base64_value(text[i]) >= 0) return std::nullopt;
        }
    } else if (pending == 1) {
        return std::nullopt;
    }
    if (pending == 2) out += static_cast<char>((bits >> 4) & 0xFF);
    if (pending == 3) {
        out += static_cast<char>((bits >> 10) & 0xFF);
        out += static_cast<char>((bits >> 2) & 0xFF);
    }
    return out;
}

}  // namespace

std::optional<std::string> certificate_pem_from_client(std::string_view text) {
    if (text.starts_with(pem_header)) return std::string{text};
    const auto der = mime_base64_decode(text);
    if (!der) return std::nullopt;
    const std::string encoded = model::base64_encode(*der);
    std::string pem{pem_header};
    pem += '\n';
    for (std::size_t at = 0; at < encoded.size(); at += 64) {
        pem.append(encoded, at, 64);
        pem += '\n';
    }
    pem += "-----END CERTIFICATE-----\n";
    return pem;
}

void certificate::free_x509::operator()(x509_st* x) const noexcept {
    libcrypto().X509_free(x);
}

void certificate_authority::free_key::operator()(evp_pkey_st* key) const noexcept {
    libcrypto().EVP_PKEY_free(key);
}

std::optional<certificate> certificate::from_pem(std::string_view pem) {
    bio_ptr in{libcrypto().BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
    if (!in) return std::nullopt;
    X509* parsed = libcrypto().PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr);
    libcrypto().ERR_clear_error();
    if (parsed == nullptr) return std::nullopt;
    certificate out;
    out.x509_.reset(parsed, free_x509{});
    unsigned char* der = nullptr;
    const int size = libcrypto().i2d_X509(parsed, &der);
    if (size <= 0) return std::nullopt;
    out.der_.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
    libcrypto().OPENSSL_free(der);
    const auto from = to_time_point(libcrypto().X509_get0_notBefore(parsed));
    const auto until = to_time_point(libcrypto().X509_get0_notAfter(parsed));
    if (!from || !until) return std::nullopt;
    out.not_before_ = *from;
    out.not_after_ = *until;
    return out;
}

std::string fingerprint(std::string_view bytes, const char* algorithm) {
    const EVP_MD* md = libcrypto().EVP_get_digestbyname(algorithm);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (md == nullptr ||
        libcrypto().EVP_Digest(bytes.data(), bytes.size(), digest, &size, md, nullptr) != 1) {
        fail(std::string{"no digest "} + algorithm);
    }
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        if (i > 0) out += ':';
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

certificate_authority certificate_authority::generate(const std::string& common_name,
                                                      system_clock::time_point now) {
    certificate_authority ca;
    ca.key_.reset(new_p256_key(), free_key{});
    x509_ptr x509{libcrypto().X509_new()};
    if (!x509 || libcrypto().X509_set_version(x509.get(), 2) != 1) fail("cannot make a certificate");
    set_random_serial(x509.get());
    // The plugin's CA is valid for five years; backdated a minute against clock skew.
    set_validity(x509.get(), now - std::chrono::minutes{1}, std::chrono::hours{24 * 365 * 5});
    set_common_name(libcrypto().X509_get_subject_name(x509.get()), common_name);
    if (libcrypto().X509_set_issuer_name(x509.get(), libcrypto().X509_get_subject_name(x509.get())) !=
            1 ||
        libcrypto().X509_set_pubkey(x509.get(), ca.key_.get()) != 1) {
        fail("cannot set the CA's names");
    }
    add_extension(x509.get(), x509.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(x509.get(), x509.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(x509.get(), x509.get(), NID_subject_key_identifier, "hash");
    if (libcrypto().X509_sign(x509.get(), ca.key_.get(), libcrypto().EVP_sha256()) <= 0)
        fail("cannot sign the CA");
    ca.certificate_pem_ = pem_of(x509.get());
    auto parsed = certificate::from_pem(ca.certificate_pem_);
    if (!parsed) fail("cannot read back the CA certificate");
    ca.certificate_ = std::move(*parsed);
    return ca;
}

issued_certificate certificate_authority::issue_server_certificate(
    const std::string& common_name, const std::vector<std::string>& dns_names,
    const std::vector<std::string>& ip_addresses, system_clock::time_point now,
    std::chrono::seconds validity) const {
    std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, &library::EVP_PKEY_free>> key{new_p256_key()};
    x509_ptr x509{libcrypto().X509_new()};
    X509* issuer = certificate_.native();
    if (!x509 || libcrypto().X509_set_version(x509.get(), 2) != 1) fail("cannot make a certificate");
    set_random_serial(x509.get());
    set_validity(x509.get(), now - std::chrono::minutes{1}, validity);
    set_common_name(libcrypto().X509_get_subject_name(x509.get()), common_name);
    if (libcrypto().X509_set_issuer_name(x509.get(), libcrypto().X509_get_subject_name(issuer)) != 1 ||
        libcrypto().X509_set_pubkey(x509.get(), key.get()) != 1) {
        fail("cannot set the server certificate's names");
    }
    add_extension(x509.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(x509.get(), issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_extension(x509.get(), issuer, NID_ext_key_usage, "serverAuth");
    add_extension(x509.get(), issuer, NID_authority_key_identifier, "keyid");
    std::string alternative_names;
    for (const auto& name : dns_names)
        alternative_names += (alternative_names.empty() ? "DNS:" : ",DNS:") + name;
    for (const auto& address : ip_addresses)
        alternative_names += (alternative_names.empty() ? "IP:" : ",IP:") + address;
    if (!alternative_names.empty())
        add_extension(x509.get(), issuer, NID_subject_alt_name, alternative_names);
    if (libcrypto().X509_sign(x509.get(), key_.get(), libcrypto().EVP_sha256()) <= 0)
        fail("cannot sign a certificate");

    issued_certificate out;
    out.certificate_pem = pem_of(x509.get());
    bio_ptr private_key{libcrypto().BIO_new(libcrypto().BIO_s_mem())};
    bio_ptr public_key{libcrypto().BIO_new(libcrypto().BIO_s_mem())};
    if (!private_key || !public_key ||
        libcrypto().PEM_write_bio_PKCS8PrivateKey(private_key.get(), key.get(), nullptr, nullptr, 0,
                                                  nullptr, nullptr) != 1 ||
        libcrypto().PEM_write_bio_PUBKEY(public_key.get(), key.get()) != 1) {
        fail("cannot write the server key");
    }
    out.private_key_pem = memory_text(private_key.get());
    out.public_key_pem = memory_text(public_key.get());
    return out;
}

bool certificate_authority::issued(const certificate& leaf, system_clock::time_point when) const {
    store_ptr store{libcrypto().X509_STORE_new()};
    store_ctx_ptr context{libcrypto().X509_STORE_CTX_new()};
    if (!store || !context || libcrypto().X509_STORE_add_cert(store.get(), certificate_.native()) != 1 ||
        libcrypto().X509_STORE_CTX_init(context.get(), store.get(), leaf.native(), nullptr) != 1) {
        libcrypto().ERR_clear_error();
        return false;
    }
    libcrypto().X509_STORE_CTX_set_time(context.get(), 0, system_clock::to_time_t(when));
    const bool verified = libcrypto().X509_verify_cert(context.get()) == 1;
    libcrypto().ERR_clear_error();
    return verified;
}

}  // namespace standin::server::clientdevices
