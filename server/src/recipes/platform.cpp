// SPDX-License-Identifier: Apache-2.0
// Platform match expressions (PlatformHelper.java semantics), per label:
//   null        the label must be absent
//   "*"         anything, even an absent label
//   "//"        any present value
//   "/re/"      a present value that re matches in full
//   all, any    any present value, for os and architecture only (legacy wildcard spelling)
//   literal     exactly that value; must start with [a-zA-Z0-9] (other forms are reserved)
//   a list      any of its entries; numbers, maps and nested lists never match
// e.g. {os: linux, architecture: "/amd64|aarch64/"} matches os=linux, architecture=amd64, and
// {os: "*", architecture.detail: null} does not match a device with architecture.detail=armv7l.
// Lifecycle selection (PlatformResolver.filterPlatform semantics): when the manifests select a and
// b, Selections [a] turn the global Lifecycle {install: {a: x, all: y}, run: {b: z}} into
// {install: x}.
#include "recipes/platform.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <regex>
#include <utility>

#include "util/ascii.hpp"

namespace standin::server {
namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

using ascii::is_alnum;

platform_labels detect_platform() {
    platform_labels labels;
    utsname names{};
    if (uname(&names) != 0) {
        return {{"os", "unknown"}, {"architecture", "unknown"}};
    }
    const std::string system = to_lower(names.sysname);
    labels["os"] = system == "linux" ? "linux" : system == "darwin" ? "darwin" : system;

    // Same buckets as the nucleus's PlatformResolver.getArchInfo.
    const std::string machine = to_lower(names.machine);
    std::string arch = "unknown";
    if (machine == "x86_64" || machine == "amd64") {
        arch = "amd64";
    } else if (machine == "x86" ||
               (machine.size() == 4 && machine[0] == 'i' && machine.ends_with("86"))) {
        arch = "x86";
    } else if (machine == "aarch64" || machine == "arm64") {
        arch = "aarch64";
    } else if (machine.find("arm") != std::string::npos) {
        arch = "arm";
    }
    labels["architecture"] = arch;
    if (machine == "armv6l" || machine == "armv7l" || machine == "armv8l") {
        labels["architecture.detail"] = machine;
    }
    return labels;
}

// One match expression against one label (absent label = nullptr).
bool test_field(const std::string& key, const std::string* label, const nlohmann::json& tmpl,
                std::vector<std::string>& warnings) {
    if (tmpl.is_null()) {
        return label == nullptr;
    }
    if (!tmpl.is_string()) {
        return false;  // numbers, maps and nested lists are reserved by the nucleus: never match
    }
    const std::string& t = tmpl.get_ref<const std::string&>();
    if (t == "*") {
        return true;
    }
    if (label == nullptr) {
        return false;
    }
    if (t == "//") {
        return true;
    }
    if (t.size() > 2 && t.front() == '/' && t.back() == '/') {
        try {
            return std::regex_match(*label,
                                    std::regex(t.substr(1, t.size() - 2), std::regex::ECMAScript));
        } catch (const std::regex_error& e) {
            // The nucleus uses Java regexes; one that std::regex rejects may still be valid there.
            warnings.push_back("Platform " + key + " regex " + t + " cannot be evaluated (" + e.what() +
                               "); treated as not matching");
            return false;
        }
    }
    if ((key == "os" || key == "architecture") && (t == "all" || t == "any")) {
        return true;  // legacy wildcard spelling
    }
    if (!is_alnum(t.front())) {
        return false;  // other special labels are reserved by the nucleus
    }
    return t == *label;
}

}  // namespace

const platform_labels& current_platform() {
    static const platform_labels labels = detect_platform();
    return labels;
}

bool platform_property_matches(std::string_view key, const nlohmann::json& value,
                               const platform_labels& labels, std::vector<std::string>& warnings) {
    const std::string label_name = to_lower(key);
    const auto label_it = labels.find(label_name);
    const std::string* label = label_it == labels.end() ? nullptr : &label_it->second;
    if (value.is_array()) {
        return std::any_of(value.begin(), value.end(), [&](const nlohmann::json& t) {
            return test_field(label_name, label, t, warnings);
        });
    }
    return test_field(label_name, label, value, warnings);
}

std::string describe_platform(const platform_labels& labels) {
    std::string out;
    for (const auto& [key, value] : labels) {
        out += (out.empty() ? "" : ", ") + key + "=" + value;
    }
    return out;
}

// A lifecycle map whose keys include a selector keyword is a selection point: the first of the
// manifest's selections present there wins, else "all"; everything else at that level is dropped.
std::optional<nlohmann::json> filter_selections(const nlohmann::json& lifecycle,
                                                const std::set<std::string>& keywords,
                                                const std::vector<std::string>& selections) {
    if (lifecycle.is_null()) {
        return std::nullopt;
    }
    if (!lifecycle.is_object()) {
        return lifecycle;
    }
    const bool is_selection =
        std::any_of(lifecycle.items().begin(), lifecycle.items().end(),
                    [&](const auto& item) { return keywords.contains(item.key()); });
    if (is_selection) {
        for (const std::string& selection : selections) {
            const auto it = lifecycle.find(selection);
            if (it != lifecycle.end() && !it->is_null()) {
                return filter_selections(*it, keywords, selections);
            }
        }
        const auto all = lifecycle.find("all");
        if (all != lifecycle.end() && !all->is_null()) {
            return filter_selections(*all, keywords, selections);
        }
        return std::nullopt;
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : lifecycle.items()) {
        if (auto filtered = filter_selections(value, keywords, selections)) {
            out[key] = *std::move(filtered);
        }
    }
    return out;
}

}  // namespace standin::server
