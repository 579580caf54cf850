// SPDX-License-Identifier: Apache-2.0
#include "cli/lint_command.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "recipes/recipe.hpp"
#include "standin/protocol/message.hpp"

namespace standin::server {

namespace {

namespace fs = std::filesystem;

// The files standin serve would load from `path` (recipes.hpp, load_recipe_directories): the path
// itself when it is a file, else the *.yaml, *.yml and *.json files directly inside it, hidden
// files skipped, by name. Nullopt when it does not exist.
std::optional<std::vector<fs::path>> recipe_files(const fs::path& path) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return std::vector<fs::path>{path};
    if (!fs::is_directory(path, ec)) return std::nullopt;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        const auto ext = entry.path().extension().string();
        const bool recipe_extension = protocol::ascii_iequals(ext, ".yaml") ||
                                      protocol::ascii_iequals(ext, ".yml") ||
                                      protocol::ascii_iequals(ext, ".json");
        if (recipe_extension && !entry.path().filename().string().starts_with(".") &&
            entry.is_regular_file(ec))
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    return files;
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in) throw recipe_error(file, 0, 0, "cannot read the file");
    return content.str();
}

std::string plural(std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int run_lint(const lint_request& request, std::ostream& out, std::ostream& err) {
    std::vector<fs::path> paths = request.paths;
    if (paths.empty()) paths.emplace_back("recipes");

    std::vector<fs::path> files;
    for (const auto& path : paths) {
        const auto found = recipe_files(path);
        if (!found) {
            err << "standin lint: " << path.string() << ": no such directory or recipe file\n";
            return exit_usage_error;
        }
        for (const auto& file : *found) {
            if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
        }
    }

    std::vector<lint::finding> findings;
    std::vector<recipe> recipes;
    for (const auto& file : files) {
        try {
            const std::string text = read_text(file);
            recipe parsed = parse_recipe(text, file);
            auto found = lint::lint_recipe(parsed, text, request.options);
            findings.insert(findings.end(), found.begin(), found.end());
            recipes.push_back(std::move(parsed));
        } catch (const recipe_error& e) {
            findings.push_back(lint::recipe_error_finding(e));
        }
    }
    for (auto& f : lint::duplicate_component_findings(recipes))
        findings.push_back(std::move(f));
    lint::sort_findings(findings);

    std::size_t errors = 0, warnings = 0, notes = 0;
    for (const auto& f : findings) {
        ++(f.level == lint::severity::error     ? errors
           : f.level == lint::severity::warning ? warnings
                                                : notes);
    }
    if (request.json) {
        auto list = nlohmann::json::array();
        for (const auto& f : findings)
            list.push_back(lint::to_json(f));
        out << nlohmann::json{{"recipes", files.size()},
                              {"errors", errors},
                              {"warnings", warnings},
                              {"notes", notes},
                              {"findings", std::move(list)}}
                   .dump()
            << "\n";
    } else {
        for (const auto& f : findings)
            out << lint::format_text(f) << "\n";
        out << plural(files.size(), "recipe") << ": " << plural(errors, "error") << ", "
            << plural(warnings, "warning") << ", " << plural(notes, "note") << "\n";
    }
    return errors > 0 ? exit_runtime_error : exit_success;
}

command add_lint_command(CLI::App& app) {
    struct lint_flags {
        lint_request request;
        std::vector<std::string> paths;
        std::string target = "nucleus";
    };
    auto flags = std::make_shared<lint_flags>();
    auto* lint = app.add_subcommand(
        "lint",
        "Check recipes for accessControl and recipe mistakes, each with file, line and fix (exit 0 "
        "no errors, 1 errors, 2 usage)");
    lint->add_option("--target", flags->target,
                     "nucleus (the Java nucleus) or lite (also what nucleus lite lacks)")
        ->transform(CLI::IsMember({"nucleus", "lite"}, CLI::ignore_case))
        ->capture_default_str();
    lint->add_flag("--json", flags->request.json, "One JSON object on stdout, for tools");
    lint->add_option("DIR", flags->paths,
                     "Directories of recipe files, or recipe files (default ./recipes)");
    return {lint, [flags] {
                for (const auto& path : flags->paths)
                    flags->request.paths.emplace_back(path);
                flags->request.options.target =
                    flags->target == "lite" ? lint::lint_target::lite : lint::lint_target::nucleus;
                try {
                    return run_lint(flags->request, std::cout, std::cerr);
                } catch (const std::exception& e) {
                    std::cerr << "standin lint: " << e.what() << '\n';
                    return exit_runtime_error;
                }
            }};
}

}  // namespace standin::server
