// SPDX-License-Identifier: Apache-2.0
// Shared by the lifecycle and component-management tests (40_*, 41_*): a component that may call
// the CLI and lifecycle operations on every component, the calls, and a wait for a line in a file
// (a component's log) on inotify events with a deadline, never a sleep.
#pragma once

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "integration_common.hpp"

namespace standin::test::integration {

inline constexpr const char* comp_admin = "com.test.Admin";

// com.test.Admin: aws.greengrass.Cli's component operations and pause/resume on any component.
inline recipe_file admin_recipe() {
    const json access = {
        {"aws.greengrass.Cli",
         {{"com.test.Admin:cli:1",
           {{"operations",
             {"aws.greengrass#ListComponents", "aws.greengrass#GetComponentDetails",
              "aws.greengrass#RestartComponent", "aws.greengrass#StopComponent"}},
            {"resources", {"*"}}}}}},
        {"aws.greengrass.ipc.lifecycle",
         {{"com.test.Admin:lifecycle:1",
           {{"operations", {"aws.greengrass#PauseComponent", "aws.greengrass#ResumeComponent"}},
            {"resources", {"*"}}}}}}};
    const json recipe = {
        {"RecipeFormatVersion", "2020-01-25"},
        {"ComponentName", comp_admin},
        {"ComponentVersion", "1.0.0"},
        {"ComponentConfiguration", {{"DefaultConfiguration", {{"accessControl", access}}}}},
        {"Manifests", json::array({json::object()})}};
    return {std::string{comp_admin} + ".json", recipe.dump(2)};
}

inline std::string file_text(const std::filesystem::path& path) {
    std::ifstream in{path, std::ios::binary};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::size_t count_of(const std::string& text, std::string_view part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
        ++n;
    return n;
}

// Waits until `file` contains `text` at least `times` times; woken by inotify on its directory.
inline bool wait_for_text(const std::filesystem::path& file, std::string_view text,
                          std::size_t times = 1,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds{15000}) {
    std::filesystem::create_directories(file.parent_path());
    unique_fd watch{::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)};
    if (watch.get() < 0) return false;
    ::inotify_add_watch(watch.get(), file.parent_path().c_str(), IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (count_of(file_text(file), text) >= times) return true;
        pollfd p{watch.get(), POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return count_of(file_text(file), text) >= times;
        char events[4096];
        while (::read(watch.get(), events, sizeof events) > 0) {
        }
    }
}

// One unary call; the reply's JSON body (an error body for an error, `error` set to its code).
inline json call_json(raw_client& c, std::string_view operation, const json& request,
                      std::string* error = nullptr) {
    const auto reply = c.call(operation, request);
    if (!reply) {
        ADD_FAILURE() << "no reply to " << operation;
        return {};
    }
    if (error != nullptr) {
        *error = frames::int_header(*reply, ":message-type") == 1
                     ? frames::string_header(*reply, "service-model-type").value_or("").substr(15)
                     : "";
    }
    return frames::json_of(*reply);
}

inline json details(raw_client& admin, const std::string& component) {
    return call_json(admin, "aws.greengrass#GetComponentDetails",
                     {{"componentName", component}})["componentDetails"];
}

inline std::string state_of(raw_client& admin, const std::string& component) {
    const auto d = details(admin, component);
    return d.contains("state") ? d["state"].get<std::string>() : "(none)";
}

}  // namespace standin::test::integration
