// SPDX-License-Identifier: Apache-2.0
// What one connection, and all of them together, may hold. Each limit is named, logged when met,
// and settable from the command line; the defaults are far above what a real component does.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "standin/protocol/limits.hpp"

namespace standin::server {

struct connection_limits {
    // Compatibility: the largest frame current SDKs accept (lite profile: 10,000 bytes).
    std::uint32_t max_frame_size = protocol::default_max_frame_size;
    // Our choice: what a slow subscriber may hold. An event that would take what is queued for one
    // connection past either bound closes its stream with a ServiceError instead of growing memory
    // (architecture.md decision 2); the connection and its other streams carry on. The nucleus
    // queues without bound (semantics.md §3.3); these bounds keep a stuck subscriber from taking
    // the daemon's memory while leaving room for bursts far beyond what a component reads behind.
    // What a queued event costs: about 32 bytes of queue plus its share of the payload, which every
    // subscriber of one publish shares (a 128-byte message fanned out to 10 connections: about
    // 70 bytes per queued event, so 8,192 events per connection is about 0.6 MB each). The byte
    // bound counts wire bytes, as the client will read them, so it also bounds large payloads.
    std::size_t max_outbound_bytes = 8u * 1024u * 1024u;
    std::size_t max_outbound_messages = 8'192;
    // Our choice: stop reading requests from a connection while this much is waiting to be written.
    std::size_t read_pause_bytes = 4u * 1024u * 1024u;
    // Our choice: a connection that has not completed CONNECT by then is closed. SDK clients send
    // CONNECT right after the socket connects.
    std::chrono::milliseconds connect_timeout{10'000};
    // Our choice: a connection whose pending write has not completed for this long (the peer stopped
    // reading altogether) is closed. Zero disables the check.
    std::chrono::milliseconds write_stall_timeout{60'000};
    // Our choice: streams open at once on one connection (subscriptions and calls in flight); a
    // request beyond it is answered with a ServiceError. Components hold a few dozen at most.
    std::size_t max_streams_per_connection = 10'000;
    // Our choice: connections served at once; more are accepted and closed at once.
    std::size_t max_connections = 10'000;
};

}  // namespace standin::server
