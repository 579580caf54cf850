// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/archive_unpacker.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <vector>

#include "util/shared_library.hpp"

namespace standin::server::lifecycle {

namespace fs = std::filesystem;

namespace {

// libarchive is opened the first time an archive is unpacked instead of being linked: linked, it
// and the libraries it loads (libxml2, ICU, zstd, lzma, nettle) cost every start of the daemon
// about 4 ms and 3 MB of resident memory, for a feature that most runs never use.
#define STANDIN_LIBARCHIVE_FUNCTIONS(X) \
    X(archive_entry_filetype)           \
    X(archive_entry_hardlink)           \
    X(archive_entry_mtime)              \
    X(archive_entry_mtime_is_set)       \
    X(archive_entry_pathname)           \
    X(archive_entry_pathname_utf8)      \
    X(archive_entry_set_hardlink)       \
    X(archive_entry_set_pathname)       \
    X(archive_entry_size)               \
    X(archive_entry_size_is_set)        \
    X(archive_entry_symlink)            \
    X(archive_error_string)             \
    X(archive_read_data_block)          \
    X(archive_read_data_skip)           \
    X(archive_read_free)                \
    X(archive_read_new)                 \
    X(archive_read_next_header)         \
    X(archive_read_open_filename)       \
    X(archive_read_support_format_zip)  \
    X(archive_write_close)              \
    X(archive_write_data_block)         \
    X(archive_write_disk_new)           \
    X(archive_write_disk_set_options)   \
    X(archive_write_finish_entry)       \
    X(archive_write_free)               \
    X(archive_write_header)

// Debian's libarchive13 (libarchive 3.x), the library whose headers we compile against.
constexpr const char* libarchive_soname = "libarchive.so.13";
static_assert(ARCHIVE_VERSION_NUMBER >= 3000000 && ARCHIVE_VERSION_NUMBER < 4000000,
              "libarchive 3.x is libarchive.so.13");

struct libarchive_functions {
    STANDIN_LIBARCHIVE_FUNCTIONS(STANDIN_DECLARE_FUNCTION)
    std::string error;  // set: it could not be opened, and the functions are null

    explicit libarchive_functions(util::shared_library library) {
        STANDIN_LIBARCHIVE_FUNCTIONS(STANDIN_RESOLVE_FUNCTION)
        error = library.error();
    }
};

class unpack_failure {
public:
    explicit unpack_failure(std::string why) : why_(std::move(why)) {}
    const std::string& why() const noexcept { return why_; }

private:
    std::string why_;
};

// Opened once, by the first unpack (a static local: thread-safe). Throws when it is unusable.
const libarchive_functions& lib() {
    static const libarchive_functions functions{
        util::shared_library{libarchive_soname, "libarchive13", "to unpack archives"}};
    if (!functions.error.empty()) throw unpack_failure(functions.error);
    return functions;
}

struct read_free {
    void operator()(archive* a) const noexcept { lib().archive_read_free(a); }
};
struct write_free {
    void operator()(archive* a) const noexcept { lib().archive_write_free(a); }
};

std::string libarchive_error(archive* a) {
    const char* text = lib().archive_error_string(a);
    return text != nullptr ? text : "unknown libarchive error";
}

std::string entry_name(archive_entry* entry) {
    if (const char* name = lib().archive_entry_pathname_utf8(entry)) return name;
    if (const char* name = lib().archive_entry_pathname(entry)) return name;
    return {};
}

// `name` as a path inside the folder, or nullopt when it would lead out of it (or is empty).
std::optional<fs::path> inside_path(std::string_view name) {
    if (name.empty() || name.front() == '/') return std::nullopt;
    fs::path out;
    std::size_t begin = 0;
    while (begin <= name.size()) {
        const auto slash = name.find('/', begin);
        const auto part =
            name.substr(begin, slash == std::string_view::npos ? name.npos : slash - begin);
        if (part == "..") return std::nullopt;
        if (!part.empty() && part != ".") out /= fs::path{std::string{part}};
        if (slash == std::string_view::npos) break;
        begin = slash + 1;
    }
    if (out.empty()) return std::nullopt;
    return out;
}

bool within(const fs::path& path, const fs::path& folder) {
    const auto [end, rest] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
    return end == folder.end();
}

// Where the link `link` leads when that is outside `folder` (or cannot be told), else nullopt.
// Each hop is followed: weakly_canonical resolves the links on the way, and a dangling link at the
// end, which it would leave as it is, is read here.
std::optional<std::string> leads_out(const fs::path& link, const fs::path& folder) {
    fs::path at = link;
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!fs::is_symlink(at, ec)) return std::nullopt;
        const auto to = fs::read_symlink(at, ec);
        if (ec) return ec.message();
        at = fs::weakly_canonical(at.parent_path() / to, ec);
        if (ec) return ec.message();
        if (!within(at, folder)) return at.string();
    }
    return std::string{"a loop of symbolic links"};
}

// Whether `dest` already holds this regular-file entry (a symbolic link there never does).
bool already_there(const fs::path& dest, archive_entry* entry) {
    struct stat st {};
    if (::lstat(dest.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (!lib().archive_entry_size_is_set(entry) || st.st_size != lib().archive_entry_size(entry))
        return false;
    return !lib().archive_entry_mtime_is_set(entry) || st.st_mtime == lib().archive_entry_mtime(entry);
}

void copy_data(archive* in, archive* out, const std::string& name) {
    for (;;) {
        const void* block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        const int r = lib().archive_read_data_block(in, &block, &size, &offset);
        if (r == ARCHIVE_EOF) return;
        if (r < ARCHIVE_WARN) throw unpack_failure("entry '" + name + "': " + libarchive_error(in));
        if (lib().archive_write_data_block(out, block, size, offset) < ARCHIVE_WARN)
            throw unpack_failure("entry '" + name + "': " + libarchive_error(out));
    }
}

void unpack(const fs::path& archive_file, const fs::path& target, unpack_outcome& outcome) {
    std::unique_ptr<archive, read_free> in{lib().archive_read_new()};
    std::unique_ptr<archive, write_free> out{lib().archive_write_disk_new()};
    if (!in || !out) throw unpack_failure("libarchive could not allocate");
    lib().archive_read_support_format_zip(in.get());
    if (lib().archive_read_open_filename(in.get(), archive_file.c_str(), 64 * 1024) != ARCHIVE_OK)
        throw unpack_failure(libarchive_error(in.get()));
    // Our own checks come first, for clear messages; libarchive's are the second line.
    lib().archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                        ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                        ARCHIVE_EXTRACT_SECURE_NODOTDOT);
    std::vector<std::pair<fs::path, std::string>> links;  // where, entry name
    for (;;) {
        archive_entry* entry = nullptr;
        const int r = lib().archive_read_next_header(in.get(), &entry);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) throw unpack_failure(libarchive_error(in.get()));
        const std::string name = entry_name(entry);
        const auto relative = inside_path(name);
        if (!relative) throw unpack_failure("entry '" + name + "' is outside the target folder");
        const fs::path dest = target / *relative;
        if (const char* hardlink = lib().archive_entry_hardlink(entry)) {
            const auto to = inside_path(hardlink);
            if (!to)
                throw unpack_failure("entry '" + name + "' links to '" + hardlink +
                                     "', outside the target folder");
            lib().archive_entry_set_hardlink(entry, (target / *to).c_str());
        }
        if (lib().archive_entry_filetype(entry) == AE_IFLNK) {
            const char* to = lib().archive_entry_symlink(entry);
            if (to == nullptr || *to == '/')
                throw unpack_failure("entry '" + name + "' is a symbolic link to '" + (to ? to : "") +
                                     "', outside the target folder");
            links.emplace_back(dest, name);
        } else if (lib().archive_entry_filetype(entry) == AE_IFREG &&
                   !lib().archive_entry_hardlink(entry) && already_there(dest, entry)) {
            ++outcome.unchanged;
            lib().archive_read_data_skip(in.get());
            continue;
        }
        lib().archive_entry_set_pathname(entry, dest.c_str());
        if (lib().archive_write_header(out.get(), entry) < ARCHIVE_WARN)
            throw unpack_failure("entry '" + name + "': " + libarchive_error(out.get()));
        if (lib().archive_entry_size(entry) > 0) copy_data(in.get(), out.get(), name);
        if (lib().archive_write_finish_entry(out.get()) < ARCHIVE_WARN)
            throw unpack_failure("entry '" + name + "': " + libarchive_error(out.get()));
        ++outcome.written;
    }
    if (lib().archive_write_close(out.get()) < ARCHIVE_WARN)
        throw unpack_failure(libarchive_error(out.get()));
    // Links may lead through one another; only once all are in place is where they lead known.
    for (const auto& [link, name] : links) {
        if (const auto outside = leads_out(link, target))
            throw unpack_failure("entry '" + name +
                                 "' is a symbolic link that leads outside the target folder (to " +
                                 *outside + ")");
    }
}

}  // namespace

unpack_outcome unpack_zip(const fs::path& archive_file, const fs::path& into) {
    unpack_outcome outcome;
    const auto fail = [&](const std::string& why) {
        std::error_code ignored;
        fs::remove_all(into, ignored);
        outcome.error = "cannot unpack " + archive_file.string() + ": " + why;
        return outcome;
    };
    std::error_code ec;
    if (!fs::is_regular_file(archive_file, ec)) return fail("no such file");
    fs::create_directories(into, ec);
    if (ec) return fail("cannot create " + into.string() + ": " + ec.message());
    // Canonical, so that no symbolic link above the folder counts as one met on the way in.
    const fs::path target = fs::canonical(into, ec);
    if (ec) return fail(ec.message());
    try {
        unpack(archive_file, target, outcome);
    } catch (const unpack_failure& failure) {
        return fail(failure.why());
    }
    return outcome;
}

}  // namespace standin::server::lifecycle
