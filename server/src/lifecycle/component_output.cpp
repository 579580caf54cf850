// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/component_output.hpp"

#include <unistd.h>

#include <array>
#include <chrono>
#include <ctime>

namespace standin::server::lifecycle {

namespace {

// ANSI foreground colours that read on dark and light backgrounds alike.
constexpr std::array<const char*, 6> colours{"\033[36m", "\033[33m", "\033[35m",
                                             "\033[32m", "\033[34m", "\033[91m"};
constexpr const char* colour_reset = "\033[0m";

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[40];
    const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis));
    return text;
}

}  // namespace

component_output::component_output(const std::filesystem::path& logs_dir, std::string component,
                                   std::FILE* terminal, std::size_t colour_index)
    : component_(std::move(component)), file_(logs_dir / (component_ + ".log")), terminal_(terminal) {
    std::error_code ignored;
    std::filesystem::create_directories(logs_dir, ignored);
    log_.open(file_, std::ios::app);
    const bool tty = terminal_ != nullptr && ::isatty(::fileno(terminal_)) == 1;
    prefix_ = tty ? std::string{colours[colour_index % colours.size()]} + "[" + component_ + "]" +
                        colour_reset + " "
                  : "[" + component_ + "] ";
}

void component_output::line(std::string_view step, std::string_view text) {
    write_file(step, text);
    if (terminal_ != nullptr) {
        std::string out = prefix_;
        out.append(text);
        out.push_back('\n');
        std::fwrite(out.data(), 1, out.size(), terminal_);
        std::fflush(terminal_);
    }
}

void component_output::note(std::string_view text) {
    write_file("standin", text);
}

void component_output::write_file(std::string_view tag, std::string_view text) {
    if (!log_) return;
    // Flushed per line: the log is read while the component runs (tail -f, tests).
    log_ << utc_now() << " [" << tag << "] " << text << '\n' << std::flush;
}

}  // namespace standin::server::lifecycle
