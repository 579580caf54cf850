// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/artifact_preparation.hpp"

#include "lifecycle/archive_unpacker.hpp"

namespace standin::server::lifecycle {

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
        if (!std::filesystem::is_regular_file(archive, ec)) {
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
        outcome.notes.push_back("unpacked " + archive.string() + " into " + into.string() + " (" +
                                std::to_string(unpacked.written) + " written, " +
                                std::to_string(unpacked.unchanged) + " unchanged)");
    }
    return outcome;
}

}  // namespace standin::server::lifecycle
