// SPDX-License-Identifier: Apache-2.0
// MQTT topic names and filters as AWS IoT Core and the nucleus's MQTT client see them: the
// nucleus's IotCoreTopicValidator (run before anything reaches the cloud), the filter syntax the
// broker checks at SUBSCRIBE, and MQTT's matching rules (which are not local pub/sub's, see
// pubsub/topic_tree.hpp). Rules and examples are at the top of mqtt_topic.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace standin::server::iotcore {

enum class topic_use { publish, subscribe };

// IotCoreTopicValidator.validateTopic for MQTT 5 (the nucleus's default): nullopt when `topic`
// may be used for `use`, else the validator's message ("Topic must not be empty", "Publish topics
// must not contain wildcard characters of '#' or '+'", the slash and length limits).
std::optional<std::string> validate_topic(std::string_view topic, topic_use use);

// MQTT's filter syntax: not empty, "#" only as the whole last level, "+" only as a whole level.
// A broker answers a filter that breaks it with SUBACK reason TOPIC_FILTER_INVALID.
bool is_valid_filter(std::string_view filter);

// The filter a shared subscription ("$share/<group>/<filter>") matches with; `filter` otherwise.
std::string_view effective_filter(std::string_view filter);

// Whether a message published on `topic` reaches a subscription on `filter` (a valid filter):
// levels compared one by one, "+" any one level (empty too), "#" the rest including the parent
// level, and a filter that starts with a wildcard does not match a topic that starts with '$'.
bool filter_matches(std::string_view filter, std::string_view topic);

}  // namespace standin::server::iotcore
