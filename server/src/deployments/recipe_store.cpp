// SPDX-License-Identifier: Apache-2.0
#include "deployments/recipe_store.hpp"

#include <algorithm>
#include <cctype>

#include "recipes/semver.hpp"

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
    const auto all = versions_of(name);
    return all.empty() ? nullptr : all.front();
}

std::vector<const recipe*> recipe_store::versions_of(std::string_view name) const {
    std::vector<const recipe*> out;
    for (const auto& [key, r] : recipes_) {
        if (key.first == name) out.push_back(&r);
    }
    std::stable_sort(out.begin(), out.end(), [](const recipe* a, const recipe* b) {
        return semver::compare_versions(a->component_version, b->component_version) > 0;
    });
    return out;
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

}  // namespace standin::server::deployments
