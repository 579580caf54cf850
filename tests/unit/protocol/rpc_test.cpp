// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/rpc.hpp"

#include <gtest/gtest.h>

namespace standin::protocol {
namespace {

TEST(rpc, append_rpc_headers_in_nucleus_order) {
    std::vector<header> headers{header{":content-type", std::string{"application/json"}}};
    rpc::append_rpc_headers(headers, rpc::message_type::application_error, rpc::flag_terminate_stream,
                            7);
    ASSERT_EQ(headers.size(), 4u);
    EXPECT_EQ(headers[1], (header{":message-type", std::int32_t{1}}));
    EXPECT_EQ(headers[2], (header{":message-flags", std::int32_t{2}}));
    EXPECT_EQ(headers[3], (header{":stream-id", std::int32_t{7}}));
}

TEST(rpc, extract_metadata_reads_the_three_headers) {
    message m;
    m.headers = {header{"operation", std::string{"aws.greengrass#PublishToTopic"}}};
    rpc::append_rpc_headers(m.headers, rpc::message_type::application_message, 0, 3);
    const auto md = rpc::extract_metadata(m);
    ASSERT_TRUE(md);
    EXPECT_EQ(md->type, 0);
    EXPECT_EQ(md->flags, 0);
    EXPECT_EQ(md->stream_id, 3);
}

TEST(rpc, extract_metadata_missing_any_is_nullopt) {
    for (std::size_t drop = 0; drop < 3; ++drop) {
        message m;
        rpc::append_rpc_headers(m.headers, rpc::message_type::ping, 0, 0);
        m.headers.erase(m.headers.begin() + static_cast<std::ptrdiff_t>(drop));
        EXPECT_FALSE(rpc::extract_metadata(m)) << drop;
    }
    EXPECT_FALSE(rpc::extract_metadata(message{}));
}

TEST(rpc, extract_metadata_ignores_mistyped_headers) {
    message m;
    m.headers = {header{":message-type", std::int64_t{4}}, header{":message-flags", std::int32_t{0}},
                 header{":stream-id", std::string{"0"}}};
    EXPECT_FALSE(rpc::extract_metadata(m));
    // A later int32 header of the same name is found past the mistyped one.
    m.headers.push_back(header{":stream-id", std::int32_t{0}});
    m.headers.push_back(header{":message-type", std::int32_t{4}});
    const auto md = rpc::extract_metadata(m);
    ASSERT_TRUE(md);
    EXPECT_EQ(md->type, 4);
    for (header_value wrong : {header_value{std::int16_t{4}}, header_value{std::int8_t{4}},
                               header_value{true}, header_value{timestamp_ms{4}}}) {
        message w;
        w.headers = {header{":message-type", wrong}, header{":message-flags", std::int32_t{0}},
                     header{":stream-id", std::int32_t{0}}};
        EXPECT_FALSE(rpc::extract_metadata(w));
    }
}

TEST(rpc, extract_metadata_matches_names_case_insensitively) {
    message m;
    m.headers = {header{":MESSAGE-TYPE", std::int32_t{2}}, header{":Message-Flags", std::int32_t{0}},
                 header{":stream-ID", std::int32_t{0}}};
    const auto md = rpc::extract_metadata(m);
    ASSERT_TRUE(md);
    EXPECT_EQ(md->type, 2);
    m.headers[0].name = ":message_type";
    EXPECT_FALSE(rpc::extract_metadata(m));
    m.headers[0].name = ":message-type ";
    EXPECT_FALSE(rpc::extract_metadata(m));
}

TEST(rpc, extract_metadata_takes_the_first_match) {
    message m;
    rpc::append_rpc_headers(m.headers, rpc::message_type::application_message, 0, 1);
    rpc::append_rpc_headers(m.headers, rpc::message_type::ping, 2, 9);
    const auto md = rpc::extract_metadata(m);
    ASSERT_TRUE(md);
    EXPECT_EQ(md->type, 0);
    EXPECT_EQ(md->flags, 0);
    EXPECT_EQ(md->stream_id, 1);
}

TEST(rpc, extract_metadata_keeps_raw_values) {
    message m;
    m.headers = {header{":message-type", std::int32_t{99}}, header{":message-flags", std::int32_t{-1}},
                 header{":stream-id", std::int32_t{INT32_MIN}}};
    const auto md = rpc::extract_metadata(m);
    ASSERT_TRUE(md);
    EXPECT_EQ(md->type, 99);
    EXPECT_EQ(md->flags, -1);
    EXPECT_EQ(md->stream_id, INT32_MIN);
}

TEST(rpc, operation_of) {
    message m;
    EXPECT_FALSE(rpc::operation_of(m));
    m.headers.push_back(header{"operation", std::int32_t{1}});
    EXPECT_FALSE(rpc::operation_of(m));
    m.headers.push_back(header{"Operation", std::string{"aws.greengrass#GetConfiguration"}});
    m.headers.push_back(header{"operation", std::string{"aws.greengrass#Other"}});
    EXPECT_EQ(rpc::operation_of(m), "aws.greengrass#GetConfiguration");
    m.headers.insert(m.headers.begin(), header{"operation", std::string{}});
    EXPECT_EQ(rpc::operation_of(m), "");  // present but empty: the caller decides
}

TEST(message, find_is_exact_and_find_case_insensitive_is_not) {
    message m;
    m.headers = {header{":Version", std::string{"9.9.9"}}, header{":version", std::string{"0.1.0"}}};
    ASSERT_NE(m.find(":version"), nullptr);
    EXPECT_EQ(std::get<std::string>(m.find(":version")->value), "0.1.0");
    EXPECT_EQ(m.find(":VERSION"), nullptr);
    ASSERT_NE(m.find_case_insensitive(":VERSION"), nullptr);
    EXPECT_EQ(std::get<std::string>(m.find_case_insensitive(":VERSION")->value), "9.9.9");
    EXPECT_EQ(m.find_case_insensitive(":versio"), nullptr);
}

}  // namespace
}  // namespace standin::protocol
