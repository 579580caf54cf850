// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/artifact_preparation.hpp"

#include <unistd.h>

#include "lifecycle/archive_unpacker.hpp"

namespace standin::server::lifecycle {

namespace fs = std::filesystem;

namespace {

// As the nucleus sets them on what it unpacked ([N] Permissions#setArtifactPermission): folders
// rwxr-xr-x, files the artifact's Permission, whatever modes the archive had. Links are left as
// they are (their targets are inside and get their own turn).
std::optional<std::string> set_permissions(const fs::path& folder, const recipe_artifact& artifact) {
    const auto file_mode = static_cast<fs::perms>(artifact_file_mode(artifact, ::geteuid() == 0));
    const auto folder_mode = static_cast<fs::perms>(0755);
    std::error_code ec;
    fs::permissions(folder, folder_mode, ec);
    for (fs::recursive_directory_iterator it{folder, ec}, end; !ec && it != end; it.increment(ec)) {
        const auto status = it->symlink_status(ec);
        if (ec) break;
        if (fs::is_directory(status)) {
            fs::permissions(it->path(), folder_mode, ec);
        } else if (fs::is_regular_file(status)) {
            fs::permissions(it->path(), file_mode, ec);
        }
        if (ec) return "cannot set the permissions of " + it->path().string() + ": " + ec.message();
    }
    if (ec) return "cannot set the permissions under " + folder.string() + ": " + ec.message();
    return std::nullopt;
}

}  // namespace

preparation_outcome prepare_artifacts(const recipe_artifacts& artifacts, const component_paths& paths) {
    preparation_outcome outcome;
    if (!artifacts.problems.empty()) {
        outcome.error = "recipe Artifacts: " + artifacts.problems.front();
        return outcome;
    }
    for (const auto& artifact : artifacts.artifacts) {
        if (artifact.unarchive != unarchive_method::zip) continue;
        const auto archive = paths.artifacts / artifact.file_name;
        const auto into = paths.decompressed_artifacts / unarchived_folder_name(artifact.file_name);
        std::error_code ec;
        if (!fs::is_regular_file(archive, ec)) {
            outcome.error = "artifact " + artifact.uri + " (Unarchive ZIP): " + archive.string() +
                            " does not exist; standin downloads nothing, so it must be in " +
                            paths.artifacts.string();
            return outcome;
        }
        const auto unpacked = unpack_zip(archive, into);
        if (unpacked.error) {
            outcome.error = "artifact " + artifact.uri + ": " + *unpacked.error;
            return outcome;
        }
        if (const auto failed = set_permissions(into, artifact)) {
            outcome.error = "artifact " + artifact.uri + ": " + *failed;
            return outcome;
        }
        outcome.notes.push_back("unpacked " + archive.string() + " into " + into.string() + " (" +
                                std::to_string(unpacked.written) + " written, " +
                                std::to_string(unpacked.unchanged) + " unchanged)");
    }
    return outcome;
}

}  // namespace standin::server::lifecycle
