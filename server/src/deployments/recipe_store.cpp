// SPDX-License-Identifier: Apache-2.0
#include "deployments/recipe_store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace standin::server::deployments {

namespace fs = std::filesystem;

void recipe_store::save(recipe r) {
    auto key = std::make_pair(r.component_name, r.component_version);
    recipes_.insert_or_assign(std::move(key), std::move(r));
}

const recipe* recipe_store::find(std::string_view name, std::string_view version) const {
    const auto it = recipes_.find(std::make_pair(std::string{name}, std::string{version}));
    return it == recipes_.end() ? nullptr : &it->second;
}

const recipe* recipe_store::latest(std::string_view name) const {
    const recipe* best = nullptr;
    for (const auto& [key, r] : recipes_) {
        if (key.first != name) continue;
        if (best == nullptr || compare_versions(r.component_version, best->component_version) > 0)
            best = &r;
    }
    return best;
}

std::vector<recipe> load_recipe_tree(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw recipe_error(dir, 0, 0, "no such recipe directory");
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string extension = it->path().extension().string();
        std::transform(extension.begin(), extension.end(), extension.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (extension == ".yaml" || extension == ".yml" || extension == ".json")
            files.push_back(it->path());
    }
    if (ec) throw recipe_error(dir, 0, 0, ec.message());
    std::sort(files.begin(), files.end());
    std::vector<recipe> out;
    for (const auto& file : files) {
        // The nucleus skips empty files without a word.
        if (fs::file_size(file, ec) == 0) continue;
        out.push_back(load_recipe_file(file));
    }
    return out;
}

namespace {

struct parsed_version {
    std::array<unsigned long, 3> numbers{};
    std::string pre_release;
};

parsed_version parse_version(std::string_view text) {
    parsed_version out;
    if (const auto plus = text.find('+'); plus != std::string_view::npos) text = text.substr(0, plus);
    if (const auto dash = text.find('-'); dash != std::string_view::npos) {
        out.pre_release = std::string{text.substr(dash + 1)};
        text = text.substr(0, dash);
    }
    for (auto& number : out.numbers) {
        const auto dot = text.find('.');
        const auto part = text.substr(0, dot);
        std::from_chars(part.data(), part.data() + part.size(), number);
        text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    }
    return out;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
    const auto left = parse_version(a);
    const auto right = parse_version(b);
    if (left.numbers != right.numbers) return left.numbers < right.numbers ? -1 : 1;
    if (left.pre_release == right.pre_release) return 0;
    if (left.pre_release.empty()) return 1;
    if (right.pre_release.empty()) return -1;
    return left.pre_release < right.pre_release ? -1 : 1;
}

}  // namespace standin::server::deployments
