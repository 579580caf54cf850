// SPDX-License-Identifier: Apache-2.0
// Local publish/subscribe (semantics.md §3) and the response/event/error frames it produces
// (protocol.md §4.2, §4.4).
#include <map>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

using Pubsub = IntegrationTest;

// Events grouped by stream id, in arrival order; fails on anything that is not an event.
std::map<std::int32_t, std::vector<json>> by_stream(const std::vector<protocol::message>& events) {
    std::map<std::int32_t, std::vector<json>> out;
    for (const auto& e : events) {
        const auto m = frames::meta(e);
        EXPECT_EQ(m.type, 0) << frames::describe(e);
        EXPECT_EQ(m.flags, 0) << frames::describe(e);
        EXPECT_EQ(frames::string_header(e, "service-model-type"),
                  "aws.greengrass#SubscriptionResponseMessage");
        out[m.stream_id].push_back(frames::json_of(e));
    }
    return out;
}

TEST_F(Pubsub, PublishResponseIsByteExact) {
    raw_client c = connected(comp_a);
    const auto id = c.request(op_publish, publish_json("nobody/listens", {{"a", 1}}));
    ASSERT_EQ(id, 1);
    const auto frame = c.read_frame();
    ASSERT_TRUE(frame.has_value());
    // protocol.md §4.2: 165 bytes, `00 00 00 a5 00 00 00 93 b4 e3 0d 71` ... `7b 7d 90 23 df 3b`.
    const auto expected = frames::encode(
        frames::rpc_message(rpc::message_type::application_message, 2, 1,
                            {frames::str(":content-type", "application/json"),
                             frames::str("service-model-type", "aws.greengrass#PublishToTopicResponse")},
                            "{}"));
    EXPECT_EQ(expected.size(), 165u);
    EXPECT_EQ(frames::to_hex(expected.substr(0, 12)), "00 00 00 a5 00 00 00 93 b4 e3 0d 71");
    EXPECT_EQ(frames::to_hex(expected.substr(expected.size() - 6)), "7b 7d 90 23 df 3b");
    EXPECT_EQ(frames::to_hex(frame->bytes), frames::to_hex(expected))
        << frames::describe(frame->message);
    expect_nothing_more(c);
}

TEST_F(Pubsub, SubscribeResponseThenJsonEventWithServerContext) {
    raw_client sub = connected(comp_b);
    raw_client pub = connected(comp_a);
    const auto sid = subscribe(sub, subscribe_json("pubsub/json"));
    const json message = {{"s", "text ü"},
                          {"n", 5},
                          {"f", 1.5},
                          {"arr", {1, "two", nullptr}},
                          {"nested", {{"k", nullptr}}}};
    // The publisher's own context is ignored; the server sets context.topic (semantics.md §3.1).
    json request = publish_json("pubsub/json", message);
    request["publishMessage"]["jsonMessage"]["context"] = {{"topic", "spoofed/topic"}};
    publish(pub, request);
    const auto event = sub.read_message();
    ASSERT_TRUE(event.has_value());
    expect_application_message(*event, sid, 0, "aws.greengrass#SubscriptionResponseMessage");
    EXPECT_EQ(frames::json_of(*event), json_event("pubsub/json", message)) << event->payload;
    expect_nothing_more(sub);
    expect_nothing_more(pub);
}

TEST_F(Pubsub, BinaryMessageStaysBinary) {
    raw_client sub = connected(comp_b);
    raw_client pub = connected(comp_a);
    const auto sid = subscribe(sub, subscribe_json("pubsub/bin"));
    publish(pub, publish_binary("pubsub/bin", "AAEC/w=="));  // 00 01 02 ff
    publish(pub, publish_binary("pubsub/bin", ""));
    const auto events = sub.read_messages(2);
    ASSERT_EQ(events.size(), 2u);
    expect_application_message(events[0], sid, 0, "aws.greengrass#SubscriptionResponseMessage");
    EXPECT_EQ(frames::json_of(events[0]), binary_event("pubsub/bin", "AAEC/w==")) << events[0].payload;
    EXPECT_EQ(frames::json_of(events[1]), binary_event("pubsub/bin", "")) << events[1].payload;
    expect_nothing_more(sub);
}

TEST_F(Pubsub, PerSubscriberOrderOfAThousandMessages) {
    constexpr int count = 1000;
    raw_client sub = connected(comp_b);
    raw_client pub = connected(comp_a);
    const auto sid = subscribe(sub, subscribe_json("order/t"));
    // Pipelined: every request goes out before any response is read.
    for (int i = 0; i < count; ++i)
        pub.request(op_publish, publish_json("order/t", {{"i", i}}));
    const auto responses = pub.read_messages(count, std::chrono::seconds(20));
    ASSERT_EQ(responses.size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto m = frames::meta(responses[static_cast<std::size_t>(i)]);
        EXPECT_EQ(m.stream_id, i + 1);
        EXPECT_EQ(m.flags, 2);
    }
    const auto events = sub.read_messages(count, std::chrono::seconds(20));
    ASSERT_EQ(events.size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto& e = events[static_cast<std::size_t>(i)];
        ASSERT_EQ(frames::meta(e).stream_id, sid);
        ASSERT_EQ(frames::json_of(e), json_event("order/t", {{"i", i}}))
            << "message " << i << " out of order";
    }
    expect_nothing_more(sub);
}

TEST_F(Pubsub, RequestsThatArriveTogetherBeyondOneReadAreAllServed) {
    // More bytes than the daemon reads at once (64 KiB), all in the socket before the daemon has
    // even accepted the connection, and then nothing more: it must read on until the socket is
    // empty, not wait for more bytes to arrive.
    constexpr int count = 5;
    raw_client sub = connected(comp_b);
    const auto sid = subscribe(sub, subscribe_json("bulk/t"));
    raw_client pub = client();
    const std::string filler(30 * 1024, 'x');
    std::string bytes = frames::encode(frames::connect(daemon().token(comp_a)));
    for (int i = 0; i < count; ++i) {
        bytes += frames::encode(frames::request(pub.next_stream_id(), op_publish,
                                                publish_json("bulk/t", {{"i", i}, {"filler", filler}})));
    }
    ASSERT_GT(bytes.size(), 2u * 64 * 1024);
    ASSERT_TRUE(pub.send_bytes(bytes));
    const auto replies = pub.read_messages(1 + count);
    ASSERT_EQ(replies.size(), static_cast<std::size_t>(1 + count)) << "the daemon stopped reading";
    EXPECT_EQ(frames::meta(replies[0]).type, static_cast<std::int32_t>(rpc::message_type::connect_ack));
    for (int i = 1; i <= count; ++i) {
        expect_application_message(replies[static_cast<std::size_t>(i)], i, 2,
                                   "aws.greengrass#PublishToTopicResponse");
    }
    const auto events = sub.read_messages(count);
    ASSERT_EQ(events.size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto& e = events[static_cast<std::size_t>(i)];
        ASSERT_EQ(frames::meta(e).stream_id, sid);
        EXPECT_EQ(frames::json_of(e), json_event("bulk/t", {{"i", i}, {"filler", filler}}));
    }
    expect_nothing_more(sub);
}

TEST_F(Pubsub, WildcardFiltersFollowGreengrassRules) {
    raw_client sub = connected(comp_b);
    raw_client pub = connected(comp_a);
    const auto plus_c = subscribe(sub, subscribe_json("w/+/c"));
    const auto hash = subscribe(sub, subscribe_json("w/#"));
    const auto plus = subscribe(sub, subscribe_json("w/+"));
    const auto exact = subscribe(sub, subscribe_json("w/b/c"));
    const auto all = subscribe(sub, subscribe_json("#"));
    for (const char* topic : {"w/b/c", "w/b", "w", "w/x/c/d"})
        publish(pub, publish_json(topic, {{"t", topic}}));
    const auto events = sub.read_messages(10);
    ASSERT_EQ(events.size(), 10u) << frames::describe(events);
    auto got = by_stream(events);
    auto ev = [](const char* topic) { return json_event(topic, {{"t", topic}}); };
    EXPECT_EQ(got[plus_c], (std::vector<json>{ev("w/b/c")}));
    // foo/# does not match foo (semantics.md §3.2).
    EXPECT_EQ(got[hash], (std::vector<json>{ev("w/b/c"), ev("w/b"), ev("w/x/c/d")}));
    EXPECT_EQ(got[plus], (std::vector<json>{ev("w/b")}));
    EXPECT_EQ(got[exact], (std::vector<json>{ev("w/b/c")}));
    EXPECT_EQ(got[all], (std::vector<json>{ev("w/b/c"), ev("w/b"), ev("w"), ev("w/x/c/d")}));
    expect_nothing_more(sub);
}

TEST_F(Pubsub, WildcardCharactersInsideALevelAreLiteral) {
    // `+`/`#` are wildcards only as a whole level (semantics.md §3.2).
    raw_client sub = connected(comp_b);
    raw_client pub = connected(comp_a);
    const auto partial = subscribe(sub, subscribe_json("lit/a+"));
    publish(pub, publish_json("lit/ab", {{"x", 1}}));
    expect_nothing_more(sub);
    (void)partial;
}

TEST_F(Pubsub, DefaultReceiveModeDependsOnWildcard) {
    // No receiveMode: a wildcard filter gets RECEIVE_MESSAGES_FROM_OTHERS, an exact filter
    // RECEIVE_ALL_MESSAGES; "self" is the component, over any connection (semantics.md §3.2).
    raw_client sub = connected(comp_a);
    const auto wildcard = subscribe(sub, subscribe_json("r/#"));
    const auto exact = subscribe(sub, subscribe_json("r/x"));
    raw_client self_pub = connected(comp_a);
    publish(self_pub, publish_json("r/x", {{"from", "self"}}));
    raw_client other_pub = connected(comp_b);
    publish(other_pub, publish_json("r/x", {{"from", "other"}}));
    const auto events = sub.read_messages(3);
    ASSERT_EQ(events.size(), 3u) << frames::describe(events);
    auto got = by_stream(events);
    EXPECT_EQ(got[exact], (std::vector<json>{json_event("r/x", {{"from", "self"}}),
                                             json_event("r/x", {{"from", "other"}})}));
    EXPECT_EQ(got[wildcard], (std::vector<json>{json_event("r/x", {{"from", "other"}})}));
    expect_nothing_more(sub);
}

TEST_F(Pubsub, ExplicitReceiveModes) {
    raw_client sub = connected(comp_a);
    const auto wildcard_all = subscribe(sub, subscribe_json("m/#", "RECEIVE_ALL_MESSAGES"));
    const auto exact_others = subscribe(sub, subscribe_json("m/x", "RECEIVE_MESSAGES_FROM_OTHERS"));
    raw_client self_pub = connected(comp_a);
    publish(self_pub, publish_json("m/x", {{"from", "self"}}));
    raw_client other_pub = connected(comp_b);
    publish(other_pub, publish_json("m/x", {{"from", "other"}}));
    const auto events = sub.read_messages(3);
    ASSERT_EQ(events.size(), 3u) << frames::describe(events);
    auto got = by_stream(events);
    EXPECT_EQ(got[wildcard_all], (std::vector<json>{json_event("m/x", {{"from", "self"}}),
                                                    json_event("m/x", {{"from", "other"}})}));
    EXPECT_EQ(got[exact_others], (std::vector<json>{json_event("m/x", {{"from", "other"}})}));
    expect_nothing_more(sub);
}

TEST_F(Pubsub, ReceiveModeFromOthersOnTheSameConnection) {
    // A component publishing on the connection that holds its FROM_OTHERS subscription gets nothing.
    raw_client c = connected(comp_a);
    subscribe(c, subscribe_json("same/t", "RECEIVE_MESSAGES_FROM_OTHERS"));
    publish(c, publish_json("same/t", {{"x", 1}}));
    expect_nothing_more(c);
}

TEST_F(Pubsub, TwoStreamsOfOneComponentEachGetACopy) {
    raw_client sub1 = connected(comp_b);
    raw_client sub2 = connected(comp_b);
    const auto s1 = subscribe(sub1, subscribe_json("dup/t"));
    const auto s2 = subscribe(sub1, subscribe_json("dup/t"));
    const auto s3 = subscribe(sub2, subscribe_json("dup/t"));
    raw_client pub = connected(comp_a);
    publish(pub, publish_json("dup/t", {{"once", true}}));
    const auto events1 = sub1.read_messages(2);
    ASSERT_EQ(events1.size(), 2u);
    auto got1 = by_stream(events1);
    EXPECT_EQ(got1[s1], (std::vector<json>{json_event("dup/t", {{"once", true}})}));
    EXPECT_EQ(got1[s2], (std::vector<json>{json_event("dup/t", {{"once", true}})}));
    const auto events2 = sub2.read_messages(1);
    ASSERT_EQ(events2.size(), 1u);
    EXPECT_EQ(by_stream(events2)[s3], (std::vector<json>{json_event("dup/t", {{"once", true}})}));
    expect_nothing_more(sub1);
    expect_nothing_more(sub2);
}

TEST_F(Pubsub, OverlappingFiltersOnOneStreamDeliverOnce) {
    // One delivery per subscription stream per message (semantics.md §3.2), even for filters that
    // overlap on other streams of the same connection.
    raw_client sub = connected(comp_b);
    const auto s = subscribe(sub, subscribe_json("ov/+/z"));
    raw_client pub = connected(comp_a);
    publish(pub, publish_json("ov/y/z", {{"k", 1}}));
    const auto events = sub.read_messages(1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(frames::meta(events[0]).stream_id, s);
    expect_nothing_more(sub);
}

TEST_F(Pubsub, ClientTerminateStopsDeliveries) {
    raw_client sub = connected(comp_b);
    raw_client pub = connected(comp_a);
    const auto closing = subscribe(sub, subscribe_json("term/t"));
    const auto staying = subscribe(sub, subscribe_json("term/t"));
    publish(pub, publish_json("term/t", {{"n", 1}}));
    ASSERT_EQ(sub.read_messages(2).size(), 2u);

    // The client's empty TERMINATE gets no reply (protocol.md §4.3); the barrier also proves the
    // server processed it before the next publish.
    sub.send(frames::terminate(closing));
    expect_nothing_more(sub);

    publish(pub, publish_json("term/t", {{"n", 2}}));
    const auto events = sub.read_messages(1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(frames::meta(events[0]).stream_id, staying);
    EXPECT_EQ(frames::json_of(events[0]), json_event("term/t", {{"n", 2}}));
    expect_nothing_more(sub);

    // A second TERMINATE on the now closed stream is dropped silently ("simultaneous close").
    sub.send(frames::terminate(closing));
    expect_nothing_more(sub);
}

TEST_F(Pubsub, ClosingTheConnectionUnsubscribes) {
    raw_client pub = connected(comp_a);
    raw_client keeper = connected(comp_b);
    const auto kept = subscribe(keeper, subscribe_json("gone/t"));
    {
        raw_client leaving = connected(comp_b);
        subscribe(leaving, subscribe_json("gone/t"));
        subscribe(leaving, subscribe_json("gone/#"));
        expect_nothing_more(leaving);
    }  // closed here
    // Publishing to the departed subscriber's topics is still answered, again and again, and the
    // remaining subscriber gets exactly one copy of each.
    for (int i = 0; i < 50; ++i)
        publish(pub, publish_json("gone/t", {{"i", i}}));
    const auto events = keeper.read_messages(50);
    ASSERT_EQ(events.size(), 50u);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(frames::meta(events[static_cast<std::size_t>(i)]).stream_id, kept);
        EXPECT_EQ(frames::json_of(events[static_cast<std::size_t>(i)]),
                  json_event("gone/t", {{"i", i}}));
    }
    expect_nothing_more(keeper);
    expect_nothing_more(pub);
}

TEST_F(Pubsub, PublishToWildcardTopicIsInvalidArguments) {
    raw_client sub = connected(comp_b);
    subscribe(sub, subscribe_json("#"));
    raw_client c = connected(comp_a);
    for (const char* topic : {"a/+/b", "a/#", "a/*", "+", "#", "a+b"}) {
        SCOPED_TRACE(topic);
        const auto id = c.request(op_publish, publish_json(topic, {{"x", 1}}));
        const auto error = c.read_message();
        ASSERT_TRUE(error.has_value());
        expect_modeled_error(*error, id, "InvalidArgumentsError",
                             "Publish topic must not contain a wildcard.");
    }
    expect_nothing_more(c);
    expect_nothing_more(sub);
}

TEST_F(Pubsub, PublishWithoutTopicIsInvalidArguments) {
    raw_client c = connected(comp_a);
    const auto id =
        c.request(op_publish, json{{"publishMessage", {{"jsonMessage", {{"message", {{"x", 1}}}}}}}});
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "InvalidArgumentsError", "Publish topic must not be null");
    expect_nothing_more(c);
}

TEST_F(Pubsub, PublishToEmptyTopicFailsAuthorization) {
    // semantics.md §3.1: "Empty topic fails in authz with UnauthorizedError `Resource cannot be empty`".
    raw_client c = connected(comp_a);
    const auto id = c.request(op_publish, publish_json("", {{"x", 1}}));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError", "Resource cannot be empty");
    expect_nothing_more(c);
}

TEST_F(Pubsub, SubscribeWithoutTopicIsInvalidArguments) {
    raw_client c = connected(comp_a);
    const auto id = c.request(op_subscribe, json::object());
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "InvalidArgumentsError", "Subscribe topic must not be empty");
    expect_nothing_more(c);
}

TEST_F(Pubsub, SubscribeToEmptyTopicFailsAuthorization) {
    // semantics.md §3.2 checks authorization first; §2.3: an empty resource is
    // "Resource cannot be empty", surfacing as UnauthorizedError in pubsub.
    raw_client c = connected(comp_a);
    const auto id = c.request(op_subscribe, subscribe_json(""));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError", "Resource cannot be empty");
    expect_nothing_more(c);
}

TEST_F(Pubsub, UnknownRequestFieldsAreIgnored) {
    raw_client sub = connected(comp_b);
    raw_client pub = connected(comp_a);
    const auto sid = subscribe(sub, json{{"topic", "unk/t"}, {"unknownField", 5}});
    json request = publish_json("unk/t", {{"x", 1}});
    request["somethingNew"] = {{"a", "b"}};
    publish(pub, request);
    const auto event = sub.read_message();
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(frames::meta(*event).stream_id, sid);
    EXPECT_EQ(frames::json_of(*event), json_event("unk/t", {{"x", 1}}));
    expect_nothing_more(sub);
}

TEST_F(Pubsub, RequestServiceModelTypeAndContentTypeAreIgnored) {
    // protocol.md §4.1: the server routes on `operation` only.
    raw_client c = connected(comp_a);
    auto msg = frames::request(1, op_publish, publish_json("hdr/t", {{"x", 1}}));
    msg.headers.insert(msg.headers.begin(),
                       frames::str("service-model-type", "aws.greengrass#SomethingElse"));
    msg.headers.insert(msg.headers.begin(), frames::str(":content-type", "text/nonsense"));
    c.send(msg);
    const auto response = c.read_message();
    ASSERT_TRUE(response.has_value());
    expect_application_message(*response, 1, 2, "aws.greengrass#PublishToTopicResponse");
    expect_nothing_more(c);
}

TEST_F(Pubsub, TwoUnionMembersIsANonModeledError) {
    // protocol.md §5: more than one union member fails deserialization -> InternalServerError.
    raw_client c = connected(comp_a);
    json publish_message = {{"jsonMessage", {{"message", {{"x", 1}}}}},
                            {"binaryMessage", {{"message", "AA=="}}}};
    const auto id = c.request(op_publish, json{{"topic", "u/t"}, {"publishMessage", publish_message}});
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_internal_server_error(*error, id);
    expect_nothing_more(c);
}

TEST_F(Pubsub, NonObjectJsonMessageIsANonModeledError) {
    // protocol.md §4.1/§5: a document must be a JSON object; anything else fails deserialization.
    raw_client c = connected(comp_a);
    const auto id = c.request(op_publish, publish_json("doc/t", json::array({1, 2})));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_internal_server_error(*error, id);
    expect_nothing_more(c);
}

}  // namespace
}  // namespace standin::test::integration
