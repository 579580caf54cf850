// SPDX-License-Identifier: Apache-2.0
#include "recipes/recipe_artifacts.hpp"

#include "standin/protocol/message.hpp"

namespace standin::server {

namespace {

const nlohmann::json* property(const nlohmann::json& object, std::string_view name) {
    if (!object.is_object()) return nullptr;
    for (const auto& [key, value] : object.items()) {
        if (protocol::ascii_iequals(key, name)) return value.is_null() ? nullptr : &value;
    }
    return nullptr;
}

std::string last_segment(std::string_view uri) {
    // s3://bucket/key/file.zip, greengrass:file.zip, file:///dir/file.zip: after the last '/' or,
    // without one, after the scheme's ':'.
    auto at = uri.find_last_of('/');
    if (at == std::string_view::npos) at = uri.find(':');
    return std::string{at == std::string_view::npos ? uri : uri.substr(at + 1)};
}

// PermissionType#fromString: case-insensitive; anything else, or nothing, is NONE.
permission_type permission_of(const nlohmann::json* value) {
    if (value == nullptr || !value->is_string()) return permission_type::none;
    const auto text = value->get<std::string>();
    if (protocol::ascii_iequals(text, "OWNER")) return permission_type::owner;
    if (protocol::ascii_iequals(text, "ALL")) return permission_type::all;
    return permission_type::none;
}

}  // namespace

recipe_artifacts read_recipe_artifacts(const nlohmann::json& manifest) {
    recipe_artifacts out;
    const nlohmann::json* list = property(manifest, "Artifacts");
    if (list == nullptr) return out;
    if (!list->is_array()) {
        out.problems.push_back("Artifacts is not a list");
        return out;
    }
    std::size_t index = 0;
    for (const auto& entry : *list) {
        const std::string where = "artifact " + std::to_string(index++);
        const nlohmann::json* uri = property(entry, "URI");
        if (uri == nullptr || !uri->is_string() || uri->get<std::string>().empty()) {
            out.problems.push_back(where + " has no URI");
            continue;
        }
        recipe_artifact artifact;
        artifact.uri = uri->get<std::string>();
        artifact.file_name = last_segment(artifact.uri);
        if (const nlohmann::json* unarchive = property(entry, "Unarchive")) {
            const std::string method =
                unarchive->is_string() ? unarchive->get<std::string>() : unarchive->dump();
            if (protocol::ascii_iequals(method, "ZIP")) {
                artifact.unarchive = unarchive_method::zip;
            } else if (!protocol::ascii_iequals(method, "NONE")) {
                out.problems.push_back(where + " (" + artifact.uri + "): Unarchive '" + method +
                                       "' is neither ZIP nor NONE");
                continue;
            }
        }
        if (const nlohmann::json* permission = property(entry, "Permission");
            permission != nullptr && permission->is_object()) {
            // The recipe model's own defaults fill what the Permission leaves out.
            const nlohmann::json* read = property(*permission, "Read");
            const nlohmann::json* execute = property(*permission, "Execute");
            artifact.read = read ? permission_of(read) : permission_type::owner;
            artifact.execute = execute ? permission_of(execute) : permission_type::none;
        }
        out.artifacts.push_back(std::move(artifact));
    }
    return out;
}

unsigned artifact_file_mode(const recipe_artifact& artifact, bool superuser) {
    const bool any_execute = artifact.execute != permission_type::none;
    const bool all_execute = artifact.execute == permission_type::all;
    unsigned mode = 0400;
    if (any_execute) mode |= 0100 | 0010;
    if (artifact.read != permission_type::none || any_execute) mode |= 0040;
    if (artifact.read == permission_type::all || all_execute) mode |= 0004;
    if (all_execute) mode |= 0001;
    if (!superuser) mode |= 0200;
    return mode;
}

std::string unarchived_folder_name(const std::string& file_name) {
    // The nucleus tests the first dot and cuts at the last: ".app.zip" keeps its name.
    const auto first = file_name.find('.');
    if (first == std::string::npos || first == 0) return file_name;
    return file_name.substr(0, file_name.find_last_of('.'));
}

}  // namespace standin::server
