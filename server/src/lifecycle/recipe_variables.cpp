// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/recipe_variables.hpp"

#include <optional>
#include <vector>

namespace standin::server::lifecycle {

namespace {

// [.\w-]+ of the nucleus's patterns.
bool is_name(std::string_view text) {
    if (text.empty()) return false;
    for (const char c : text) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '_' || c == '.' || c == '-';
        if (!word) return false;
    }
    return true;
}

std::optional<std::string> configuration_value(const variable_context& context,
                                               std::string_view component, std::string_view pointer) {
    if (!context.configuration_of) return std::nullopt;
    const auto configuration = context.configuration_of(component);
    if (!configuration) return std::nullopt;
    try {
        const nlohmann::json::json_pointer at{std::string{pointer}};
        if (!configuration->contains(at)) return std::nullopt;
        const auto& value = (*configuration)[at];
        if (value.is_string()) return value.get<std::string>();
        return value.dump();  // other scalars as text, containers as JSON (Jackson's toString)
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // not a JSON pointer: left as written
    }
}

std::optional<std::string> system_value(const variable_context& context, std::string_view component,
                                        std::string_view space, std::string_view key) {
    if (space == "artifacts" && context.paths_of) {
        if (key == "path") return context.paths_of(component).artifacts.string();
        if (key == "decompressedPath")
            return context.paths_of(component).decompressed_artifacts.string();
    } else if (space == "work" && key == "path" && context.paths_of) {
        return context.paths_of(component).work.string();
    } else if (space == "kernel" && key == "rootPath") {
        return context.root.string();
    } else if (space == "iot" && key == "thingName") {
        return context.thing_name;
    }
    return std::nullopt;
}

std::optional<std::string> resolve(const variable_context& context, std::string_view inside) {
    std::vector<std::string_view> parts;
    std::size_t begin = 0;
    for (;;) {
        const auto colon = inside.find(':', begin);
        parts.push_back(inside.substr(begin, colon == std::string_view::npos ? colon : colon - begin));
        if (colon == std::string_view::npos) break;
        begin = colon + 1;
    }
    if (parts.size() == 2 && is_name(parts[0])) {
        if (parts[0] == "configuration")
            return configuration_value(context, context.component, parts[1]);
        return system_value(context, context.component, parts[0], parts[1]);
    }
    if (parts.size() == 3 && is_name(parts[0]) && is_name(parts[1])) {
        // Only a direct dependency's values ([N] KernelConfigResolver: "not a direct dependency").
        if (!context.direct_dependencies.contains(parts[0])) return std::nullopt;
        if (parts[1] == "configuration") return configuration_value(context, parts[0], parts[2]);
        return system_value(context, parts[0], parts[1], parts[2]);
    }
    return std::nullopt;
}

}  // namespace

component_paths paths_in(const std::filesystem::path& root,
                         const std::optional<std::filesystem::path>& artifacts_dir,
                         std::string_view component, std::string_view version,
                         const std::filesystem::path& recipe_file) {
    namespace fs = std::filesystem;
    component_paths out;
    out.work = root / "work" / component;
    out.decompressed_artifacts = root / "packages" / "artifacts-unarchived" / component / version;
    if (artifacts_dir) {
        out.artifacts = fs::absolute(*artifacts_dir) / component / version;
        return out;
    }
    if (!recipe_file.empty()) {
        std::error_code ec;
        const auto beside =
            fs::absolute(recipe_file).parent_path().parent_path() / "artifacts" / component / version;
        if (fs::is_directory(beside, ec)) {
            out.artifacts = beside.lexically_normal();
            return out;
        }
    }
    out.artifacts = root / "packages" / "artifacts" / component / version;
    return out;
}

std::string interpolate(std::string_view text, const variable_context& context) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const auto open = text.find('{', at);
        if (open == std::string_view::npos) break;
        const auto close = text.find('}', open + 1);
        if (close == std::string_view::npos) break;
        out.append(text.substr(at, open - at));
        const auto inside = text.substr(open + 1, close - open - 1);
        // A '{' inside starts a later candidate: "{{work:path}" keeps the first brace.
        if (const auto nested = inside.rfind('{'); nested != std::string_view::npos) {
            out.append(text.substr(open, nested + 1));
            at = open + 1 + nested;
            continue;
        }
        if (auto value = resolve(context, inside)) {
            out += *value;
        } else {
            out.append(text.substr(open, close - open + 1));
        }
        at = close + 1;
    }
    out.append(text.substr(at));
    return out;
}

}  // namespace standin::server::lifecycle
