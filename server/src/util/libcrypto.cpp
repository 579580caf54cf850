// SPDX-License-Identifier: Apache-2.0
#include "util/libcrypto.hpp"

#include <stdexcept>

namespace standin::server::util {

libcrypto_functions::libcrypto_functions(shared_library library) {
    STANDIN_LIBCRYPTO_FUNCTIONS(STANDIN_RESOLVE_FUNCTION)
    error = library.error();
}

const libcrypto_functions& libcrypto() {
    static const libcrypto_functions functions{
        shared_library{"libcrypto.so.3", "libssl3", "for client-device auth and debug passwords"}};
    if (!functions.error.empty()) throw std::runtime_error(functions.error);
    return functions;
}

}  // namespace standin::server::util
