// SPDX-License-Identifier: Apache-2.0
// An error in an input file (recipe, fixture, daemon config) that points at the offending spot.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace standin::server {

// Formats "<file>:<line>:<column>: <problem>", leaving out the parts that are unknown
// (empty file, line or column 0).
inline std::string format_source_message(const std::filesystem::path& file, int line, int column,
                                         const std::string& problem) {
    std::string out;
    if (!file.empty()) {
        out += file.string();
    }
    if (line > 0) {
        out += (out.empty() ? "" : ":") + std::to_string(line);
        if (column > 0) {
            out += ":" + std::to_string(column);
        }
    }
    if (!out.empty()) {
        out += ": ";
    }
    return out + problem;
}

// Thrown while loading startup inputs. line and column are 1-based; 0 means unknown.
// what() is format_source_message(file, line, column, problem).
struct source_error : std::runtime_error {
    source_error(std::filesystem::path file_, int line_, int column_, std::string problem_)
        : std::runtime_error(format_source_message(file_, line_, column_, problem_)),
          file(std::move(file_)),
          line(line_),
          column(column_),
          problem(std::move(problem_)) {}

    std::filesystem::path file;
    int line = 0;
    int column = 0;
    std::string problem;  // the message without the location prefix
};

}  // namespace standin::server
