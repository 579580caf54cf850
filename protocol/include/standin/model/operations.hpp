// SPDX-License-Identifier: Apache-2.0
// The operation table: every operation of the Greengrass IPC model (the 34 of the SDKs' current
// model, aws-iot-device-sdk-v2 1.28.0), one row each, with every fact the daemon, the authorizer and
// the client library need about it: name, request / response / event types and shape ids, the
// accessControl service id and how the checked resource is found, caller rules, and the modeled
// errors. Nothing else in the code lists operations: everything is derived from this table.
//
// Sources: semantics.md §0 (service ids, resources, errors), §2.5 (registered operation names,
// callers exempt from policies); the JS SDK's createOperationMap (shapes and error lists).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "standin/model/errors.hpp"
#include "standin/model/model.hpp"
#include "standin/model/service_ids.hpp"

namespace standin::model {

// ---- vocabulary of the rows -------------------------------------------------------------------

// The string an operation's request is authorized against.
enum class resource_rule : std::uint8_t {
    none,          // no policy check
    member,        // the request member named by `authorization::member`, as sent (null if absent)
    any,           // the literal "*"
    shadow_path,   // "$aws/things/<thingName>/shadow", or ".../shadow/name/<shadowName>"
    secret_arn,    // the secret's ARN, which the operation resolves from `secretId` first
    metric_names,  // each metric's `name`, one check per metric
};

// A rule on the caller's component name, checked before anything else.
struct caller_rule {
    enum class kind : std::uint8_t { any, prefix, exact };
    kind match = kind::any;
    std::string_view text;  // the prefix or the name
    // The UnauthorizedError message when the rule fails; "{caller}" stands for the caller.
    std::string_view denial;

    // The denial message for `caller`.
    std::string denial_for(std::string_view caller) const {
        std::string out{denial};
        constexpr std::string_view placeholder = "{caller}";
        if (const auto at = out.find(placeholder); at != std::string::npos)
            out.replace(at, placeholder.size(), caller);
        return out;
    }

    constexpr bool admits(std::string_view caller) const noexcept {
        switch (match) {
            case kind::any:
                return true;
            case kind::prefix:
                return caller.starts_with(text);
            case kind::exact:
                return caller == text;
        }
        return false;
    }
};

// Callers whose requests skip the policy check (the plugin itself, the Greengrass CLI).
struct trusted_callers {
    std::string_view name;    // exact component name, or empty
    std::string_view prefix;  // name prefix, or empty

    constexpr bool trusts(std::string_view caller) const noexcept {
        return (!name.empty() && caller == name) || (!prefix.empty() && caller.starts_with(prefix));
    }
};

struct authorization {
    std::string_view service_id;  // accessControl key; empty: no policy check
    resource_rule resource = resource_rule::none;
    std::string_view member;  // for resource_rule::member
    // False when the nucleus does not register the operation name for `service_id`: every policy
    // check then fails with "Component <service> not registered for operation <op>".
    bool registered = true;
    caller_rule caller;
    trusted_callers trusted;
    // The UnauthorizedError message of a failed policy check when the operation replaces the
    // authorizer's with its own (mqttproxy's "Not Authorized"); empty: the authorizer's message.
    std::string_view denial{};

    constexpr bool checks_policy() const noexcept { return !service_id.empty(); }
};

// The modeled errors of an operation, as a set.
class error_set {
public:
    constexpr error_set() noexcept = default;
    constexpr error_set(std::initializer_list<error_kind> kinds) noexcept {
        for (const auto kind : kinds)
            bits_ |= bit(kind);
    }
    constexpr bool contains(error_kind kind) const noexcept { return (bits_ & bit(kind)) != 0; }

private:
    static constexpr std::uint32_t bit(error_kind kind) noexcept {
        return std::uint32_t{1} << static_cast<unsigned>(kind);
    }
    std::uint32_t bits_ = 0;
};

// Every operation and shape name starts with it.
inline constexpr std::string_view namespace_prefix = "aws.greengrass#";

// What code that does not know an operation's types sees of its row.
struct operation_info {
    std::size_t index = 0;            // position in greengrass_operations()
    std::string_view name;            // "aws.greengrass#PublishToTopic"
    std::string_view request_shape;   // "aws.greengrass#PublishToTopicRequest"
    std::string_view response_shape;  // "aws.greengrass#PublishToTopicResponse"
    std::string_view event_shape;     // stream event shape of a streaming operation, else empty
    authorization auth;
    error_set errors{};
    // Whether Greengrass nucleus lite serves it too (`--profile lite`, `standin lint --target lite`).
    bool lite = false;

    constexpr bool streaming() const noexcept { return !event_shape.empty(); }
    // "PublishToTopic".
    // (A fixed prefix rather than find('#'): GCC 12 cannot constant-evaluate string_view::find
    // on these names under -fsanitize=undefined.)
    constexpr std::string_view short_name() const noexcept {
        return name.substr(namespace_prefix.size());
    }
};

namespace detail {

template <std::size_t N>
struct fixed_string {
    char text[N]{};
    constexpr fixed_string(const char (&s)[N]) noexcept {  // NOLINT: implicit by design
        for (std::size_t i = 0; i < N; ++i)
            text[i] = s[i];
    }
    constexpr std::string_view view() const noexcept { return {text, N - 1}; }
};

template <fixed_string... Parts>
struct joined {
    static constexpr auto storage = [] {
        std::array<char, (sizeof(Parts.text) + ...) - sizeof...(Parts) + 1> out{};
        std::size_t at = 0;
        for (const std::string_view part : {Parts.view()...}) {
            for (const char c : part)
                out[at++] = c;
        }
        return out;
    }();
    static constexpr std::string_view value{storage.data(), storage.size() - 1};
};

}  // namespace detail

// The event stream of a streaming operation: its shape name and type.
template <detail::fixed_string Shape, class Event>
struct events {
    using type = Event;
    static constexpr std::string_view shape = detail::joined<"aws.greengrass#", Shape>::value;
};
struct no_events {
    using type = void;
    static constexpr std::string_view shape{};
};

// One row, typed. `Name` is the operation's name without the namespace.
template <detail::fixed_string Name, class Request, class Response, class Events = no_events>
struct operation_row {
    using request = Request;
    using response = Response;
    using event = typename Events::type;  // void when not streaming

    static constexpr std::string_view name = detail::joined<"aws.greengrass#", Name>::value;
    static constexpr std::string_view request_shape =
        detail::joined<"aws.greengrass#", Name, "Request">::value;
    static constexpr std::string_view response_shape =
        detail::joined<"aws.greengrass#", Name, "Response">::value;
    static constexpr std::string_view event_shape = Events::shape;

    authorization auth;
    error_set errors;
    bool lite = false;  // see operation_info::lite
};

// ---- the table --------------------------------------------------------------------------------

namespace detail {

using enum error_kind;
using rule = resource_rule;

constexpr authorization no_policy{};
constexpr authorization policy(std::string_view service, rule resource, std::string_view member = {}) {
    return {service, resource, member, true, {}, {}};
}
// MqttProxyIPCAgent catches every failed check and answers its own text instead.
constexpr authorization mqttproxy(std::string_view member) {
    return {service_ids::mqttproxy, rule::member, member, true, {}, {}, "Not Authorized"};
}
// The CLI plugin skips authorization for itself and for the Greengrass CLI's own clients.
constexpr trusted_callers cli_callers{"aws.greengrass.Cli", "greengrass-cli#"};
constexpr authorization cli(rule resource, std::string_view member = {}) {
    return {service_ids::cli, resource, member, true, {}, cli_callers};
}
// For the `lite` column: the operations nucleus lite's ggipcd serves (11 of 34; semantics.md §13,
// aws-greengrass-lite 326e992b, modules/ggipcd's service table).
inline constexpr bool served_by_lite = true;
// The shadow manager is always authorized for its own shadows.
constexpr authorization shadow(rule resource, std::string_view member = {}) {
    return {service_ids::shadow_manager,         resource, member, true, {},
            {"aws.greengrass.ShadowManager", {}}};
}

}  // namespace detail

// Sorted by name (find_operation binary-searches the derived array).
inline constexpr std::tuple operation_table{
    operation_row<"AuthorizeClientDeviceAction", authorize_client_device_action_request,
                  authorize_client_device_action_response>{
        detail::policy(service_ids::client_device_auth, detail::rule::any),
        {detail::unauthorized_error, detail::service_error, detail::invalid_arguments_error,
         detail::invalid_client_device_auth_token_error}},
    operation_row<"CancelLocalDeployment", cancel_local_deployment_request,
                  cancel_local_deployment_response>{
        // The nucleus does not register this name for aws.greengrass.Cli: only trusted callers pass.
        {service_ids::cli, detail::rule::any, {}, false, {}, detail::cli_callers},
        {detail::service_error, detail::resource_not_found_error, detail::invalid_arguments_error}},
    operation_row<"CreateDebugPassword", create_debug_password_request, create_debug_password_response>{
        detail::cli(detail::rule::any), {detail::unauthorized_error, detail::service_error}},
    operation_row<"CreateLocalDeployment", create_local_deployment_request,
                  create_local_deployment_response>{
        detail::cli(detail::rule::any),
        {detail::service_error, detail::invalid_recipe_directory_path_error,
         detail::invalid_artifacts_directory_path_error, detail::invalid_arguments_error},
        detail::served_by_lite},
    operation_row<"DeferComponentUpdate", defer_component_update_request,
                  defer_component_update_response>{
        detail::no_policy,
        {detail::service_error, detail::resource_not_found_error, detail::invalid_arguments_error}},
    operation_row<"DeleteThingShadow", delete_thing_shadow_request, delete_thing_shadow_response>{
        detail::shadow(detail::rule::shadow_path),
        {detail::invalid_arguments_error, detail::resource_not_found_error, detail::service_error,
         detail::unauthorized_error}},
    operation_row<"GetClientDeviceAuthToken", get_client_device_auth_token_request,
                  get_client_device_auth_token_response>{
        detail::policy(service_ids::client_device_auth, detail::rule::any),
        {detail::unauthorized_error, detail::service_error, detail::invalid_arguments_error,
         detail::invalid_credential_error}},
    operation_row<"GetComponentDetails", get_component_details_request, get_component_details_response>{
        detail::cli(detail::rule::member, "componentName"),
        {detail::service_error, detail::resource_not_found_error, detail::invalid_arguments_error}},
    operation_row<"GetConfiguration", get_configuration_request, get_configuration_response>{
        detail::no_policy,
        {detail::service_error, detail::resource_not_found_error},
        detail::served_by_lite},
    operation_row<"GetLocalDeploymentStatus", get_local_deployment_status_request,
                  get_local_deployment_status_response>{
        detail::cli(detail::rule::member, "deploymentId"),
        {detail::service_error, detail::resource_not_found_error}},
    operation_row<"GetSecretValue", get_secret_value_request, get_secret_value_response>{
        detail::policy(service_ids::secret_manager, detail::rule::secret_arn),
        {detail::unauthorized_error, detail::resource_not_found_error, detail::service_error}},
    operation_row<"GetThingShadow", get_thing_shadow_request, get_thing_shadow_response>{
        detail::shadow(detail::rule::shadow_path),
        {detail::invalid_arguments_error, detail::resource_not_found_error, detail::service_error,
         detail::unauthorized_error}},
    operation_row<"ListComponents", list_components_request, list_components_response>{
        detail::cli(detail::rule::any), {detail::service_error}},
    operation_row<"ListLocalDeployments", list_local_deployments_request,
                  list_local_deployments_response>{detail::cli(detail::rule::any),
                                                   {detail::service_error}},
    operation_row<"ListNamedShadowsForThing", list_named_shadows_for_thing_request,
                  list_named_shadows_for_thing_response>{
        detail::shadow(detail::rule::member, "thingName"),
        {detail::invalid_arguments_error, detail::resource_not_found_error, detail::service_error,
         detail::unauthorized_error}},
    operation_row<"PauseComponent", pause_component_request, pause_component_response>{
        detail::policy(service_ids::lifecycle, detail::rule::member, "componentName"),
        {detail::unauthorized_error, detail::service_error, detail::resource_not_found_error}},
    operation_row<"PublishToIoTCore", publish_to_iot_core_request, publish_to_iot_core_response>{
        detail::mqttproxy("topicName"),
        {detail::service_error, detail::unauthorized_error},
        detail::served_by_lite},
    operation_row<"PublishToTopic", publish_to_topic_request, publish_to_topic_response>{
        detail::policy(service_ids::pubsub, detail::rule::member, "topic"),
        {detail::service_error, detail::unauthorized_error},
        detail::served_by_lite},
    operation_row<"PutComponentMetric", put_component_metric_request, put_component_metric_response>{
        {service_ids::componentmetric,
         detail::rule::metric_names,
         {},
         true,
         {caller_rule::kind::prefix, "aws.",
          "Principal {caller} is not authorized to perform "
          "aws.greengrass.ipc.componentmetric:aws.greengrass#PutComponentMetric "},
         {"aws.greengrass.StreamManager", {}}},
        {detail::unauthorized_error, detail::service_error, detail::invalid_arguments_error}},
    operation_row<"RestartComponent", restart_component_request, restart_component_response>{
        detail::cli(detail::rule::member, "componentName"),
        {detail::service_error, detail::component_not_found_error, detail::invalid_arguments_error},
        detail::served_by_lite},
    operation_row<"ResumeComponent", resume_component_request, resume_component_response>{
        detail::policy(service_ids::lifecycle, detail::rule::member, "componentName"),
        {detail::unauthorized_error, detail::service_error, detail::resource_not_found_error}},
    operation_row<"SendConfigurationValidityReport", send_configuration_validity_report_request,
                  send_configuration_validity_report_response>{
        detail::no_policy, {detail::invalid_arguments_error, detail::service_error}},
    operation_row<"StopComponent", stop_component_request, stop_component_response>{
        detail::cli(detail::rule::member, "componentName"),
        {detail::service_error, detail::component_not_found_error, detail::invalid_arguments_error}},
    operation_row<"SubscribeToCertificateUpdates", subscribe_to_certificate_updates_request,
                  subscribe_to_certificate_updates_response,
                  events<"CertificateUpdateEvent", certificate_update_event>>{
        detail::policy(service_ids::client_device_auth, detail::rule::any),
        {detail::service_error, detail::unauthorized_error, detail::invalid_arguments_error}},
    operation_row<"SubscribeToComponentUpdates", subscribe_to_component_updates_request,
                  subscribe_to_component_updates_response,
                  events<"ComponentUpdatePolicyEvents", component_update_policy_events>>{
        detail::no_policy, {detail::service_error, detail::resource_not_found_error}},
    operation_row<"SubscribeToConfigurationUpdate", subscribe_to_configuration_update_request,
                  subscribe_to_configuration_update_response,
                  events<"ConfigurationUpdateEvents", configuration_update_events>>{
        detail::no_policy,
        {detail::service_error, detail::resource_not_found_error},
        detail::served_by_lite},
    operation_row<"SubscribeToIoTCore", subscribe_to_iot_core_request, subscribe_to_iot_core_response,
                  events<"IoTCoreMessage", iot_core_message>>{
        detail::mqttproxy("topicName"),
        {detail::service_error, detail::unauthorized_error},
        detail::served_by_lite},
    operation_row<"SubscribeToTopic", subscribe_to_topic_request, subscribe_to_topic_response,
                  events<"SubscriptionResponseMessage", subscription_response_message>>{
        detail::policy(service_ids::pubsub, detail::rule::member, "topic"),
        {detail::invalid_arguments_error, detail::service_error, detail::unauthorized_error},
        detail::served_by_lite},
    operation_row<"SubscribeToValidateConfigurationUpdates",
                  subscribe_to_validate_configuration_updates_request,
                  subscribe_to_validate_configuration_updates_response,
                  events<"ValidateConfigurationUpdateEvents", validate_configuration_update_events>>{
        detail::no_policy, {detail::service_error}},
    operation_row<"UpdateConfiguration", update_configuration_request, update_configuration_response>{
        detail::no_policy,
        {detail::service_error, detail::unauthorized_error, detail::conflict_error,
         detail::failed_update_condition_check_error, detail::invalid_arguments_error},
        detail::served_by_lite},
    operation_row<"UpdateState", update_state_request, update_state_response>{
        detail::no_policy,
        {detail::service_error, detail::resource_not_found_error},
        detail::served_by_lite},
    operation_row<"UpdateThingShadow", update_thing_shadow_request, update_thing_shadow_response>{
        detail::shadow(detail::rule::shadow_path),
        {detail::invalid_arguments_error, detail::conflict_error, detail::service_error,
         detail::unauthorized_error}},
    operation_row<"ValidateAuthorizationToken", validate_authorization_token_request,
                  validate_authorization_token_response>{
        {{},
         detail::rule::none,
         {},
         true,
         {caller_rule::kind::exact, "aws.greengrass.StreamManager",
          "{caller} is not authorized to perform aws.greengrass#ValidateAuthorizationToken"},
         {}},
        {detail::invalid_token_error, detail::unauthorized_error, detail::service_error},
        detail::served_by_lite},
    operation_row<"VerifyClientDeviceIdentity", verify_client_device_identity_request,
                  verify_client_device_identity_response>{
        detail::policy(service_ids::client_device_auth, detail::rule::any),
        {detail::unauthorized_error, detail::service_error, detail::invalid_arguments_error}},
};

inline constexpr std::size_t operation_count = std::tuple_size_v<decltype(operation_table)>;
static_assert(operation_count == 34, "the Greengrass IPC model has 34 operations");

// The rows without their types, in table order.
inline constexpr std::array<operation_info, operation_count> operations = [] {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<operation_info, operation_count>{[]<std::size_t J>() {
            using row = std::tuple_element_t<J, decltype(operation_table)>;
            const auto& r = std::get<J>(operation_table);
            return operation_info{
                J,        row::name, row::request_shape, row::response_shape, row::event_shape, r.auth,
                r.errors, r.lite};
        }.template operator()<I>()...};
    }
    (std::make_index_sequence<operation_count>{});
}();

namespace detail {
constexpr bool table_is_consistent() {
    for (std::size_t i = 0; i < operations.size(); ++i) {
        const auto& op = operations[i];
        if (i > 0 && !(operations[i - 1].name < op.name)) return false;    // sorted, no duplicates
        if (!op.errors.contains(error_kind::service_error)) return false;  // every op models it
        const bool needs_member = op.auth.resource == resource_rule::member;
        if (needs_member == op.auth.member.empty()) return false;
        if (op.auth.checks_policy() == (op.auth.resource == resource_rule::none)) return false;
    }
    return true;
}
static_assert(table_is_consistent(),
              "operation_table: sorted by name, ServiceError in every "
              "error list, a member exactly for resource_rule::member, a "
              "resource exactly when a policy is checked");

template <class Row>
constexpr bool shapes_match() {
    if (Row::request::shape_id != Row::request_shape) return false;
    if (Row::response::shape_id != Row::response_shape) return false;
    if constexpr (!std::is_void_v<typename Row::event>) {
        if (Row::event::shape_id != Row::event_shape) return false;
    }
    return true;
}
static_assert(std::apply(
                  [](const auto&... rows) {
                      return (shapes_match<std::remove_cvref_t<decltype(rows)>>() && ...);
                  },
                  operation_table),
              "operation_table: each row's types carry the shape ids its name implies");
}  // namespace detail

constexpr std::span<const operation_info> greengrass_operations() noexcept {
    return operations;
}

// The row called `name` ("aws.greengrass#PublishToTopic"), or nullptr.
constexpr const operation_info* find_operation(std::string_view name) noexcept {
    std::size_t low = 0, high = operations.size();
    while (low < high) {
        const std::size_t mid = (low + high) / 2;
        if (operations[mid].name < name) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    return low < operations.size() && operations[low].name == name ? &operations[low] : nullptr;
}

// The index of the operation called `short_name` ("PublishToTopic"); fails to compile when used
// in a constant expression with a name outside the model.
consteval std::size_t operation_index(std::string_view short_name) {
    for (const auto& op : operations) {
        if (op.short_name() == short_name) return op.index;
    }
    throw "not an operation of the Greengrass IPC model";
}

// The typed row of the operation called `ShortName`, e.g. operation<"PublishToTopic">::request.
template <detail::fixed_string ShortName>
using operation = std::tuple_element_t<operation_index(ShortName.view()), decltype(operation_table)>;

// The accessControl service ids of the table, each once, in table order.
inline constexpr auto policy_service_ids = [] {
    std::array<std::string_view, operation_count> ids{};
    std::size_t count = 0;
    for (const auto& op : operations) {
        if (!op.auth.checks_policy()) continue;
        bool seen = false;
        for (std::size_t i = 0; i < count; ++i)
            seen = seen || ids[i] == op.auth.service_id;
        if (!seen) ids[count++] = op.auth.service_id;
    }
    return std::pair{ids, count};
}();

}  // namespace standin::model
