// SPDX-License-Identifier: Apache-2.0
// The Artifacts of a recipe's selected manifest, as the nucleus reads them ([CC]
// ComponentArtifact: URI, Unarchive, Permission, Digest, Algorithm; property names and the
// Unarchive value case-insensitive, Unarchive NONE by default; [N] ComponentManager#prepareArtifacts).
// Pure: no file system.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace standin::server {

enum class unarchive_method { none, zip };

struct recipe_artifact {
    std::string uri;
    // The file the artifact is on the device, in {artifacts:path}: the URI's last path segment
    // ([N] S3Downloader / GreengrassRepositoryDownloader#getArtifactFilename).
    std::string file_name;
    unarchive_method unarchive = unarchive_method::none;
};

struct recipe_artifacts {
    std::vector<recipe_artifact> artifacts;
    // Entries the nucleus could not read (no URI, an Unarchive that is neither ZIP nor NONE), each
    // a sentence naming the entry; its recipe would not deploy.
    std::vector<std::string> problems;
};

// Reads `manifest`'s Artifacts (the recipe::selected_manifest, or null).
recipe_artifacts read_recipe_artifacts(const nlohmann::json& manifest);

// The folder an archive unpacks into under {artifacts:decompressedPath}: its file name without
// the last extension, as the nucleus names it ("app.zip" -> "app", "a.b.zip" -> "a.b"; "app" and
// ".app.zip", whose first dot leads, as they are) ([N] ComponentManager#getFileName).
std::string unarchived_folder_name(const std::string& file_name);

}  // namespace standin::server
