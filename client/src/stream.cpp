// SPDX-License-Identifier: Apache-2.0
#include "standin/client/stream.hpp"

#include <utility>

#include "connection_impl.hpp"

namespace standin::client {

stream::stream(std::weak_ptr<detail::connection_impl> connection, std::int32_t id,
               nlohmann::json response)
    : connection_(std::move(connection)), id_(id), response_(std::move(response)) {}

stream::stream(stream&& other) noexcept
    : connection_(std::move(other.connection_)), id_(other.id_), response_(std::move(other.response_)) {
    other.connection_.reset();
    other.id_ = 0;
}

stream& stream::operator=(stream&& other) noexcept {
    if (this != &other) {
        close();
        connection_ = std::move(other.connection_);
        id_ = other.id_;
        response_ = std::move(other.response_);
        other.connection_.reset();
        other.id_ = 0;
    }
    return *this;
}

stream::~stream() {
    close();
}

void stream::close() noexcept {
    if (auto connection = connection_.lock()) {
        try {
            connection->close_stream(id_);
        } catch (...) {
            // Out of memory while posting: the stream then ends with the connection.
        }
    }
    connection_.reset();
}

void stream::release() noexcept {
    connection_.reset();
}

}  // namespace standin::client
