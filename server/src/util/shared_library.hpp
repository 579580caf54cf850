// SPDX-License-Identifier: Apache-2.0
// A C library the daemon opens with dlopen when a feature first needs it, instead of linking it:
// linked, a library and the ones it loads cost every start of the daemon their relocations and
// their resident pages, for features that most runs never use (archives, a real MQTT broker,
// client-device certificates).
//
// Its functions are resolved by name into members of their own type, from an X-macro list:
//
//     #define LIBFOO_FUNCTIONS(X) X(foo_open) X(foo_close)
//     struct libfoo_functions {
//         LIBFOO_FUNCTIONS(STANDIN_DECLARE_FUNCTION)
//         explicit libfoo_functions(util::shared_library& library) {
//             LIBFOO_FUNCTIONS(STANDIN_RESOLVE_FUNCTION)
//         }
//     };
#pragma once

#include <string>

namespace standin::server::util {

class shared_library {
public:
    // Opens `soname`. Its error names `package`, the Debian package that ships it, and `purpose`
    // ("to unpack archives"). The library is never closed: its functions stay in use for as long
    // as the process runs.
    shared_library(const char* soname, const char* package, const char* purpose);

    // Empty while the library and every function asked for so far were found; else what was not.
    const std::string& error() const noexcept { return error_; }

    // The function `name` as a `FunctionPointer`, or nullptr (and error() says so).
    template <class FunctionPointer>
    FunctionPointer resolve(const char* name) {
        return reinterpret_cast<FunctionPointer>(symbol(name));
    }

private:
    void* symbol(const char* name);

    std::string soname_;
    void* handle_ = nullptr;
    std::string error_;
};

}  // namespace standin::server::util

#define STANDIN_DECLARE_FUNCTION(name) decltype(&::name) name = nullptr;
#define STANDIN_RESOLVE_FUNCTION(name) name = library.resolve<decltype(name)>(#name);
