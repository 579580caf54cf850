// SPDX-License-Identifier: Apache-2.0
//
// The wire tap (lib/tap.js) sees what the SDK hides, so the "nothing more arrived" checks built on
// it can fail. A fake daemon that keeps sending on a stream the client has closed: the SDK drops
// the stray event without a trace, the tap's barrier returns it.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { greengrasscoreipc, io } = require('aws-iot-device-sdk-v2');
const { WireTap } = require('./lib/tap');
const wire = require('./lib/wire');
const { Collector, withDeadline, DEFAULT_WAIT_MS } = require('./lib/daemon');

const { MESSAGE_TYPES: M } = wire;
const json = (name, value) => wire.string(name, value);

/** A server that answers CONNECT, SubscribeToTopic and PING, and sends an event after every TERMINATE. */
async function misbehavingDaemon() {
    const dir = fs.mkdtempSync(path.join('/tmp', 'fake-'));
    const socket = path.join(dir, 's');
    const conns = new Set();
    const server = net.createServer((conn) => {
        conns.add(conn);
        const reader = new wire.FrameReader();
        conn.on('error', () => {});
        conn.on('data', (chunk) => {
            for (const f of reader.push(chunk)) {
                if (f.type === M.CONNECT) {
                    conn.write(wire.encodeFrame(wire.rpcHeaders(M.CONNECT_ACK, wire.FLAG_CONNECTION_ACCEPTED, 0)));
                } else if (f.type === M.PING) {
                    conn.write(wire.encodeFrame([...wire.rpcHeaders(M.PING_RESPONSE, 0, 0),
                                                 ...f.headers.filter((h) => !h.name.startsWith(':'))], f.payload));
                } else if (f.operation === 'aws.greengrass#SubscribeToTopic') {
                    conn.write(wire.encodeFrame([json(':content-type', 'application/json'),
                                                 json('service-model-type', 'aws.greengrass#SubscribeToTopicResponse'),
                                                 ...wire.rpcHeaders(M.APPLICATION_MESSAGE, 0, f.streamId)], '{}'));
                } else if (f.type === M.APPLICATION_MESSAGE && f.flags & wire.FLAG_TERMINATE_STREAM) {
                    conn.write(wire.encodeFrame([json(':content-type', 'application/json'),
                                                 json('service-model-type', 'aws.greengrass#SubscriptionResponseMessage'),
                                                 ...wire.rpcHeaders(M.APPLICATION_MESSAGE, 0, f.streamId)],
                                                JSON.stringify({ jsonMessage: { message: { stray: true }, context: { topic: 't' } } })));
                }
            }
        });
    });
    await new Promise((resolve) => server.listen(socket, resolve));
    return {
        socket,
        async close() {
            for (const conn of conns) conn.destroy();
            await new Promise((resolve) => server.close(resolve));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

test('a frame the SDK drops on a closed stream still shows in the tap barrier', { timeout: 30000 }, async (t) => {
    const fake = await misbehavingDaemon();
    const tap = await WireTap.start(fake.socket);
    const client = greengrasscoreipc.createClient({
        hostName: tap.path,
        port: 0,
        socketOptions: new io.SocketOptions(io.SocketType.STREAM, io.SocketDomain.LOCAL),
        connectTransform: async ({ message }) => ({ ...message, payload: JSON.stringify({ authToken: 'x' }) }),
    });
    t.after(async () => {
        await withDeadline(client.close(), DEFAULT_WAIT_MS, 'client.close()');
        await tap.close();
        await fake.close();
    });
    await withDeadline(client.connect(), DEFAULT_WAIT_MS, 'connect to the fake daemon');
    tap.attach(client);

    const op = client.subscribeToTopic({ topic: 't' });
    const collector = new Collector(op, 'stray test');
    await withDeadline(op.activate(), DEFAULT_WAIT_MS, 'subscribe');
    tap.mark();
    await withDeadline(op.close(), DEFAULT_WAIT_MS, 'close');

    const after = await tap.barrier();
    assert.deepEqual(after.map((f) => [f.streamId, f.json()]),
                     [[1, { jsonMessage: { message: { stray: true }, context: { topic: 't' } } }]],
                     'the tap shows the event sent after the close');
    assert.deepEqual(collector.messages, [], 'the SDK delivered nothing: only the wire shows the stray event');
    assert.deepEqual(tap.errors, []);
});
