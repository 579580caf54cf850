// SPDX-License-Identifier: Apache-2.0
// The nucleus's component store, for recipes: every recipe the daemon has seen (its --recipes and
// each deployment's recipe directory), by component name and version. A recipe saved again for
// the same name and version replaces the earlier one, as the nucleus's savePackageRecipe does.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recipes/recipe.hpp"

namespace standin::server::deployments {

class recipe_store {
public:
    void save(recipe r);
    // nullptr when the store has no such version.
    const recipe* find(std::string_view name, std::string_view version) const;
    // The highest version (semantic-version order) of `name`; nullptr when none.
    const recipe* latest(std::string_view name) const;
    // Every version of `name`, highest first.
    std::vector<const recipe*> versions_of(std::string_view name) const;

private:
    std::map<std::pair<std::string, std::string>, recipe, std::less<>> recipes_;
};

// Every recipe file (.yaml, .yml, .json, case-insensitive) under `dir`, recursively, in path order,
// as the nucleus's copyRecipesToComponentStore walks it. Throws recipe_error naming the file
// ("Unable to parse <file> as a recipe due to: ..."), and for a missing directory. Blocking: call
// it off the I/O thread.
std::vector<recipe> load_recipe_tree(const std::filesystem::path& dir);

}  // namespace standin::server::deployments
