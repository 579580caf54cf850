// SPDX-License-Identifier: Apache-2.0
// shared_library: what a missing library or function says, and the functions it resolves working.
// libz is linked into the test (and the daemon) already, so opening it again finds that copy.
#include "util/shared_library.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string_view>

#include "util/libcrypto.hpp"

namespace standin::server::util {
namespace {

TEST(SharedLibrary, AMissingLibraryNamesItsPackageAndPurpose) {
    shared_library library{"libstandin-does-not-exist.so.7", "libstandin7", "to run this test"};
    EXPECT_NE(library.error().find("libstandin-does-not-exist.so.7 cannot be opened ("),
              std::string::npos)
        << library.error();
    EXPECT_TRUE(library.error().ends_with("): install Debian's libstandin7 to run this test"))
        << library.error();
    EXPECT_EQ(library.resolve<decltype(&::zlibVersion)>("zlibVersion"), nullptr);
}

TEST(SharedLibrary, ResolvesFunctionsAndNamesTheFirstOneMissing) {
    shared_library library{"libz.so.1", "zlib1g", "to run this test"};
    const auto version = library.resolve<decltype(&::zlibVersion)>("zlibVersion");
    ASSERT_NE(version, nullptr) << library.error();
    EXPECT_EQ(std::string_view{version()}, std::string_view{ZLIB_VERSION});
    EXPECT_TRUE(library.error().empty());

    EXPECT_EQ(library.resolve<void (*)()>("standin_no_such_function"), nullptr);
    EXPECT_EQ(library.resolve<void (*)()>("standin_nor_this_one"), nullptr);
    EXPECT_EQ(library.error(), "libz.so.1 lacks standin_no_such_function");
    // A function found after a missing one does not clear the error.
    EXPECT_NE(library.resolve<decltype(&::zlibVersion)>("zlibVersion"), nullptr);
    EXPECT_EQ(library.error(), "libz.so.1 lacks standin_no_such_function");
}

TEST(SharedLibrary, LibcryptoIsOpenedWithEveryFunctionTheDaemonCalls) {
    const libcrypto_functions& crypto = libcrypto();
    EXPECT_TRUE(crypto.error.empty()) << crypto.error;
    unsigned char bytes[16]{};
    EXPECT_EQ(crypto.RAND_bytes(bytes, sizeof bytes), 1);
    // One of OpenSSL's function-like macros, through the table.
    EVP_PKEY* key = crypto.EVP_EC_gen("P-256");
    ASSERT_NE(key, nullptr);
    crypto.EVP_PKEY_free(key);
}

}  // namespace
}  // namespace standin::server::util
