// SPDX-License-Identifier: Apache-2.0
#include "standin/model/pubsub.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(message_context);
STANDIN_MODEL_INSTANTIATE(json_message);
STANDIN_MODEL_INSTANTIATE(binary_message);
STANDIN_MODEL_INSTANTIATE(publish_message);
STANDIN_MODEL_INSTANTIATE(subscription_response_message);
STANDIN_MODEL_INSTANTIATE(publish_to_topic_request);
STANDIN_MODEL_INSTANTIATE(publish_to_topic_response);
STANDIN_MODEL_INSTANTIATE(subscribe_to_topic_request);
STANDIN_MODEL_INSTANTIATE(subscribe_to_topic_response);

}  // namespace standin::model
