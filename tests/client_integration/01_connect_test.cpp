// SPDX-License-Identifier: Apache-2.0
// Connecting to the real daemon: from the component environment and explicitly, ping, graceful
// close, and each way connecting fails, with the cause named.
#include <stdlib.h>

#include "client_integration_common.hpp"

namespace standin::client::integration {
namespace {

using Connect = ClientIntegration;

TEST_F(Connect, FromTheComponentEnvironment) {
    // What `standin env` exports for a component (README).
    ::setenv(env_svcuid, daemon.token(comp_a).c_str(), 1);
    ::setenv(env_socket_for_component, daemon.socket_path().c_str(), 1);
    connection conn;
    ::unsetenv(env_svcuid);
    ::unsetenv(env_socket_for_component);
    EXPECT_EQ(conn.config().socket_path, daemon.socket_path());
    const auto r = conn.connect();
    ASSERT_TRUE(r) << r.error();
    EXPECT_TRUE(conn.is_connected());
    EXPECT_TRUE(conn.ping());
    conn.close();
    EXPECT_FALSE(conn.is_connected());
}

TEST_F(Connect, TheGenericSocketVariableIsTheFallback) {
    ::setenv(env_svcuid, daemon.token(comp_a).c_str(), 1);
    ::setenv(env_socket, daemon.socket_path().c_str(), 1);
    connection conn;
    ::unsetenv(env_svcuid);
    ::unsetenv(env_socket);
    const auto r = conn.connect();
    EXPECT_TRUE(r) << r.error();
}

TEST_F(Connect, PingAndCloseExplicitly) {
    auto conn = connected(comp_b);
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(conn->ping(5s));
    conn->close();
    conn->close();  // idempotent
    EXPECT_EQ(conn->ping().error(), errc::closed);
}

TEST_F(Connect, BadTokenIsAccessDenied) {
    auto config = config_of(comp_a);
    config.auth_token = "NOT-A-TOKEN";
    connection conn{config};
    const auto r = conn.connect();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::access_denied) << r.error();
    EXPECT_NE(r.error().message.find("SVCUID"), std::string::npos);
}

TEST_F(Connect, MissingSocketIsNamed) {
    auto config = config_of(comp_a);
    config.socket_path = (daemon.root() / "no-such.socket").string();
    connection conn{config};
    const auto r = conn.connect();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::socket_not_found) << r.error();
    EXPECT_NE(r.error().message.find(config.socket_path), std::string::npos);
}

TEST_F(Connect, NoTokenInTheEnvironment) {
    ::unsetenv(env_svcuid);
    ::setenv(env_socket_for_component, daemon.socket_path().c_str(), 1);
    connection conn;
    ::unsetenv(env_socket_for_component);
    const auto r = conn.connect();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::missing_token);
    EXPECT_NE(r.error().message.find("SVCUID"), std::string::npos);
}

TEST_F(Connect, AfterTheDaemonStoppedTheSocketIsGone) {
    const auto config = config_of(comp_a);
    ASSERT_EQ(daemon.stop(), 0);
    connection conn{config};
    const auto r = conn.connect();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::socket_not_found) << r.error();
}

}  // namespace
}  // namespace standin::client::integration
