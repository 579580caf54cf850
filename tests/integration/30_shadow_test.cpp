// SPDX-License-Identifier: Apache-2.0
// Local shadows (semantics.md §6): the four operations with raw frames against the daemon, the
// shadow manager's order of checks and messages, and the shadow topics seen by a local pub/sub
// subscriber, with a ping barrier proving nothing else was published.
#include <fstream>

#include "integration_common.hpp"
#include "standin/model/base64.hpp"

namespace standin::test::integration {
namespace {

constexpr std::string_view op_get_shadow = "aws.greengrass#GetThingShadow";
constexpr std::string_view op_update_shadow = "aws.greengrass#UpdateThingShadow";
constexpr std::string_view op_delete = "aws.greengrass#DeleteThingShadow";
constexpr std::string_view op_list_shadows = "aws.greengrass#ListNamedShadowsForThing";
constexpr const char* comp_shadow = "com.test.Shadow";     // every shadow operation on test-thing
constexpr const char* comp_watcher = "com.test.Watcher";   // subscribes to the shadow topics
constexpr const char* comp_cfg_only = "com.test.CfgOnly";  // only the "cfg" named shadow
// May publish on $aws/things/*: shadow requests over local pub/sub, with no shadow policy.
constexpr const char* comp_shadow_publisher = "com.test.ShadowPublisher";

recipe_file shadow_recipe(const std::string& component, const json& access_control) {
    json configuration = json::object();
    if (!access_control.empty()) configuration["accessControl"] = access_control;
    json r = {{"RecipeFormatVersion", "2020-01-25"},
              {"ComponentName", component},
              {"ComponentVersion", "1.0.0"},
              {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
              {"Manifests", json::array({{{"Lifecycle", {{"Run", "true"}}}}})}};
    return {component + ".json", r.dump(2)};
}

json shadow_policy(const std::vector<std::string>& resources) {
    return {{"aws.greengrass.ShadowManager",
             {{"shadow:1",
               {{"operations",
                 {"aws.greengrass#GetThingShadow", "aws.greengrass#UpdateThingShadow",
                  "aws.greengrass#DeleteThingShadow", "aws.greengrass#ListNamedShadowsForThing"}},
                {"resources", resources}}}}}};
}

constexpr std::string_view shadow_fixture_yaml = R"(thingName: test-thing
shadows:
  - shadowName: ""
    state: {reported: {temperature: 21}}
  - shadowName: config
    state: {desired: {interval: 5}}
)";

json payload_of(const protocol::message& msg) {
    const auto body = frames::json_of(msg);
    if (!body.contains("payload")) return nullptr;
    const auto bytes = model::base64_decode(body["payload"].get<std::string>());
    if (!bytes || bytes->empty()) return nullptr;
    return json::parse(*bytes);
}

// Drops every "timestamp" member, after checking it is an integer.
json without_timestamps(json j) {
    if (j.is_object()) {
        if (j.contains("timestamp")) {
            EXPECT_TRUE(j["timestamp"].is_number_integer()) << j.dump();
            j.erase("timestamp");
        }
        for (auto& [k, v] : j.items())
            v = without_timestamps(v);
    } else if (j.is_array()) {
        for (auto& v : j)
            v = without_timestamps(v);
    }
    return j;
}

class ShadowTest : public IntegrationTest {
protected:
    daemon_config config() override {
        const auto fixture = dir_.path() / "fixture.yaml";
        std::ofstream{fixture} << shadow_fixture_yaml;
        const json pubsub = {{"aws.greengrass.ipc.pubsub",
                              {{"watch",
                                {{"operations", {"aws.greengrass#SubscribeToTopic"}},
                                 {"resources", {"$aws/things/*"}}}}}}};
        return daemon_config{
            {shadow_recipe(comp_shadow,
                           shadow_policy({"$aws/things/test-thing/shadow*", "test-thing",
                                          "$aws/things/other-thing/shadow*", "other-thing"})),
             shadow_recipe(comp_watcher, pubsub),
             shadow_recipe(comp_cfg_only, shadow_policy({"$aws/things/test-thing/shadow/name/cfg"})),
             shadow_recipe(comp_shadow_publisher, {{"aws.greengrass.ipc.pubsub",
                                                    {{"publish",
                                                      {{"operations", {"aws.greengrass#PublishToTopic"}},
                                                       {"resources", {"$aws/things/*"}}}}}}}),
             shadow_recipe(comp_none, json::object())},
            {"--fixture", fixture.string()}};
    }

    struct reply {
        std::int32_t id = 0;
        protocol::message msg;
    };
    reply call(raw_client& c, std::string_view op, const json& request) {
        reply r;
        r.id = c.request(op, request);
        const auto m = c.read_message();
        if (!m) {
            ADD_FAILURE() << "no reply to " << op;
            return r;
        }
        r.msg = *m;
        return r;
    }
    json update_request(std::string_view payload, std::string_view shadow = "") {
        json r = {{"thingName", "test-thing"}, {"payload", b64(payload)}};
        if (!shadow.empty()) r["shadowName"] = shadow;
        return r;
    }
    void expect_error(raw_client& c, std::string_view op, const json& request, std::string_view code,
                      std::string_view message, bool not_found = false) {
        SCOPED_TRACE(request.dump());
        const auto r = call(c, op, request);
        json expected = error_body(code, message);
        if (not_found) expected["resourceType"] = "shadow";
        SCOPED_TRACE(frames::describe(r.msg));
        EXPECT_EQ(frames::int_header(r.msg, ":stream-id"), r.id);
        EXPECT_EQ(frames::string_header(r.msg, "service-model-type"),
                  "aws.greengrass#" + std::string{code});
        EXPECT_EQ(frames::json_of(r.msg), expected);
    }
    // The watcher subscribed to every topic of the shadow manager.
    raw_client watcher(std::int32_t& stream) {
        auto w = connected(comp_watcher);
        stream = subscribe(w, subscribe_json("$aws/things/#"));
        return w;
    }
    // The next event on `w`: its topic and decoded JSON payload, timestamps checked and dropped.
    std::pair<std::string, json> event(raw_client& w, std::int32_t stream) {
        const auto m = w.read_message();
        if (!m) {
            ADD_FAILURE() << "no event";
            return {};
        }
        expect_application_message(*m, stream, 0, "aws.greengrass#SubscriptionResponseMessage");
        const auto body = frames::json_of(*m);
        const auto& binary = body["binaryMessage"];
        const auto bytes = model::base64_decode(binary["message"].get<std::string>());
        return {binary["context"]["topic"].get<std::string>(), without_timestamps(json::parse(*bytes))};
    }
    void expect_no_events(raw_client& w) { expect_nothing_more(w); }

    temp_dir dir_;
};

TEST_F(ShadowTest, GetTheFixtureShadows) {
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto c = connected(comp_shadow);
    const auto r = call(c, op_get_shadow, {{"thingName", "test-thing"}});
    expect_application_message(r.msg, r.id, 2, "aws.greengrass#GetThingShadowResponse");
    const json classic = {{"state", {{"reported", {{"temperature", 21}}}}},
                          {"metadata", {{"reported", {{"temperature", json::object()}}}}},
                          {"version", 1}};
    EXPECT_EQ(without_timestamps(payload_of(r.msg)), classic);
    EXPECT_EQ(event(w, ws),
              (std::pair<std::string, json>{"$aws/things/test-thing/shadow/get/accepted", classic}));

    const auto named = call(c, op_get_shadow, {{"thingName", "test-thing"}, {"shadowName", "config"}});
    EXPECT_EQ(without_timestamps(payload_of(named.msg)),
              (json{{"state", {{"desired", {{"interval", 5}}}, {"delta", {{"interval", 5}}}}},
                    {"metadata", {{"desired", {{"interval", json::object()}}}}},
                    {"version", 1}}));
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/name/config/get/accepted");
    expect_no_events(w);
}

TEST_F(ShadowTest, UpdatePublishesDeltaDocumentsAcceptedInOrder) {
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto c = connected(comp_shadow);
    const auto r = call(
        c, op_update_shadow,
        update_request(R"({"state":{"desired":{"temperature":25}},"clientToken":"tok","version":1})"));
    expect_application_message(r.msg, r.id, 2, "aws.greengrass#UpdateThingShadowResponse");
    const json accepted = {{"version", 2},
                           {"clientToken", "tok"},
                           {"state", {{"desired", {{"temperature", 25}}}}},
                           {"metadata", {{"desired", {{"temperature", json::object()}}}}}};
    EXPECT_EQ(without_timestamps(payload_of(r.msg)), accepted);
    // Key order is the shadow manager's.
    const auto raw = *model::base64_decode(frames::json_of(r.msg)["payload"].get<std::string>());
    EXPECT_EQ(raw.rfind(R"({"version":2,"clientToken":"tok","timestamp":)", 0), 0U) << raw;

    auto [t1, delta] = event(w, ws);
    EXPECT_EQ(t1, "$aws/things/test-thing/shadow/update/delta");
    EXPECT_EQ(delta, (json{{"version", 2},
                           {"state", {{"temperature", 25}}},
                           {"metadata", {{"temperature", json::object()}}},
                           {"clientToken", "tok"}}));
    auto [t2, documents] = event(w, ws);
    EXPECT_EQ(t2, "$aws/things/test-thing/shadow/update/documents");
    EXPECT_EQ(documents["previous"]["version"], 1);
    EXPECT_EQ(documents["previous"]["state"], (json{{"reported", {{"temperature", 21}}}}));
    EXPECT_EQ(documents["current"]["version"], 2);
    EXPECT_EQ(documents["current"]["state"],
              (json{{"desired", {{"temperature", 25}}}, {"reported", {{"temperature", 21}}}}));
    EXPECT_EQ(documents["clientToken"], "tok");
    auto [t3, acc] = event(w, ws);
    EXPECT_EQ(t3, "$aws/things/test-thing/shadow/update/accepted");
    EXPECT_EQ(acc, accepted);
    expect_no_events(w);

    // Reported catches up: no delta is published.
    call(c, op_update_shadow, update_request(R"({"state":{"reported":{"temperature":25}}})"));
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/update/documents");
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/update/accepted");
    expect_no_events(w);
    const auto got = payload_of(call(c, op_get_shadow, {{"thingName", "test-thing"}}).msg);
    EXPECT_EQ(got["version"], 3);
    EXPECT_FALSE(got["state"].contains("delta")) << got.dump();
}

TEST_F(ShadowTest, NewNamedShadowHasNullPreviousAndVersionOne) {
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto c = connected(comp_shadow);
    const auto r =
        call(c, op_update_shadow, update_request(R"({"state":{"reported":{"on":true}}})", "lamp"));
    EXPECT_EQ(without_timestamps(payload_of(r.msg))["version"], 1);
    auto [topic, documents] = event(w, ws);
    EXPECT_EQ(topic, "$aws/things/test-thing/shadow/name/lamp/update/documents");
    EXPECT_TRUE(documents.contains("previous") && documents["previous"].is_null()) << documents.dump();
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/name/lamp/update/accepted");
    expect_no_events(w);
}

TEST_F(ShadowTest, UpdateErrorsAndTheirRejectedMessages) {
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto c = connected(comp_shadow);
    const std::string rejected = "$aws/things/test-thing/shadow/update/rejected";
    const auto expect_rejected = [&](int code, std::string_view message,
                                     std::optional<std::string> token = {}) {
        json expected = {{"code", code}, {"message", message}};
        if (token) expected["clientToken"] = *token;
        EXPECT_EQ(event(w, ws), (std::pair<std::string, json>{rejected, expected}));
    };
    expect_error(c, op_update_shadow, {{"thingName", "test-thing"}}, "InvalidArgumentsError",
                 "Missing update payload");
    expect_rejected(400, "Missing update payload");
    expect_error(c, op_update_shadow, update_request("{}"), "InvalidArgumentsError", "Invalid JSON: ");
    expect_rejected(400, "Invalid JSON: ");
    expect_error(c, op_update_shadow, update_request(R"({"state":5})"), "InvalidArgumentsError",
                 "Invalid JSON: state: integer found, [object, null] expected");
    expect_rejected(400, "Invalid JSON: state: integer found, [object, null] expected");
    expect_error(
        c, op_update_shadow,
        update_request(
            R"({"state":{"reported":{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}}}}}}}},"clientToken":"d"})"),
        "InvalidArgumentsError", "JSON contains too many levels of nesting; maximum is 6");
    expect_rejected(400, "JSON contains too many levels of nesting; maximum is 6", "d");
    expect_error(c, op_update_shadow, update_request(R"({"state":{},"version":7,"clientToken":"v"})"),
                 "ConflictError", "Version conflict");
    expect_rejected(409, "Version conflict", "v");
    expect_error(c, op_update_shadow, update_request(R"({"state":{},"version":2})", "fresh"),
                 "InvalidArgumentsError", "Invalid version");
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/name/fresh/update/rejected");
    const std::string big(9000, 'x');
    expect_error(c, op_update_shadow, update_request(R"({"state":{"reported":{"a":")" + big + R"("}}})"),
                 "InvalidArgumentsError", "The payload exceeds the maximum size allowed");
    expect_rejected(413, "The payload exceeds the maximum size allowed");
    // Unparsable JSON is the plugin's ServiceError (with the parser's message) and a 500.
    const auto bad = call(c, op_update_shadow, update_request("{nope"));
    EXPECT_EQ(frames::string_header(bad.msg, "service-model-type"), "aws.greengrass#ServiceError");
    expect_rejected(500, "Internal service failure");
    expect_no_events(w);
    // Nothing was stored: the classic shadow is still at version 1.
    EXPECT_EQ(payload_of(call(c, op_get_shadow, {{"thingName", "test-thing"}}).msg)["version"], 1);
}

TEST_F(ShadowTest, NameValidationPrecedesAuthorization) {
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto c = connected(comp_none);  // no shadow policy at all
    expect_error(c, op_get_shadow, json::object(), "InvalidArgumentsError", "ThingName is missing");
    expect_error(c, op_get_shadow, {{"thingName", std::string(129, 't')}}, "InvalidArgumentsError",
                 "ThingName has a maximum length of 128");
    expect_error(c, op_delete, {{"thingName", "bad/thing"}}, "InvalidArgumentsError",
                 "ThingName must match pattern [a-zA-Z0-9:_-]+");
    expect_error(c, op_update_shadow, {{"thingName", "t"}, {"shadowName", std::string(65, 's')}},
                 "InvalidArgumentsError", "ShadowName has a maximum length of 64");
    expect_error(c, op_get_shadow, {{"thingName", "t"}, {"shadowName", "a b"}}, "InvalidArgumentsError",
                 "ShadowName must match pattern [a-zA-Z0-9:_-]+");
    expect_error(c, op_list_shadows, {{"thingName", ""}}, "InvalidArgumentsError",
                 "ThingName is missing");
    // Empty payload is checked before authorization too.
    expect_error(c, op_update_shadow, {{"thingName", "test-thing"}}, "InvalidArgumentsError",
                 "Missing update payload");
    EXPECT_EQ(event(w, ws),
              (std::pair<std::string, json>{"$aws/things/null/shadow/get/rejected",
                                            {{"code", 400}, {"message", "ThingName is missing"}}}));
    EXPECT_EQ(event(w, ws).first, "$aws/things/" + std::string(129, 't') + "/shadow/get/rejected");
    // bad/thing, the too-long shadow name and "a b" give topics too: each is published.
    EXPECT_EQ(event(w, ws).first, "$aws/things/bad/thing/shadow/delete/rejected");
    EXPECT_EQ(event(w, ws).first,
              "$aws/things/t/shadow/name/" + std::string(65, 's') + "/update/rejected");
    EXPECT_EQ(event(w, ws).first, "$aws/things/t/shadow/name/a b/get/rejected");
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/update/rejected");
    expect_no_events(w);
}

TEST_F(ShadowTest, AuthorizationUsesTheShadowPathAndTheBareThingName) {
    auto c = connected(comp_cfg_only);
    const auto ok = call(c, op_update_shadow, update_request(R"({"state":{"desired":{"x":1}}})", "cfg"));
    expect_application_message(ok.msg, ok.id, 2, "aws.greengrass#UpdateThingShadowResponse");
    const std::string prefix =
        "Principal com.test.CfgOnly is not authorized to perform "
        "aws.greengrass.ShadowManager:aws.greengrass#";
    expect_error(c, op_get_shadow, {{"thingName", "test-thing"}}, "UnauthorizedError",
                 prefix + "GetThingShadow on resource $aws/things/test-thing/shadow");
    expect_error(c, op_delete, {{"thingName", "test-thing"}, {"shadowName", "config"}},
                 "UnauthorizedError",
                 prefix + "DeleteThingShadow on resource $aws/things/test-thing/shadow/name/config");
    expect_error(c, op_list_shadows, {{"thingName", "test-thing"}}, "UnauthorizedError",
                 prefix + "ListNamedShadowsForThing on resource test-thing");
    // pageSize is checked after authorization.
    expect_error(c, op_list_shadows, {{"thingName", "test-thing"}, {"pageSize", 0}}, "UnauthorizedError",
                 prefix + "ListNamedShadowsForThing on resource test-thing");
}

TEST_F(ShadowTest, DeleteThenGetAndUpdateStartsAgainAtVersionOne) {
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto c = connected(comp_shadow);
    const auto del = call(c, op_delete, {{"thingName", "test-thing"}, {"shadowName", "config"}});
    expect_application_message(del.msg, del.id, 2, "aws.greengrass#DeleteThingShadowResponse");
    EXPECT_EQ(payload_of(del.msg), nullptr);
    EXPECT_EQ(event(w, ws),
              (std::pair<std::string, json>{"$aws/things/test-thing/shadow/name/config/delete/accepted",
                                            {{"version", 1}}}));
    expect_error(c, op_get_shadow, {{"thingName", "test-thing"}, {"shadowName", "config"}},
                 "ResourceNotFoundError", "No shadow found", true);
    EXPECT_EQ(event(w, ws), (std::pair<std::string, json>{
                                "$aws/things/test-thing/shadow/name/config/get/rejected",
                                {{"code", 404}, {"message", "No shadow exists with name: config"}}}));
    expect_error(c, op_delete, {{"thingName", "test-thing"}, {"shadowName", "config"}},
                 "ResourceNotFoundError", "No shadow found", true);
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/name/config/delete/rejected");
    expect_error(c, op_get_shadow, {{"thingName", "other-thing"}}, "ResourceNotFoundError",
                 "No shadow found", true);
    EXPECT_EQ(event(w, ws),
              (std::pair<std::string, json>{
                  "$aws/things/other-thing/shadow/get/rejected",
                  {{"code", 404}, {"message", "No shadow exists with name: Unnamed Shadow"}}}));
    const auto again =
        call(c, op_update_shadow,
             update_request(R"({"state":{"desired":{"interval":9}},"version":1})", "config"));
    EXPECT_EQ(payload_of(again.msg)["version"], 1);
}

TEST_F(ShadowTest, ListPagesThroughNamedShadows) {
    auto c = connected(comp_shadow);
    for (const auto* name : {"b", "a", "c"})
        call(c, op_update_shadow, update_request(R"({"state":{"reported":{"n":1}}})", name));
    const auto all = call(c, op_list_shadows, {{"thingName", "test-thing"}});
    expect_application_message(all.msg, all.id, 2, "aws.greengrass#ListNamedShadowsForThingResponse");
    auto body = frames::json_of(all.msg);
    EXPECT_EQ(body["results"], (json{"a", "b", "c", "config"}));
    EXPECT_TRUE(body["timestamp"].is_number());
    EXPECT_FALSE(body.contains("nextToken"));

    auto page =
        frames::json_of(call(c, op_list_shadows, {{"thingName", "test-thing"}, {"pageSize", 2}}).msg);
    EXPECT_EQ(page["results"], (json{"a", "b"}));
    ASSERT_TRUE(page.contains("nextToken"));
    page = frames::json_of(
        call(c, op_list_shadows,
             {{"thingName", "test-thing"}, {"pageSize", 2}, {"nextToken", page["nextToken"]}})
            .msg);
    EXPECT_EQ(page["results"], (json{"c", "config"}));
    // A full last page still has a token; the page after it is empty.
    ASSERT_TRUE(page.contains("nextToken"));
    const auto token = page["nextToken"];
    page = frames::json_of(
        call(c, op_list_shadows, {{"thingName", "test-thing"}, {"pageSize", 2}, {"nextToken", token}})
            .msg);
    EXPECT_EQ(page["results"], json::array());
    EXPECT_FALSE(page.contains("nextToken"));

    expect_error(c, op_list_shadows, {{"thingName", "test-thing"}, {"pageSize", 0}},
                 "InvalidArgumentsError", "pageSize argument must be between 1 and 100");
    expect_error(c, op_list_shadows, {{"thingName", "test-thing"}, {"pageSize", 101}},
                 "InvalidArgumentsError", "pageSize argument must be between 1 and 100");
    expect_error(c, op_list_shadows, {{"thingName", "test-thing"}, {"nextToken", "garbage"}},
                 "InvalidArgumentsError", "Invalid nextToken argument");
    // A token is bound to its thing.
    expect_error(c, op_list_shadows, {{"thingName", "other-thing"}, {"nextToken", token}},
                 "InvalidArgumentsError", "Invalid nextToken argument");
    const auto none = frames::json_of(call(c, op_list_shadows, {{"thingName", "other-thing"}}).msg);
    EXPECT_EQ(none["results"], json::array());
    expect_nothing_more(c);
}

TEST_F(ShadowTest, ADenialIsPublishedOnRejected) {
    // The plugin publishes 401 "Unauthorized" on <op>/rejected before answering UnauthorizedError
    // (its clientToken is not read yet, so there is none).
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto c = connected(comp_cfg_only);
    const std::string prefix =
        "Principal com.test.CfgOnly is not authorized to perform "
        "aws.greengrass.ShadowManager:aws.greengrass#";
    expect_error(c, op_update_shadow, update_request(R"({"state":{},"clientToken":"t"})"),
                 "UnauthorizedError",
                 prefix + "UpdateThingShadow on resource $aws/things/test-thing/shadow");
    EXPECT_EQ(event(w, ws),
              (std::pair<std::string, json>{"$aws/things/test-thing/shadow/update/rejected",
                                            {{"code", 401}, {"message", "Unauthorized"}}}));
    expect_error(c, op_get_shadow, {{"thingName", "test-thing"}, {"shadowName", "config"}},
                 "UnauthorizedError",
                 prefix + "GetThingShadow on resource $aws/things/test-thing/shadow/name/config");
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/name/config/get/rejected");
    expect_error(c, op_delete, {{"thingName", "test-thing"}}, "UnauthorizedError",
                 prefix + "DeleteThingShadow on resource $aws/things/test-thing/shadow");
    EXPECT_EQ(event(w, ws).first, "$aws/things/test-thing/shadow/delete/rejected");
    // ListNamedShadowsForThing has no topics.
    expect_error(c, op_list_shadows, {{"thingName", "test-thing"}}, "UnauthorizedError",
                 prefix + "ListNamedShadowsForThing on resource test-thing");
    expect_no_events(w);
}

TEST_F(ShadowTest, RequestsPublishedOnLocalPubSubRunAsTheShadowManager) {
    // semantics.md §6.7: the publisher needs only its PublishToTopic permission.
    std::int32_t ws = 0;
    auto w = watcher(ws);
    auto p = connected(comp_shadow_publisher);
    // The watcher ($aws/things/#) gets each request and the shadow manager's answers; whether the
    // request comes before or after them depends on delivery order, so requests are set aside.
    std::vector<std::string> requests;
    // The next message: an answer, or nullopt after setting a request aside.
    const auto next = [&]() -> std::optional<std::pair<std::string, json>> {
        const auto m = w.read_message();
        if (!m) {
            ADD_FAILURE() << "no message";
            return std::nullopt;
        }
        expect_application_message(*m, ws, 0, "aws.greengrass#SubscriptionResponseMessage");
        const auto body = frames::json_of(*m);
        const auto& message = body.contains("jsonMessage") ? body["jsonMessage"] : body["binaryMessage"];
        const std::string topic = message["context"]["topic"];
        for (const std::string_view suffix : {"/accepted", "/rejected", "/documents", "/delta"}) {
            if (body.contains("binaryMessage") && topic.ends_with(suffix)) {
                const auto bytes = *model::base64_decode(message["message"].get<std::string>());
                return std::pair{topic, without_timestamps(json::parse(bytes))};
            }
        }
        requests.push_back(topic);
        return std::nullopt;
    };
    const auto answers = [&](std::size_t count) {
        std::vector<std::pair<std::string, json>> out;
        for (int reads = 0; out.size() < count && reads < 10; ++reads) {
            if (auto answer = next()) out.push_back(std::move(*answer));
        }
        return out;
    };
    const std::string lamp = "$aws/things/test-thing/shadow/name/lamp";

    publish(p, publish_json(lamp + "/update",
                            {{"state", {{"reported", {{"on", true}}}}}, {"clientToken", "ps"}}));
    auto got = answers(2);
    ASSERT_EQ(got.size(), 2U);
    EXPECT_EQ(got[0].first, lamp + "/update/documents");
    EXPECT_EQ(got[0].second["current"]["state"], (json{{"reported", {{"on", true}}}}));
    EXPECT_EQ(got[0].second["clientToken"], "ps");
    EXPECT_EQ(got[1].first, lamp + "/update/accepted");
    EXPECT_EQ(got[1].second["version"], 1);

    // A binary payload works the same; get and delete take no payload.
    publish(p, publish_binary(lamp + "/get", ""));
    got = answers(1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].first, lamp + "/get/accepted");
    EXPECT_EQ(got[0].second["state"], (json{{"reported", {{"on", true}}}}));
    publish(p, publish_json(lamp + "/delete", json::object()));
    got = answers(1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0], (std::pair<std::string, json>{lamp + "/delete/accepted", {{"version", 1}}}));
    // Refusals go to /rejected.
    publish(p, publish_binary(lamp + "/update", b64(R"({"state":5})")));
    got = answers(1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].first, lamp + "/update/rejected");
    EXPECT_EQ(got[0].second["code"], 400);
    // Messages on response topics and topics of other shapes are not requests: after them, the
    // requests all arrived and nothing else did.
    publish(p, publish_json("$aws/things/test-thing/shadow/update/accepted", {{"state", {}}}));
    publish(p, publish_json(lamp + "/unknown", json::object()));
    publish(p, publish_json("$aws/things/test-thing/shadowy/update", json::object()));
    for (int reads = 0; requests.size() < 7 && reads < 10; ++reads) {
        const auto unexpected = next();
        ASSERT_FALSE(unexpected) << "an answer to a non-request: " << unexpected->first;
    }
    EXPECT_EQ(requests.size(), 7U);
    expect_no_events(w);

    // The IPC view agrees: the classic shadow is untouched, the named one deleted.
    auto c = connected(comp_shadow);
    EXPECT_EQ(payload_of(call(c, op_get_shadow, {{"thingName", "test-thing"}}).msg)["version"], 1);
    expect_error(c, op_get_shadow, {{"thingName", "test-thing"}, {"shadowName", "lamp"}},
                 "ResourceNotFoundError", "No shadow found", true);
}

// ---- the shadow manager's own configuration: rate limits and the document size ----

class ShadowConfigurationTest : public ShadowTest {
protected:
    daemon_config config() override {
        auto c = ShadowTest::config();
        json r = {{"RecipeFormatVersion", "2020-01-25"},
                  {"ComponentName", "aws.greengrass.ShadowManager"},
                  {"ComponentVersion", "2.3.0"},
                  {"ComponentConfiguration",
                   {{"DefaultConfiguration",
                     {{"rateLimits", {{"maxLocalRequestsPerSecondPerThing", 2}}},
                      {"shadowDocumentSizeLimitBytes", 64}}}}},
                  {"Manifests", json::array({{{"Lifecycle", json::object()}}})}};
        c.recipes.push_back({"aws.greengrass.ShadowManager.json", r.dump()});
        return c;
    }
};

TEST_F(ShadowConfigurationTest, RequestsPastThePerThingRateAreTooManyRequests) {
    // Three requests for one thing sent at once: the third is over 2 a second. The check comes
    // before the names and the authorization, so even an unauthorized caller is counted.
    auto c = connected(comp_shadow);
    std::vector<std::int32_t> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(c.request(op_get_shadow, {{"thingName", "other-thing"}}));
    for (int i = 0; i < 3; ++i) {
        const auto m = c.read_message();
        ASSERT_TRUE(m);
        SCOPED_TRACE(frames::describe(*m));
        EXPECT_EQ(frames::int_header(*m, ":stream-id"), ids[static_cast<std::size_t>(i)]);
        if (i < 2) {
            EXPECT_EQ(frames::string_header(*m, "service-model-type"),
                      "aws.greengrass#ResourceNotFoundError");
        } else {
            EXPECT_EQ(frames::json_of(*m), error_body("ServiceError", "Too Many Requests"));
        }
    }
    // Another thing has its own counter.
    const auto r = call(c, op_get_shadow, {{"thingName", "test-thing"}});
    expect_application_message(r.msg, r.id, 2, "aws.greengrass#GetThingShadowResponse");
}

TEST_F(ShadowConfigurationTest, TheDocumentSizeLimitComesFromTheConfiguration) {
    auto c = connected(comp_shadow);
    const std::string text(80, 'x');
    expect_error(c, op_update_shadow,
                 update_request(R"({"state":{"reported":{"a":")" + text + R"("}}})", "big"),
                 "InvalidArgumentsError", "The payload exceeds the maximum size allowed");
}

TEST(ShadowConfiguration, AnInvalidSettingIsAStartupErrorNamingIt) {
    temp_dir dir;
    const auto recipes = dir.path() / "recipes";
    json r = {{"RecipeFormatVersion", "2020-01-25"},
              {"ComponentName", "aws.greengrass.ShadowManager"},
              {"ComponentVersion", "2.3.0"},
              {"ComponentConfiguration",
               {{"DefaultConfiguration", {{"rateLimits", {{"maxTotalLocalRequestsRate", 0}}}}}}},
              {"Manifests", json::array({{{"Lifecycle", json::object()}}})}};
    write_recipes(recipes, {{"aws.greengrass.ShadowManager.json", r.dump()}});
    const auto result = run_standin({"serve", "--no-launch", "--root", (dir.path() / "root").string(),
                                     "--recipes", recipes.string()});
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find("rateLimits.maxTotalLocalRequestsRate must be an integer from 1"),
              std::string::npos)
        << result.err;
}

}  // namespace
}  // namespace standin::test::integration
