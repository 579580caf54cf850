// SPDX-License-Identifier: Apache-2.0
// Unpacks a ZIP artifact into a folder, as the nucleus's Unarchiver does ([N]
// componentmanager/Unarchiver.java), with libarchive:
//   - an entry whose name is absolute or has a ".." part is refused (the nucleus refuses any
//     entry that lands outside the folder), and so is a symbolic link that would lead out of it;
//     nothing is ever written through a symbolic link;
//   - a file already there with the entry's size (the nucleus's test) and modification time
//     (standin's addition: a same-size edit is picked up too) is left as it is, so unpacking an
//     unchanged archive again writes nothing;
//   - on any failure the folder is removed, as the nucleus does, so that the next try starts
//     afresh; the error names the archive and the entry.
// Blocking file I/O: call it off the I/O thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace standin::server::lifecycle {

struct unpack_outcome {
    std::optional<std::string> error;  // set: nothing of the folder is left
    std::size_t written = 0;           // entries created or replaced
    std::size_t unchanged = 0;         // files left as they were
};

// Unpacks `archive` (a ZIP file) into `into`, creating it (and its parents) when missing.
unpack_outcome unpack_zip(const std::filesystem::path& archive, const std::filesystem::path& into);

}  // namespace standin::server::lifecycle
