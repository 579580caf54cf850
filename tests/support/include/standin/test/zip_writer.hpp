// SPDX-License-Identifier: Apache-2.0
// Writes small ZIP files for tests with libarchive (link PkgConfig::LIBARCHIVE), so that no test
// needs a binary fixture: files, folders and symbolic links, with names as given (also ones an
// unpacker must refuse, like "../x" or "/abs").
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace standin::test {

struct zip_entry {
    enum class kind { file, directory, symlink };
    std::string name;
    std::string content;  // a file's bytes, or a link's target
    kind type = kind::file;
    unsigned mode = 0644;
    std::time_t mtime = 1700000000;
};

inline zip_entry zip_file(std::string name, std::string content, unsigned mode = 0644) {
    return {std::move(name), std::move(content), zip_entry::kind::file, mode};
}
inline zip_entry zip_directory(std::string name) {
    return {std::move(name), {}, zip_entry::kind::directory, 0755};
}
inline zip_entry zip_symlink(std::string name, std::string target) {
    return {std::move(name), std::move(target), zip_entry::kind::symlink, 0777};
}

// Writes `entries` in order into the ZIP file `path`. Throws std::runtime_error.
inline void write_zip(const std::filesystem::path& path, const std::vector<zip_entry>& entries) {
    struct closer {
        void operator()(archive* a) const noexcept { archive_write_free(a); }
    };
    std::unique_ptr<archive, closer> out{archive_write_new()};
    const auto check = [&](int r, const char* what) {
        if (r < ARCHIVE_WARN)
            throw std::runtime_error(std::string{what} + ": " + archive_error_string(out.get()));
    };
    check(archive_write_set_format_zip(out.get()), "zip format");
    std::filesystem::create_directories(path.parent_path());
    check(archive_write_open_filename(out.get(), path.c_str()), "open");
    for (const auto& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.name.c_str());
        archive_entry_set_mtime(entry, e.mtime, 0);
        switch (e.type) {
            case zip_entry::kind::file:
                archive_entry_set_filetype(entry, AE_IFREG);
                archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
                break;
            case zip_entry::kind::directory:
                archive_entry_set_filetype(entry, AE_IFDIR);
                break;
            case zip_entry::kind::symlink:
                archive_entry_set_filetype(entry, AE_IFLNK);
                archive_entry_set_symlink(entry, e.content.c_str());
                break;
        }
        archive_entry_set_perm(entry, e.mode);
        const int r = archive_write_header(out.get(), entry);
        archive_entry_free(entry);
        check(r, "header");
        if (e.type == zip_entry::kind::file && !e.content.empty() &&
            archive_write_data(out.get(), e.content.data(), e.content.size()) < 0)
            check(ARCHIVE_FATAL, "data");
    }
    check(archive_write_close(out.get()), "close");
}

}  // namespace standin::test
