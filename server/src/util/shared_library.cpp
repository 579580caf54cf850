// SPDX-License-Identifier: Apache-2.0
#include "util/shared_library.hpp"

#include <dlfcn.h>

namespace standin::server::util {

shared_library::shared_library(const char* soname, const char* package, const char* purpose)
    : soname_(soname) {
    handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
        const char* why = ::dlerror();
        error_ = soname_ + " cannot be opened (" + (why != nullptr ? why : "unknown error") +
                 "): install Debian's " + package + " " + purpose;
    }
}

void* shared_library::symbol(const char* name) {
    if (handle_ == nullptr) return nullptr;
    void* address = ::dlsym(handle_, name);
    if (address == nullptr && error_.empty()) error_ = soname_ + " lacks " + name;
    return address;
}

}  // namespace standin::server::util
