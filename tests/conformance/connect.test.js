// SPDX-License-Identifier: Apache-2.0
//
// Handshake (protocol.md §3): the SDK's connect() against the real daemon, accepted and refused.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const {
    daemonForTest, openRecipe, subscribe, withDeadline, rejectionOf, RpcError, RpcErrorType, DEFAULT_WAIT_MS,
} = require('./lib/daemon');

const T = { timeout: 30000 };

test('connect with the component token succeeds', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.A')]);
    const client = await daemon.clientFor('com.conf.A');
    await withDeadline(client.connect(), DEFAULT_WAIT_MS, 'connect');
    // The connection is usable: a request/response round trip completes.
    const response = await withDeadline(
        client.publishToTopic({ topic: 'conf/connect', publishMessage: { jsonMessage: { message: { ok: true } } } }),
        DEFAULT_WAIT_MS, 'publish after connect');
    assert.deepEqual(response, {});
});

test('standin env exports what an unmodified component needs, and createClient() connects with it', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.A'), openRecipe('com.conf.B')]);
    // contract.md: the ready line names the socket; the brief adds root= and components=.
    assert.match(daemon.readyLine, /\bcomponents=2\b/);
    assert.ok(daemon.readyLine.includes(`root=${daemon.root}`), daemon.readyLine);
    const env = await daemon.envFor('com.conf.A');
    assert.equal(env.AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT, daemon.socket);
    for (const name of ['SVCUID', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT',
                        'AWS_IOT_THING_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'GGC_VERSION']) {
        assert.ok(env[name] !== undefined, `standin env does not export ${name}`);
    }
    assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN, env.SVCUID);
    assert.notEqual(env.SVCUID, (await daemon.envFor('com.conf.B')).SVCUID, 'tokens are per component');

    // A subscriber as B proves the child's publish really went through the daemon.
    const b = await daemon.connect('com.conf.B');
    const sub = await subscribe(b, 'conf/env');

    // NODE_PATH only says where the SDK is installed (run.sh); the identity comes from `env`.
    const childEnv = { PATH: process.env.PATH, NODE_PATH: process.env.NODE_PATH, ...env };
    const stdout = await withDeadline(new Promise((resolve, reject) => {
        execFile(process.execPath, [path.join(__dirname, 'lib', 'env_client.js'), 'conf/env', '{"from":"child"}'],
                 { env: childEnv, cwd: __dirname }, (err, out, errText) => {
                     if (err) reject(new Error(`env_client failed: ${errText}`));
                     else resolve(out);
                 });
    }), 20000, 'child process using createClient() from the environment');
    const result = JSON.parse(stdout.trim());
    assert.deepEqual(result, { connected: true, published: true });

    const [msg] = await sub.collector.count(1);
    assert.deepEqual(msg.jsonMessage.message, { from: 'child' });
});

// protocol.md §3.3 step 2 + §3.4: an unknown token gets a CONNECT_ACK without
// CONNECTION_ACCEPTED; the JS client rejects connect() with RpcError HandshakeError
// "Failed to establish eventstream RPC connection - invalid connack". (A close without an ack
// would surface as NetworkError instead, which the spec forbids.)
test('connect with a wrong token is refused with HandshakeError', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.A')]);
    const good = (await daemon.envFor('com.conf.A')).SVCUID;
    const bad = good.split('').reverse().join('') + 'X';
    const client = await daemon.clientFor('com.conf.A', { authToken: bad });
    const err = await rejectionOf(client.connect(), DEFAULT_WAIT_MS, 'connect with a wrong token');
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.equal(err.type, RpcErrorType.HandshakeError,
                 `expected HandshakeError (${RpcErrorType.HandshakeError}), got ${RpcErrorType[err.type]} (${err.type}): ` +
                 `${err.description}`);
    assert.equal(err.description, 'Failed to establish eventstream RPC connection - invalid connack');
    assert.equal(err.serviceError, undefined);

    // The daemon is unharmed: the right token still connects.
    await daemon.connect('com.conf.A');
});

// protocol.md §3.2: with SVCUID unset the JS client sends CONNECT with no payload; §3.3 step 2:
// the nucleus fails to parse it and rejects with an ack.
test('connect without an auth token is refused with HandshakeError', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.A')]);
    const client = await daemon.clientFor('com.conf.A', { authToken: null });
    const err = await rejectionOf(client.connect(), DEFAULT_WAIT_MS, 'connect without a token');
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.equal(err.type, RpcErrorType.HandshakeError,
                 `expected HandshakeError, got ${RpcErrorType[err.type]}: ${err.description}`);
});

// contract.md `standin serve`: SIGTERM closes every connection, removes the socket, exits 0.
test('SIGTERM disconnects SDK clients, removes the socket and exits 0', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.A')]);
    const client = await daemon.connect('com.conf.A');
    const disconnected = new Promise((resolve) => client.on('disconnection', resolve));
    assert.ok(fs.existsSync(daemon.socket), `socket ${daemon.socket} exists while serving`);
    const exit = await daemon.terminate();
    assert.deepEqual(exit, { code: 0, signal: null });
    await withDeadline(disconnected, DEFAULT_WAIT_MS, 'SDK disconnection event after SIGTERM');
    assert.ok(!fs.existsSync(daemon.socket), 'socket file removed after SIGTERM');
});
