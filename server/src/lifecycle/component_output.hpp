// SPDX-License-Identifier: Apache-2.0
// Where a component's output goes: <root>/logs/<component>.log (each line with its time and the
// step that wrote it, as the nucleus's per-component log has them), and the terminal, each line
// prefixed with [component] (coloured when stdout is a terminal).
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace standin::server::lifecycle {

class component_output {
public:
    // Opens (appends to) <logs_dir>/<component>.log; creates logs_dir. `terminal` may be null
    // (nothing is echoed). `colour_index` picks the prefix colour.
    component_output(const std::filesystem::path& logs_dir, std::string component, std::FILE* terminal,
                     std::size_t colour_index);

    const std::filesystem::path& file() const noexcept { return file_; }
    // A line the component wrote during `step`.
    void line(std::string_view step, std::string_view text);
    // A line about the component from standin (a state change, an exit), in the log file only.
    void note(std::string_view text);

private:
    void write_file(std::string_view tag, std::string_view text);

    std::string component_;
    std::filesystem::path file_;
    std::ofstream log_;
    std::FILE* terminal_;
    std::string prefix_;
};

}  // namespace standin::server::lifecycle
