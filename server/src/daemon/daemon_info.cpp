// SPDX-License-Identifier: Apache-2.0
#include "daemon/daemon_info.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace standin::server {

namespace fs = std::filesystem;

void write_daemon_info(const fs::path& root, const daemon_info& info) {
    nlohmann::ordered_json doc = {{"pid", info.pid},
                                  {"socket", info.socket.string()},
                                  {"clientSocket", info.client_socket.string()},
                                  {"thingName", info.thing_name},
                                  {"region", info.region},
                                  {"rootCaPath", info.root_ca_path},
                                  {"tokens", info.tokens},
                                  {"builtinTokens", info.builtin_tokens}};
    const auto text = doc.dump(2) + "\n";
    const fs::path target = root / daemon_info_file_name;
    const fs::path temp = root / (std::string{daemon_info_file_name} + ".tmp");
    // Created 0600 from the start: the tokens must never be readable by others, not even briefly.
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + temp.string() + ": " + std::strerror(errno));
    ::fchmod(fd, 0600);
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const auto n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            throw std::runtime_error("cannot write " + temp.string() + ": " + std::strerror(saved));
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    ::close(fd);
    fs::rename(temp, target);
}

daemon_info read_running_daemon_info(const fs::path& root) {
    const fs::path file = root / daemon_info_file_name;
    std::ifstream in(file);
    if (!in) {
        throw std::runtime_error("no standin daemon is running with root " + root.string() +
                                 " (start one with: standin serve --root " + root.string() + ")");
    }
    const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) throw std::runtime_error(file.string() + " is corrupt");
    daemon_info info;
    try {
        info.pid = doc.at("pid").get<long>();
        info.socket = doc.at("socket").get<std::string>();
        info.client_socket = doc.value("clientSocket", info.socket.string());
        info.thing_name = doc.at("thingName").get<std::string>();
        info.region = doc.at("region").get<std::string>();
        info.root_ca_path = doc.value("rootCaPath", "");
        info.tokens = doc.at("tokens").get<std::map<std::string, std::string>>();
        info.builtin_tokens = doc.value("builtinTokens", std::map<std::string, std::string>{});
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(file.string() + " is corrupt: " + e.what());
    }
    // A daemon killed with SIGKILL leaves its file behind; only a live process counts.
    if (info.pid <= 0 || (::kill(static_cast<pid_t>(info.pid), 0) != 0 && errno != EPERM)) {
        throw std::runtime_error("no standin daemon is running with root " + root.string() + " (stale " +
                                 file.string() + " from pid " + std::to_string(info.pid) + ")");
    }
    return info;
}

void remove_daemon_info(const fs::path& root) noexcept {
    std::error_code ignored;
    fs::remove(root / daemon_info_file_name, ignored);
}

const std::string& component_token(const daemon_info& info, const std::string& component) {
    const auto token = info.tokens.find(component);
    if (token != info.tokens.end()) return token->second;
    const auto builtin = info.builtin_tokens.find(component);
    if (builtin != info.builtin_tokens.end()) return builtin->second;
    std::string known;
    for (const auto& [name, unused] : info.tokens)
        known += (known.empty() ? "" : ", ") + name;
    throw std::runtime_error("unknown component '" + component +
                             "' (the daemon knows: " + (known.empty() ? "no components" : known) + ")");
}

}  // namespace standin::server
