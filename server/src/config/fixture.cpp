// SPDX-License-Identifier: Apache-2.0
#include "config/fixture.hpp"

#include "standin/model/base64.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "util/yaml_json.hpp"

namespace standin::server {
namespace {

// Shadow manager name rules (semantics.md §6.1); a fixture shadow the manager could never
// address would only confuse.
constexpr std::size_t max_thing_name_length = 128;
constexpr std::size_t max_shadow_name_length = 64;

bool is_name_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' ||
           c == '_' || c == '-';
}

bool valid_thing_name(std::string_view name, std::size_t max_length) {
    return !name.empty() && name.size() <= max_length &&
           std::all_of(name.begin(), name.end(), is_name_char);
}

// The shape the secret manager recognises as an ARN (semantics.md §7).
bool valid_secret_arn(std::string_view arn) {
    // arn:<partition>:secretsmanager:<region>:<account>:secret:<id>
    std::vector<std::string_view> parts;
    for (std::size_t i = 0; i < 6; ++i) {
        const auto colon = arn.find(':');
        if (colon == std::string_view::npos) {
            return false;
        }
        parts.push_back(arn.substr(0, colon));
        arn.remove_prefix(colon + 1);
    }
    const auto digits = [](std::string_view s) {
        return s.size() == 12 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const auto region_chars = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    };
    return parts[0] == "arn" && !parts[1].empty() && parts[2] == "secretsmanager" &&
           region_chars(parts[3]) && digits(parts[4]) && parts[5] == "secret" && !arn.empty();
}

class reader {
public:
    explicit reader(std::filesystem::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& problem) const {
        const auto [line, column] = yaml_position(at);
        throw fixture_error(file_, line, column, problem);
    }

    // The entries of a map whose keys must all be in `allowed` (case-sensitive: this is our own
    // format, and one spelling keeps fixtures greppable).
    std::vector<std::pair<std::string, YAML::Node>> entries(
        const YAML::Node& map, const std::string& where,
        std::initializer_list<std::string_view> allowed) const {
        if (!map.IsMap()) {
            fail(map, where + " must be a map");
        }
        std::vector<std::pair<std::string, YAML::Node>> out;
        std::set<std::string> seen;
        for (const auto& entry : map) {
            const auto key_text = yaml_key_text(entry.first);
            if (!key_text) {
                fail(entry.first, where + ": a key must be a plain value, not a list or map");
            }
            const std::string& key = *key_text;
            if (allowed.size() > 0 && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                std::string text = where + ": unknown key '" + key + "' (allowed:";
                for (std::string_view a : allowed) {
                    text += " " + std::string(a);
                }
                fail(entry.first, text + ")");
            }
            if (!seen.insert(key).second) {
                fail(entry.first, where + ": key '" + key + "' appears twice");
            }
            out.emplace_back(key, entry.second);
        }
        return out;
    }

    // Scalar text as written, so `versionId: 5` or `thingName: 007` keep their spelling.
    std::string string(const YAML::Node& value, const std::string& what) const {
        if (!value.IsScalar()) {
            fail(value, what + " must be a string");
        }
        return value.Scalar();
    }

    std::vector<std::string> strings(const YAML::Node& value, const std::string& what) const {
        if (value.IsNull()) {
            return {};
        }
        if (!value.IsSequence()) {
            fail(value, what + " must be a list of strings");
        }
        std::vector<std::string> out;
        for (const auto& item : value) {
            out.push_back(string(item, what + " entry"));
        }
        return out;
    }

    // A list; null (a key with nothing after it) counts as an empty one.
    const YAML::Node& list(const YAML::Node& value, const std::string& what) const {
        if (!value.IsSequence() && !value.IsNull()) {
            fail(value, what + " must be a list");
        }
        return value;
    }

    nlohmann::json object(const YAML::Node& value, const std::string& what) const {
        if (!value.IsMap()) {
            fail(value, what + " must be a map");
        }
        try {
            return yaml_to_json(value);
        } catch (const source_error& e) {
            throw fixture_error(file_, e.line, e.column, what + ": " + e.problem);
        }
    }

private:
    std::filesystem::path file_;
};

secret_version read_version(const reader& in, const YAML::Node& node, const std::string& where) {
    secret_version v;
    bool has_id = false;
    for (const auto& [key, value] :
         in.entries(node, where, {"versionId", "stages", "secretString", "secretBinary"})) {
        if (key == "versionId") {
            v.version_id = in.string(value, where + ".versionId");
            has_id = !v.version_id.empty();
        } else if (key == "stages") {
            v.stages = in.strings(value, where + ".stages");
        } else if (key == "secretString") {
            v.secret_string = in.string(value, where + ".secretString");
        } else {
            v.secret_binary = model::base64_decode(in.string(value, where + ".secretBinary"));
            if (!v.secret_binary) {
                in.fail(value, where + ".secretBinary is not valid base64");
            }
        }
    }
    if (!has_id) {
        in.fail(node, where + " needs a non-empty versionId");
    }
    if (v.secret_string.has_value() == v.secret_binary.has_value()) {
        in.fail(node, where + " needs exactly one of secretString and secretBinary");
    }
    return v;
}

secret read_secret(const reader& in, const YAML::Node& node, const std::string& where) {
    secret s;
    bool has_arn = false;
    for (const auto& [key, value] : in.entries(node, where, {"arn", "name", "versions"})) {
        if (key == "arn") {
            s.arn = in.string(value, where + ".arn");
            if (!valid_secret_arn(s.arn)) {
                in.fail(
                    value,
                    where + ".arn '" + s.arn +
                        "' is not a secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<id>)");
            }
            has_arn = true;
        } else if (key == "name") {
            s.name = in.string(value, where + ".name");
        } else {
            std::set<std::string> ids;
            std::set<std::string> stages;
            std::size_t i = 0;
            for (const auto& item : in.list(value, where + ".versions")) {
                const std::string at = where + ".versions[" + std::to_string(i++) + "]";
                secret_version v = read_version(in, item, at);
                if (!ids.insert(v.version_id).second) {
                    in.fail(item, at + ": versionId '" + v.version_id + "' appears twice");
                }
                for (const std::string& stage : v.stages) {
                    if (!stages.insert(stage).second) {
                        in.fail(item, at + ": stage '" + stage + "' is already on another version");
                    }
                }
                s.versions.push_back(std::move(v));
            }
        }
    }
    if (!has_arn) {
        in.fail(node, where + " needs an arn");
    }
    return s;
}

fixture_shadow read_shadow(const reader& in, const YAML::Node& node, const std::string& where,
                           const std::string& default_thing) {
    fixture_shadow s;
    s.thing_name = default_thing;
    for (const auto& [key, value] : in.entries(node, where, {"thingName", "shadowName", "state"})) {
        if (key == "thingName") {
            s.thing_name = in.string(value, where + ".thingName");
            if (!valid_thing_name(s.thing_name, max_thing_name_length)) {
                in.fail(value,
                        where + ".thingName must match [a-zA-Z0-9:_-]+ and be at most 128 characters");
            }
        } else if (key == "shadowName") {
            s.shadow_name = in.string(value, where + ".shadowName");
            if (!s.shadow_name.empty() && !valid_thing_name(s.shadow_name, max_shadow_name_length)) {
                in.fail(value,
                        where + ".shadowName must match [a-zA-Z0-9:_-]+ and be at most 64 characters");
            }
        } else {
            for (const auto& [section, content] :
                 in.entries(value, where + ".state", {"desired", "reported"})) {
                if (!content.IsNull()) {
                    s.state[section] = in.object(content, where + ".state." + section);
                }
            }
        }
    }
    return s;
}

client_device read_client_device(const reader& in, const YAML::Node& node, const std::string& where) {
    client_device d;
    for (const auto& [key, value] : in.entries(node, where, {"thingName", "certificatePem"})) {
        if (key == "thingName") {
            d.thing_name = in.string(value, where + ".thingName");
        } else {
            d.certificate_pem = in.string(value, where + ".certificatePem");
        }
    }
    if (d.thing_name.empty()) {
        in.fail(node, where + " needs a thingName");
    }
    return d;
}

}  // namespace

fixture parse_fixture(std::string_view text, const std::filesystem::path& file_for_messages) {
    YAML::Node root;
    try {
        root = load_yaml_document(text, file_for_messages);
    } catch (const source_error& e) {
        throw fixture_error(e.file, e.line, e.column, e.problem);
    }
    fixture f;
    if (root.IsNull()) {
        return f;
    }
    const reader in(file_for_messages);
    const auto top =
        in.entries(root, "the fixture",
                   {"thingName", "region", "secrets", "shadows", "components", "clientDevices"});
    // thingName first: shadows default to it wherever it is written.
    for (const auto& [key, value] : top) {
        if (key == "thingName") {
            f.thing_name = in.string(value, "thingName");
            if (!valid_thing_name(f.thing_name, max_thing_name_length)) {
                in.fail(value, "thingName must match [a-zA-Z0-9:_-]+ and be at most 128 characters");
            }
        }
    }
    for (const auto& [key, value] : top) {
        if (value.IsNull() && key != "thingName" && key != "region") {
            continue;  // `secrets:` with nothing after it is as good as no key
        }
        if (key == "region") {
            f.region = in.string(value, "region");
            if (f.region.empty()) {
                in.fail(value, "region is empty");
            }
        } else if (key == "secrets") {
            std::set<std::string> arns;
            std::size_t i = 0;
            for (const auto& item : in.list(value, "secrets")) {
                const std::string where = "secrets[" + std::to_string(i++) + "]";
                secret s = read_secret(in, item, where);
                if (!arns.insert(s.arn).second) {
                    in.fail(item, where + ": arn '" + s.arn + "' appears twice");
                }
                f.secrets.push_back(std::move(s));
            }
        } else if (key == "shadows") {
            std::set<std::pair<std::string, std::string>> seen;
            std::size_t i = 0;
            for (const auto& item : in.list(value, "shadows")) {
                const std::string where = "shadows[" + std::to_string(i++) + "]";
                fixture_shadow s = read_shadow(in, item, where, f.thing_name);
                if (!seen.emplace(s.thing_name, s.shadow_name).second) {
                    in.fail(item, where + ": shadow '" + s.shadow_name + "' of thing '" + s.thing_name +
                                      "' appears twice");
                }
                f.shadows.push_back(std::move(s));
            }
        } else if (key == "components") {
            for (const auto& [name, settings] : in.entries(value, "components", {})) {
                const std::string where = "components." + name;
                f.components[name] = nlohmann::json::object();
                if (settings.IsNull()) {
                    continue;
                }
                for (const auto& [setting, content] : in.entries(settings, where, {"configuration"})) {
                    if (!content.IsNull()) {
                        f.components[name] = in.object(content, where + "." + setting);
                    }
                }
            }
        } else if (key == "clientDevices") {
            std::size_t i = 0;
            for (const auto& item : in.list(value, "clientDevices")) {
                f.client_devices.push_back(
                    read_client_device(in, item, "clientDevices[" + std::to_string(i++) + "]"));
            }
        }
    }
    return f;
}

fixture load_fixture_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw fixture_error(file, 0, 0, ec ? "cannot read: " + ec.message() : "not a regular file");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in || !content) {
        throw fixture_error(file, 0, 0, std::string("cannot read: ") + std::strerror(errno));
    }
    return parse_fixture(content.str(), file);
}

}  // namespace standin::server
