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
// Permission.Read / Permission.Execute ([N] componentmanager/models/PermissionType).
enum class permission_type { none, owner, all };

struct recipe_artifact {
    std::string uri;
    // The file the artifact is on the device, in {artifacts:path}: the URI's last path segment
    // ([N] S3Downloader / GreengrassRepositoryDownloader#getArtifactFilename).
    std::string file_name;
    unarchive_method unarchive = unarchive_method::none;
    permission_type read = permission_type::owner;  // the nucleus's defaults
    permission_type execute = permission_type::none;
};

// The mode the nucleus gives the artifact's files ([N] Permission#toFileSystemPermission,
// Permissions#setArtifactPermission): owner read always, group read with any read or execute,
// others read with Read ALL or Execute ALL, execute bits per Execute; plus owner write when the
// nucleus is not root (so that it can delete them).
unsigned artifact_file_mode(const recipe_artifact& artifact, bool superuser);

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
