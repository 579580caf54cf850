// SPDX-License-Identifier: Apache-2.0
// The local CA: what it issues verifies against it with OpenSSL directly, carries the server
// certificate's names and a matching key pair; other issuers' certificates are not its own; PEM
// re-wrapping of bare base64 as the plugin's IPCUtils does it.
#include "clientdevices/certificates.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sstream>

#include "clientdevices/device_fixtures.hpp"

namespace standin::server::clientdevices {
namespace {

using namespace std::chrono_literals;

EVP_PKEY* read_private_key(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return key;
}

class CertificateAuthorityTest : public ::testing::Test {
protected:
    system_clock::time_point now_ = system_clock::now();
    certificate_authority ca_ = certificate_authority::generate("Test CA", now_);
};

TEST_F(CertificateAuthorityTest, IssuedServerCertificateVerifiesAgainstTheCaWithOpenSsl) {
    const auto issued = ca_.issue_server_certificate("core", {"localhost"}, {"127.0.0.1"}, now_, 3600s);
    const auto leaf = certificate::from_pem(issued.certificate_pem);
    ASSERT_TRUE(leaf);
    EVP_PKEY* ca_key = X509_get0_pubkey(ca_.ca_certificate().native());
    ASSERT_NE(ca_key, nullptr);
    EXPECT_EQ(X509_verify(leaf->native(), ca_key), 1);
    EXPECT_EQ(X509_check_issued(ca_.ca_certificate().native(), leaf->native()), X509_V_OK);
    EXPECT_EQ(X509_check_host(leaf->native(), "localhost", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_ip_asc(leaf->native(), "127.0.0.1", 0), 1);
    EXPECT_EQ(X509_check_purpose(leaf->native(), X509_PURPOSE_SSL_SERVER, 0), 1);
    EXPECT_TRUE(ca_.issued(*leaf, now_));
    EXPECT_TRUE(leaf->valid_at(now_));
    EXPECT_FALSE(leaf->valid_at(now_ + 2h));
}

TEST_F(CertificateAuthorityTest, KeyPairMatchesTheCertificateAndIsPem) {
    const auto issued = ca_.issue_server_certificate("core", {}, {}, now_, 3600s);
    EXPECT_TRUE(issued.private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    EXPECT_TRUE(issued.public_key_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    EXPECT_TRUE(issued.certificate_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    EXPECT_TRUE(ca_.certificate_pem().starts_with("-----BEGIN CERTIFICATE-----\n"));
    const auto leaf = certificate::from_pem(issued.certificate_pem);
    ASSERT_TRUE(leaf);
    EVP_PKEY* key = read_private_key(issued.private_key_pem);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(X509_check_private_key(leaf->native(), key), 1);
    EVP_PKEY_free(key);
}

TEST_F(CertificateAuthorityTest, CaIsACaAndSelfSigned) {
    X509* ca = ca_.ca_certificate().native();
    EXPECT_EQ(X509_check_ca(ca), 1);
    EXPECT_EQ(X509_verify(ca, X509_get0_pubkey(ca)), 1);
}

TEST_F(CertificateAuthorityTest, OtherIssuersAndExpiredLeavesAreNotItsOwn) {
    const auto other = certificate_authority::generate("Other CA", now_);
    const auto foreign =
        certificate::from_pem(other.issue_server_certificate("x", {}, {}, now_, 3600s).certificate_pem);
    ASSERT_TRUE(foreign);
    EXPECT_FALSE(ca_.issued(*foreign, now_));
    const auto own =
        certificate::from_pem(ca_.issue_server_certificate("x", {}, {}, now_, 600s).certificate_pem);
    ASSERT_TRUE(own);
    EXPECT_TRUE(ca_.issued(*own, now_));
    EXPECT_FALSE(ca_.issued(*own, now_ + 1h));  // PKIX checks the validity period
    const auto device = certificate::from_pem(read_fixture("sensor-1.pem"));
    ASSERT_TRUE(device);
    EXPECT_FALSE(ca_.issued(*device, now_));
}

TEST(CertificateTest, ParsesPemAndReadsTheValidityPeriod) {
    const auto expired = certificate::from_pem(read_fixture("expired.pem"));
    ASSERT_TRUE(expired);
    EXPECT_EQ(system_clock::to_time_t(expired->not_before()), 1577836800);  // 2020-01-01
    EXPECT_EQ(system_clock::to_time_t(expired->not_after()), 1609459200);   // 2021-01-01
    EXPECT_FALSE(expired->valid_at(system_clock::now()));
    EXPECT_TRUE(expired->valid_at(system_clock::from_time_t(1590000000)));
    EXPECT_FALSE(certificate::from_pem("not a certificate"));
    EXPECT_FALSE(
        certificate::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    EXPECT_FALSE(certificate::from_pem(""));
}

TEST(CertificateTest, SamePemSpellingsAreOneCertificate) {
    const std::string pem = read_fixture("sensor-1.pem");
    std::string crlf;
    for (const char c : pem)
        crlf += c == '\n' ? std::string{"\r\n"} : std::string(1, c);
    const auto a = certificate::from_pem(pem);
    const auto b = certificate::from_pem(crlf);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->der(), b->der());
}

TEST(CertificatePemFromClientTest, RewrapsBareBase64AndKeepsPem) {
    const std::string pem = read_fixture("sensor-1.pem");
    EXPECT_EQ(certificate_pem_from_client(pem), pem);
    // The base64 body alone, on one line or several, as the MIME decoder takes it.
    std::string body;
    std::istringstream lines{pem};
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("-----")) body += line + "\n";
    }
    const auto rewrapped = certificate_pem_from_client(body);
    ASSERT_TRUE(rewrapped);
    const auto a = certificate::from_pem(pem);
    const auto b = certificate::from_pem(*rewrapped);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->der(), b->der());
}

TEST(CertificatePemFromClientTest, MalformedBase64IsRejectedAsJavaRejectsIt) {
    EXPECT_FALSE(certificate_pem_from_client("QUJD="));     // '=' after a full group
    EXPECT_FALSE(certificate_pem_from_client("Q"));         // one character left over
    EXPECT_FALSE(certificate_pem_from_client("QU=x"));      // padding needs "=="
    EXPECT_FALSE(certificate_pem_from_client("QUI=QUJD"));  // data after padding
    EXPECT_EQ(certificate_pem_from_client("QUJD"),
              "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n");
    EXPECT_EQ(certificate_pem_from_client("QU I*="),  // skipped characters, then padding
              "-----BEGIN CERTIFICATE-----\nQUI=\n-----END CERTIFICATE-----\n");
    EXPECT_EQ(certificate_pem_from_client("!!"),
              "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
}

TEST(FingerprintTest, UpperCaseHexPairs) {
    EXPECT_EQ(fingerprint("abc", "SHA1"), "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D");
    EXPECT_EQ(fingerprint("abc", "SHA256").size(), 32u * 3 - 1);
}

}  // namespace
}  // namespace standin::server::clientdevices
