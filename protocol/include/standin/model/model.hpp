// SPDX-License-Identifier: Apache-2.0
// The whole typed model of the Greengrass IPC service: every shape of the 34 operations, one header
// per service, and the generic JSON mapping (codec.hpp).
#pragma once

#include "standin/model/cli.hpp"             // IWYU pragma: export
#include "standin/model/client_devices.hpp"  // IWYU pragma: export
#include "standin/model/codec.hpp"           // IWYU pragma: export
#include "standin/model/config.hpp"          // IWYU pragma: export
#include "standin/model/lifecycle.hpp"       // IWYU pragma: export
#include "standin/model/metrics.hpp"         // IWYU pragma: export
#include "standin/model/mqttproxy.hpp"       // IWYU pragma: export
#include "standin/model/pubsub.hpp"          // IWYU pragma: export
#include "standin/model/secrets.hpp"         // IWYU pragma: export
#include "standin/model/shadow.hpp"          // IWYU pragma: export
#include "standin/model/tokens.hpp"          // IWYU pragma: export
#include "standin/model/types.hpp"           // IWYU pragma: export
