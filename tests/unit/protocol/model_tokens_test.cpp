// SPDX-License-Identifier: Apache-2.0
#include "standin/model/tokens.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

TEST(model_tokens, validate_authorization_token) {
    EXPECT_EQ(round_trip<validate_authorization_token_request>(R"({"token":"ABCDEFGHIJKLMNOP"})").token,
              "ABCDEFGHIJKLMNOP");
    EXPECT_EQ(round_trip<validate_authorization_token_response>(R"({"isValid":true})").isValid, true);
    round_trip<validate_authorization_token_response>(R"({"isValid":false})");
}

}  // namespace
}  // namespace standin::model
