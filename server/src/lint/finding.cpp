// SPDX-License-Identifier: Apache-2.0
#include "lint/finding.hpp"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "util/source_error.hpp"

namespace standin::server::lint {

const char* to_string(severity level) noexcept {
    switch (level) {
        case severity::error:
            return "error";
        case severity::warning:
            return "warning";
        case severity::note:
            return "note";
    }
    return "?";
}

std::string format_text(const finding& f) {
    std::string out =
        format_source_message(f.file, f.line, f.column,
                              std::string{to_string(f.level)} + ": " + f.problem + " [" + f.check + "]");
    if (!f.fix.empty()) out += "\n  fix: " + f.fix;
    return out;
}

nlohmann::json to_json(const finding& f) {
    return {{"file", f.file.string()},
            {"line", f.line},
            {"column", f.column},
            {"severity", to_string(f.level)},
            {"check", f.check},
            {"problem", f.problem},
            {"fix", f.fix}};
}

void sort_findings(std::vector<finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const finding& a, const finding& b) {
        return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
}

}  // namespace standin::server::lint
