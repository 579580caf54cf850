// SPDX-License-Identifier: Apache-2.0
// The client's error value: its category, modeled error names, what() and the exception
// result<T>::value() throws.
#include "standin/client/error.hpp"

#include <gtest/gtest.h>

namespace standin::client {
namespace {

TEST(client_error, CategoryNamesEveryCode) {
    for (int v = static_cast<int>(errc::missing_socket_path);
         v <= static_cast<int>(errc::other_modeled_error); ++v) {
        const auto code = make_error_code(static_cast<errc>(v));
        EXPECT_EQ(code.category().name(), std::string{"standin.client"});
        EXPECT_NE(code.message(), "unknown client error") << v;
    }
    EXPECT_EQ(make_error_code(errc::unauthorized_error).message(), "UnauthorizedError");
    EXPECT_EQ(std::error_code{errc::socket_not_found}, make_error_code(errc::socket_not_found));
}

TEST(client_error, ModeledCodes) {
    EXPECT_TRUE(is_modeled(errc::service_error));
    EXPECT_TRUE(is_modeled(errc::other_modeled_error));
    EXPECT_FALSE(is_modeled(errc::internal_server_error));
    EXPECT_FALSE(is_modeled(errc::access_denied));
    EXPECT_EQ(modeled_error_from_name("InvalidArgumentsError"), errc::invalid_arguments_error);
    EXPECT_EQ(modeled_error_from_name("Nope"), errc::other_modeled_error);
}

TEST(client_error, WhatNamesTheCause) {
    const auto missing = error::make(errc::missing_token, "SVCUID is not set");
    EXPECT_EQ(missing.what(), "no SVCUID token: SVCUID is not set");
    EXPECT_FALSE(missing.is_modeled());
    EXPECT_TRUE(missing.error_code().empty());

    error modeled = error::make(errc::other_modeled_error, "m");
    modeled.shape = "aws.greengrass#BrandNewError";
    EXPECT_EQ(modeled.error_code(), "BrandNewError");
    EXPECT_EQ(modeled.what(), "BrandNewError: m");
    EXPECT_EQ(error::make(errc::timeout, "").what(), "timed out");
}

TEST(client_error, ValueThrowsTheTypedException) {
    result<int> r{error::make(errc::service_error, "boom")};
    try {
        (void)r.value();
        FAIL() << "value() did not throw";
    } catch (const exception& e) {
        EXPECT_EQ(e.details(), errc::service_error);
        EXPECT_EQ(e.code(), make_error_code(errc::service_error));
        EXPECT_STREQ(e.what(), "ServiceError: boom");
    }
    result<int> ok{7};
    EXPECT_EQ(ok.value(), 7);
}

}  // namespace
}  // namespace standin::client
