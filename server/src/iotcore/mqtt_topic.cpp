// SPDX-License-Identifier: Apache-2.0
// Topic rules of AWS IoT Core as the nucleus enforces them (IotCoreTopicValidator, MQTT 5):
//
//   ""                                  invalid: Topic must not be empty
//   "a/+/c" (publish)                   invalid: wildcard in a publish topic (anywhere: "a+b" too)
//   "a/b/c/d/e/f/g/h/i"                 invalid: more than 7 '/'
//   257 characters                      invalid: longer than 256
//   "$aws/rules/r/a/b/c/d/e/f/g"        valid: the rule prefix does not count towards the limits
//   "$share/g/a/b/c/d/e/f/g/h"          valid to subscribe (the share prefix does not count)
//   "$aws/things/t/shadow/name/s/..."   valid up to 512 characters: other reserved topics are left
//                                       to IoT Core (MQTT 5)
//
// Lengths count Java characters (UTF-16 code units), as the validator does.
//
// Matching (MQTT 5 §4.7): levels split at every '/', empty levels kept.
//
//   filter        matches                  does not match
//   a/+/c         a/b/c, a//c              a/c, a/b/c/d
//   a/#           a, a/b, a/b/c            ab
//   #             a, /a                    $aws/x
//   +/x           a/x, /x                  $aws/x
//   $aws/+/x      $aws/t/x
#include "iotcore/mqtt_topic.hpp"

#include <algorithm>
#include <cstddef>

namespace standin::server::iotcore {

namespace {

constexpr std::size_t max_topic_length = 256;                   // IoT Core quota
constexpr std::size_t max_forward_slashes = 7;                  // IoT Core quota
constexpr std::size_t max_unknown_reserved_topic_length = 512;  // the validator's own guard

constexpr std::string_view shared_prefix = "$share/";
constexpr std::string_view direct_ingest_prefix = "$aws/rules/";

const std::string too_long_publish =
    "The topic size of request must be no larger than 256 bytes of UTF-8 encoded characters. This "
    "excludes the first 3 mandatory segments for Basic Ingest topics ($AWS/rules/rule-name/)";

// Java's String.length(): UTF-16 code units.
std::size_t java_length(std::string_view text) {
    std::size_t units = 0;
    for (const unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++units;  // a character starts here
        if (c >= 0xF0) ++units;           // outside the BMP: a surrogate pair
    }
    return units;
}

// Java regex \S.
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

// For "<prefix>\S+/\S+" (the whole topic): what follows "<prefix><first level>/", or nullopt when
// `topic` is not of that form.
std::optional<std::string_view> after_reserved_segment(std::string_view topic, std::string_view prefix) {
    if (!topic.starts_with(prefix)) return std::nullopt;
    const std::string_view rest = topic.substr(prefix.size());
    if (rest.empty() || std::any_of(rest.begin(), rest.end(), is_space)) return std::nullopt;
    // \S+/\S+ needs a '/' with something on both sides; \S+?/ then ends at the first '/' after
    // at least one character.
    const auto slash = rest.find('/', 1);
    if (slash == std::string_view::npos || slash + 1 >= rest.size()) return std::nullopt;
    return rest.substr(slash + 1);
}

std::optional<std::string> validate_effective(std::string_view topic, topic_use use) {
    if (static_cast<std::size_t>(std::count(topic.begin(), topic.end(), '/')) > max_forward_slashes) {
        return "The request topic must have no more than 7 forward slashes (/)";
    }
    if (java_length(topic) > max_topic_length) {
        return use == topic_use::subscribe
                   ? too_long_publish +
                         " or first 2 mandatory segments for MQTT Shared Subscriptions "
                         "($share/share-name/)"
                   : too_long_publish;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> validate_topic(std::string_view topic, topic_use use) {
    if (topic.empty()) return "Topic must not be empty";
    if (use == topic_use::publish && topic.find_first_of("#+") != std::string_view::npos) {
        return "Publish topics must not contain wildcard characters of '#' or '+'";
    }
    if (topic.front() != '$') return validate_effective(topic, use);

    if (const auto shared = after_reserved_segment(topic, shared_prefix)) {
        return validate_effective(use == topic_use::subscribe ? *shared : topic, use);
    }
    if (const auto ingest = after_reserved_segment(topic, direct_ingest_prefix)) {
        return validate_effective(*ingest, use);
    }
    if (java_length(topic) > max_unknown_reserved_topic_length) {
        return "Reserved topic total length is greater than 512 bytes of UTF-8 encoded characters and "
               "is most likely over the IoT Core limit of 256 bytes (excluding prefixes).";
    }
    return std::nullopt;
}

bool is_valid_filter(std::string_view filter) {
    if (filter.empty()) return false;
    std::size_t start = 0;
    while (true) {
        const auto end = filter.find('/', start);
        const std::string_view level =
            filter.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (level.find_first_of("#+") != std::string_view::npos && level.size() != 1) return false;
        if (level == "#" && end != std::string_view::npos) return false;
        if (end == std::string_view::npos) return true;
        start = end + 1;
    }
}

std::string_view effective_filter(std::string_view filter) {
    if (!filter.starts_with(shared_prefix)) return filter;
    const std::string_view rest = filter.substr(shared_prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) return filter;
    return rest.substr(slash + 1);
}

bool filter_matches(std::string_view filter, std::string_view topic) {
    if (!filter.empty() && (filter.front() == '+' || filter.front() == '#') && !topic.empty() &&
        topic.front() == '$') {
        return false;
    }
    std::size_t f = 0;
    std::size_t t = 0;
    while (true) {
        const auto f_end = filter.find('/', f);
        const std::string_view level =
            filter.substr(f, f_end == std::string_view::npos ? std::string_view::npos : f_end - f);
        if (level == "#") return true;  // the rest, and the parent level: "a/#" matches "a"
        const auto t_end = topic.find('/', t);
        const std::string_view topic_level =
            topic.substr(t, t_end == std::string_view::npos ? std::string_view::npos : t_end - t);
        if (level != "+" && level != topic_level) return false;
        const bool filter_done = f_end == std::string_view::npos;
        const bool topic_done = t_end == std::string_view::npos;
        if (filter_done || topic_done) {
            if (filter_done && topic_done) return true;
            if (filter_done) return false;
            // The topic ended: the filter may go on only with "/#".
            return filter.substr(f_end + 1) == "#";
        }
        f = f_end + 1;
        t = t_end + 1;
    }
}

}  // namespace standin::server::iotcore
