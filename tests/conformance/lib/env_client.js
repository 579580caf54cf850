// SPDX-License-Identifier: Apache-2.0
//
// Runs as a separate node process whose environment is exactly what `standin env` printed, the
// way a Greengrass component process starts: greengrasscoreipc.createClient() with no config
// reads SVCUID and AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT itself.
//
// argv: <topic> <json-message>. Connects, publishes the message to the topic, and prints one
// JSON line {connected, published, error?} to stdout. Exit 0 when it could report.
'use strict';

const { greengrasscoreipc } = require('aws-iot-device-sdk-v2');

async function main() {
    const [topic, message] = process.argv.slice(2);
    const result = { connected: false, published: false };
    const client = greengrasscoreipc.createClient();
    try {
        await client.connect();
        result.connected = true;
        await client.publishToTopic({ topic, publishMessage: { jsonMessage: { message: JSON.parse(message) } } });
        result.published = true;
    } catch (err) {
        result.error = { type: err.type, description: err.description, serviceError: err.serviceError };
    } finally {
        await client.close();
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(`env_client: ${err && err.stack ? err.stack : err}\n`);
        process.exit(1);
    });
