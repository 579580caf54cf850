// SPDX-License-Identifier: Apache-2.0
// Recipes and fixture files, YAML or JSON: any input either loads or fails with the documented
// source error (file, line, column, problem); nothing else may escape.
#include <cstdint>
#include <string_view>

#include "config/fixture.hpp"
#include "recipes/recipe.hpp"

using namespace standin::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    for (const char* name : {"fuzz.yaml", "fuzz.json"}) {
        try {
            (void)parse_recipe(text, name);
        } catch (const recipe_error&) {
        }
        try {
            (void)parse_fixture(text, name);
        } catch (const fixture_error&) {
        }
    }
    return 0;
}
