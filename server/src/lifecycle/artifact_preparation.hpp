// SPDX-License-Identifier: Apache-2.0
// What the nucleus does with a component's artifacts before its install step ([N]
// ComponentManager#prepareArtifacts): each artifact with Unarchive ZIP, found in
// {artifacts:path} under its URI's file name, is unpacked into
// {artifacts:decompressedPath}/<file name without its extension>/ ([N]
// NucleusPaths#unarchiveArtifactPath, KernelConfigResolver: decompressedPath is
// <root>/packages/artifacts-unarchived/<component>/<version>), its folders rwxr-xr-x and its
// files with the mode of the artifact's Permission (by default owner-readable, not executable: a
// script in a ZIP is run as `sh {artifacts:decompressedPath}/app/run.sh`, or the recipe gives
// `Permission: {Execute: OWNER}`), as on the nucleus. standin downloads nothing: an
// archive that is not there is an error, as a failed download is on the nucleus.
// Blocking file I/O: call it off the I/O thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lifecycle/recipe_variables.hpp"
#include "recipes/recipe_artifacts.hpp"

namespace standin::server::lifecycle {

struct preparation_outcome {
    std::optional<std::string> error;  // the first archive that failed; the others are not tried
    std::vector<std::string> notes;    // one line per archive unpacked, for the component's log
};

// Unpacks the ZIP artifacts of `artifacts` for a component whose paths are `paths`; the
// recipe's problems (`artifacts.problems`) fail it first.
preparation_outcome prepare_artifacts(const recipe_artifacts& artifacts, const component_paths& paths);

}  // namespace standin::server::lifecycle
