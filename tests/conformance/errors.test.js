// SPDX-License-Identifier: Apache-2.0
//
// Modeled errors as the JS SDK surfaces them (protocol.md §4.4): RpcError type ServiceError (8)
// with `serviceError` = the JSON error body {message, _service, _message, _errorCode}.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const {
    daemonForTest, pubsubRecipe, openRecipe, subscribe, publishJson, rejectionOf, withDeadline, onTheWire, wire,
    RpcError, RpcErrorType, PUBLISH, SUBSCRIBE, DEFAULT_WAIT_MS,
} = require('./lib/daemon');

const T = { timeout: 30000 };
const SERVICE = 'aws.greengrass#GreengrassCoreIPC';

function assertModeledError(err, errorCode, message) {
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err && err.stack ? err.stack : err}`);
    assert.equal(err.type, RpcErrorType.ServiceError,
                 `expected RpcError type ServiceError (8), got ${RpcErrorType[err.type]} (${err.type}): ${err.description}`);
    assert.equal(err.description, 'Eventstream RPC request failed.  Check serviceError property for details.');
    assert.ok(err.serviceError, 'RpcError.serviceError is set');
    assert.equal(err.serviceError._errorCode, errorCode);
    assert.equal(err.serviceError.message, message);
    // protocol.md §4.4: "Emit all four keys".
    assert.equal(err.serviceError._message, message);
    assert.equal(err.serviceError._service, SERVICE);
}

function denied(component, operation, resource) {
    return `Principal ${component} is not authorized to perform aws.greengrass.ipc.pubsub:${operation} on resource ${resource}`;
}

const LIMITED = 'com.conf.Limited';
function limitedRecipes() {
    return [
        pubsubRecipe(LIMITED, [
            { operations: [PUBLISH], resources: ['allowed/pub/*'] },
            { operations: [SUBSCRIBE], resources: ['allowed/sub/*'] },
        ]),
        pubsubRecipe('com.conf.NoPolicy', []),
        openRecipe('com.conf.Open'),
    ];
}

// semantics.md §2.3, §3.1.
test('unauthorized publish surfaces UnauthorizedError with the nucleus message', T, async (t) => {
    const daemon = await daemonForTest(t, limitedRecipes());
    const client = await daemon.connect(LIMITED);
    const err = await rejectionOf(
        client.publishToTopic({ topic: 'denied/x', publishMessage: { jsonMessage: { message: { a: 1 } } } }),
        DEFAULT_WAIT_MS, 'unauthorized publish');
    assertModeledError(err, 'UnauthorizedError', denied(LIMITED, PUBLISH, 'denied/x'));

    // Subscribe permission on a topic does not grant publish on it.
    const err2 = await rejectionOf(
        client.publishToTopic({ topic: 'allowed/sub/x', publishMessage: { jsonMessage: { message: { a: 1 } } } }),
        DEFAULT_WAIT_MS, 'publish with only a subscribe policy');
    assertModeledError(err2, 'UnauthorizedError', denied(LIMITED, PUBLISH, 'allowed/sub/x'));

    // The connection survives a refused request; an allowed publish works.
    assert.deepEqual(await publishJson(client, 'allowed/pub/x', { a: 1 }), {});
});

// semantics.md §3.2: the resource is the filter as given.
// The refused stream delivering nothing is checked on the wire (the SDK drops what arrives on a
// stream it has closed): the client's connection runs through a tap (lib/tap.js).
test('unauthorized subscribe surfaces UnauthorizedError with the nucleus message', T, async (t) => {
    const daemon = await daemonForTest(t, limitedRecipes());
    const { client, tap } = await daemon.connectTapped(LIMITED);
    const op = client.subscribeToTopic({ topic: 'denied/#' });
    const messages = [];
    op.on('message', (m) => messages.push(m));
    const err = await rejectionOf(op.activate(), DEFAULT_WAIT_MS, 'unauthorized subscribe');
    assertModeledError(err, 'UnauthorizedError', denied(LIMITED, SUBSCRIBE, 'denied/#'));

    const err2 = await rejectionOf(client.subscribeToTopic({ topic: 'allowed/pub/x' }).activate(),
                                   DEFAULT_WAIT_MS, 'subscribe with only a publish policy');
    assertModeledError(err2, 'UnauthorizedError', denied(LIMITED, SUBSCRIBE, 'allowed/pub/x'));

    // Allowed subscribe on the same connection works, and the refused ones deliver nothing.
    const ok = await subscribe(client, 'allowed/sub/t');
    const open = await daemon.connect('com.conf.Open');
    await publishJson(open, 'denied/t', { n: 0 });
    await publishJson(open, 'allowed/pub/x', { n: 0 });
    await publishJson(open, 'allowed/sub/t', { n: 1 });
    assert.deepEqual((await ok.collector.count(1)).map((m) => m.jsonMessage.message), [{ n: 1 }]);
    assert.deepEqual(messages, []);

    const seen = await onTheWire(tap);
    for (const topic of ['denied/#', 'allowed/pub/x']) {
        const { first, later } = seen.byStream.get(tap.streamOf(SUBSCRIBE, (r) => r.topic === topic));
        assert.deepEqual([first.type, first.flags, first.header('service-model-type')],
                         [wire.MESSAGE_TYPES.APPLICATION_ERROR, wire.FLAG_TERMINATE_STREAM, 'aws.greengrass#UnauthorizedError'],
                         `${topic}: ${first.describe()}`);
        assert.deepEqual(later.map((f) => f.describe()), [], `the refused subscription to ${topic} received frames`);
    }
    assert.deepEqual(seen.events(SUBSCRIBE, (r) => r.topic === 'allowed/sub/t'), [{ n: 1 }]);
    assert.deepEqual(seen.strays(), []);
});

test('a component without any pubsub policy can neither publish nor subscribe', T, async (t) => {
    const daemon = await daemonForTest(t, limitedRecipes());
    const client = await daemon.connect('com.conf.NoPolicy');
    const err = await rejectionOf(
        client.publishToTopic({ topic: 't', publishMessage: { jsonMessage: { message: {} } } }),
        DEFAULT_WAIT_MS, 'publish without policy');
    assertModeledError(err, 'UnauthorizedError', denied('com.conf.NoPolicy', PUBLISH, 't'));
    const err2 = await rejectionOf(client.subscribeToTopic({ topic: 't' }).activate(), DEFAULT_WAIT_MS,
                                   'subscribe without policy');
    assertModeledError(err2, 'UnauthorizedError', denied('com.conf.NoPolicy', SUBSCRIBE, 't'));
});

// semantics.md §2.3: `*` in a policy resource matches any characters including `/`; `#` and `+`
// in the requested filter are plain characters to authorization.
test('policy glob "allowed/sub/*" authorizes the filter "allowed/sub/#"', T, async (t) => {
    const daemon = await daemonForTest(t, limitedRecipes());
    const client = await daemon.connect(LIMITED);
    const s = await subscribe(client, 'allowed/sub/#');
    assert.deepEqual(s.response, {});
    assert.deepEqual(await publishJson(client, 'allowed/pub/a/b/c', { deep: true }), {});
});

// semantics.md §3.1: the nucleus answers a wildcard in a publish topic with the modeled
// InvalidArgumentsError "Publish topic must not contain a wildcard." (after authz). That shape is
// NOT in PublishToTopic's error list in the JS SDK's service model (only ServiceError and
// UnauthorizedError are), so per protocol.md §4.4 the JS client reports
// RpcError InternalError "Unexpected response shape received: 'aws.greengrass#InvalidArgumentsError'"
// without serviceError. That is what a component sees against the real nucleus too.
test('publishing to a topic with a wildcard fails (InvalidArgumentsError, outside the JS error list)', T, async (t) => {
    const daemon = await daemonForTest(t, limitedRecipes());
    const client = await daemon.connect('com.conf.Open');
    for (const topic of ['a/+/b', 'a/#', 'a*b', '#']) {
        const err = await rejectionOf(
            client.publishToTopic({ topic, publishMessage: { jsonMessage: { message: {} } } }),
            DEFAULT_WAIT_MS, `publish to ${topic}`);
        assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
        assert.equal(err.type, RpcErrorType.InternalError,
                     `publish to ${topic}: got ${RpcErrorType[err.type]}: ${err.description}`);
        assert.equal(err.description, "Unexpected response shape received: 'aws.greengrass#InvalidArgumentsError'");
        assert.equal(err.serviceError, undefined);
    }
    // Authorization comes first: without permission the same topic is UnauthorizedError.
    const limited = await daemon.connect(LIMITED);
    const err = await rejectionOf(
        limited.publishToTopic({ topic: 'denied/#', publishMessage: { jsonMessage: { message: {} } } }),
        DEFAULT_WAIT_MS, 'unauthorized wildcard publish');
    assertModeledError(err, 'UnauthorizedError', denied(LIMITED, PUBLISH, 'denied/#'));
    assert.deepEqual(await publishJson(client, 'a/b', {}), {}, 'connection still usable');
});

// semantics.md §2.3: an empty resource fails authorization with "Resource cannot be empty",
// surfaced as UnauthorizedError by the pubsub handlers.
test('an empty topic is UnauthorizedError "Resource cannot be empty"', T, async (t) => {
    const daemon = await daemonForTest(t, limitedRecipes());
    const client = await daemon.connect('com.conf.Open');
    const err = await rejectionOf(
        client.publishToTopic({ topic: '', publishMessage: { jsonMessage: { message: {} } } }),
        DEFAULT_WAIT_MS, 'publish to ""');
    assertModeledError(err, 'UnauthorizedError', 'Resource cannot be empty');
    const err2 = await rejectionOf(client.subscribeToTopic({ topic: '' }).activate(), DEFAULT_WAIT_MS,
                                   'subscribe to ""');
    assertModeledError(err2, 'UnauthorizedError', 'Resource cannot be empty');
});

// protocol.md §4.4 + semantics.md §2.5: a modeled operation with no service behind it answers
// ServiceError "Operation <op> is not supported by Greengrass", like the nucleus's
// DefaultOperationHandler. standin serves all 34; with `--profile lite` it serves only lite's 11,
// and GetSecretValue is not one of them.
test('an unserved modeled operation surfaces ServiceError "not supported by Greengrass"', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.Open')], { args: ['--profile', 'lite'] });
    const client = await daemon.connect('com.conf.Open');
    const err = await rejectionOf(client.getSecretValue({ secretId: 'db-password' }), DEFAULT_WAIT_MS,
                                  'getSecretValue');
    assertModeledError(err, 'ServiceError', 'Operation aws.greengrass#GetSecretValue is not supported by Greengrass');
    // Still connected and usable.
    assert.deepEqual(await withDeadline(
        client.publishToTopic({ topic: 'after/unsupported', publishMessage: { jsonMessage: { message: {} } } }),
        DEFAULT_WAIT_MS, 'publish after unsupported op'), {});
});
