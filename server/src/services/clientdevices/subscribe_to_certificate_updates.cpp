// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SubscribeToCertificateUpdates ([CDA] SubscribeToCertificateUpdatesOperationHandler):
// after authorization, certificate options with a known certificate type (SERVER, the only one)
// are required. The subscriber then gets the broker server certificate the local CA issued, its
// key pair and the CA chain as a CertificateUpdateEvent: after the subscription response, as the
// plugin holds its first event back until the response is out.
#include "services/clientdevices/clientdevices_service.hpp"
#include "util/log.hpp"

namespace standin::server::clientdevices_service {

namespace {

// Keeps a subscriber listed for later certificate rotations while its stream is open.
class certificate_subscription final : public stream_resource {
public:
    certificate_subscription(client_devices_state& state, std::uint64_t id) : state_(state), id_(id) {}
    ~certificate_subscription() override { state_.subscribers.erase(id_); }
    certificate_subscription(const certificate_subscription&) = delete;
    certificate_subscription& operator=(const certificate_subscription&) = delete;

private:
    client_devices_state& state_;
    std::uint64_t id_;
};

struct subscribe_to_certificate_updates_op {
    using row = model::operation<"SubscribeToCertificateUpdates">;
    using state = client_devices_state;

    static std::optional<model::ipc_error> validate(const row::request& r) {
        if (!r.certificateOptions) {
            return model::ipc_error::invalid_arguments("Certificate options are required.");
        }
        if (!r.certificateOptions->certificateType.known()) {
            return model::ipc_error::invalid_arguments("Valid certificate type is required.");
        }
        return std::nullopt;
    }

    static void handle(client_devices_state& s, const call_context& call, row::request&,
                       responder<row::response> reply) {
        if (auto error = ensure_started(s)) {
            reply(*error);
            return;
        }
        const auto id = s.next_subscriber++;
        const auto events = events_of<subscribe_to_certificate_updates_op>(call);
        s.subscribers.emplace(id, events);
        reply({row::response{}, std::make_unique<certificate_subscription>(s, id)});
        // The reply is queued now (this runs on the I/O thread), so the event follows it.
        events.send(s.current_update());
        logger("clientdevices")->info("{} subscribed to server certificate updates", call.caller);
    }
};

}  // namespace

operation_entry subscribe_to_certificate_updates(client_devices_state& state) {
    return make_operation<subscribe_to_certificate_updates_op>(state);
}

}  // namespace standin::server::clientdevices_service
