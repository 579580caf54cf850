// SPDX-License-Identifier: Apache-2.0
//
// The configuration store through the SDK (semantics.md §4): GetConfiguration, UpdateConfiguration,
// SubscribeToConfigurationUpdate, SubscribeToValidateConfigurationUpdates and
// SendConfigurationValidityReport, success paths and the documented errors.
//
// "X gets no event" never waits for a timeout: events on one stream arrive in order, so once a
// later event that X does get has arrived, an earlier one would have arrived first.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const { daemonForTest, Collector, withDeadline, rejectionOf, RpcError, DEFAULT_WAIT_MS } = require('./lib/daemon');

const T = { timeout: 30000 };

const A = 'com.conf.ConfigA';
const B = 'com.conf.ConfigB';

const A_DEFAULTS = { mqtt: { port: 8883, host: 'localhost' }, interval: 10, tags: ['a', 'b'] };

function configRecipe(name, configuration) {
    return {
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: '1.0.0',
        ComponentConfiguration: { DefaultConfiguration: configuration },
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { Run: 'true' } }],
    };
}

async function twoComponents(t) {
    const daemon = await daemonForTest(t, [configRecipe(A, A_DEFAULTS), configRecipe(B, { level: 'info' })]);
    return { daemon, a: await daemon.connect(A), b: await daemon.connect(B) };
}

function call(promise, what) {
    return withDeadline(promise, DEFAULT_WAIT_MS, what);
}

async function watch(client, request, label) {
    const operation = client.subscribeToConfigurationUpdate(request);
    const collector = new Collector(operation, label);
    const response = await withDeadline(operation.activate(), DEFAULT_WAIT_MS, label);
    return { operation, collector, response };
}

async function expectModeledError(promise, code, message) {
    const err = await rejectionOf(promise, DEFAULT_WAIT_MS, code);
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.equal(err.serviceError?._errorCode, code, `${err.description}`);
    assert.equal(err.serviceError.message, message);
}

test('GetConfiguration: whole tree, container, leaf wrapped in its name, another component', T, async (t) => {
    const { a, b } = await twoComponents(t);
    assert.deepEqual(await call(a.getConfiguration({ keyPath: [] }), 'get whole'), { componentName: A, value: A_DEFAULTS });
    assert.deepEqual(await call(a.getConfiguration({ keyPath: ['mqtt'] }), 'get container'),
                     { componentName: A, value: A_DEFAULTS.mqtt });
    assert.deepEqual(await call(a.getConfiguration({ keyPath: ['MQTT', 'Port'] }), 'get leaf'),
                     { componentName: A, value: { port: 8883 } });
    assert.deepEqual(await call(b.getConfiguration({ componentName: A, keyPath: ['tags'] }), 'get other'),
                     { componentName: A, value: { tags: ['a', 'b'] } });
});

test('GetConfiguration: unknown component or key is ResourceNotFoundError "Key not found"', T, async (t) => {
    const { a } = await twoComponents(t);
    await expectModeledError(a.getConfiguration({ componentName: 'com.conf.Nobody', keyPath: [] }), 'ResourceNotFoundError',
                             'Key not found');
    await expectModeledError(a.getConfiguration({ keyPath: ['mqtt', 'nope'] }), 'ResourceNotFoundError',
                             'Key not found');
});

test('UpdateConfiguration merges into the caller\'s own configuration', T, async (t) => {
    const { a, b } = await twoComponents(t);
    assert.deepEqual(await call(a.updateConfiguration({ keyPath: ['mqtt'], timestamp: new Date(),
                                                        valueToMerge: { port: 1883, tls: true } }), 'update'), {});
    const got = await call(b.getConfiguration({ componentName: A, keyPath: ['mqtt'] }), 'get');
    assert.deepEqual(got.value, { port: 1883, host: 'localhost', tls: true });
    await call(b.updateConfiguration({ keyPath: [], timestamp: new Date(), valueToMerge: { interval: 1 } }), 'b');
    const a_interval = await call(a.getConfiguration({ keyPath: ['interval'] }), 'get a');
    assert.deepEqual(a_interval.value, { interval: 10 }, 'B\'s update did not touch A');
});

test('UpdateConfiguration: an older timestamp is FailedUpdateConditionCheckError', T, async (t) => {
    const { a } = await twoComponents(t);
    const now = new Date();
    await call(a.updateConfiguration({ keyPath: ['mqtt'], timestamp: now, valueToMerge: { port: 1 } }), 'update');
    await expectModeledError(
        a.updateConfiguration({ keyPath: ['mqtt'], timestamp: new Date(now.getTime() - 10000),
                                valueToMerge: { port: 2 } }),
        'FailedUpdateConditionCheckError', 'Proposed timestamp is older than the config\'s latest modified timestamp');
    const got = await call(a.getConfiguration({ keyPath: ['mqtt', 'port'] }), 'get');
    assert.deepEqual(got.value, { port: 1 });
});

test('UpdateConfiguration: accessControl is refused', T, async (t) => {
    const { a } = await twoComponents(t);
    const message = 'Config update is not allowed for following fields [accessControl]';
    await expectModeledError(a.updateConfiguration({ keyPath: [], timestamp: new Date(),
                                                     valueToMerge: { accessControl: {} } }),
                             'InvalidArgumentsError', message);
    await expectModeledError(a.updateConfiguration({ keyPath: ['accessControl'], timestamp: new Date(),
                                                     valueToMerge: { x: 1 } }),
                             'InvalidArgumentsError', message);
});

test('SubscribeToConfigurationUpdate: one event per changed path, for the same and another component', T,
     async (t) => {
    const { a, b } = await twoComponents(t);
    const own = await watch(a, { keyPath: [] }, 'A watching A');
    assert.deepEqual(own.response, {});
    const other = await watch(b, { componentName: A, keyPath: ['mqtt'] }, 'B watching A.mqtt');
    const filtered = await watch(b, { componentName: A, keyPath: ['interval'] }, 'B watching A.interval');

    await call(a.updateConfiguration({ keyPath: ['mqtt'], timestamp: new Date(),
                                       valueToMerge: { port: 1, host: 'h' } }), 'update mqtt');
    const expected = [
        { configurationUpdateEvent: { componentName: A, keyPath: ['mqtt', 'host'] } },
        { configurationUpdateEvent: { componentName: A, keyPath: ['mqtt', 'port'] } },
    ];
    assert.deepEqual(await own.collector.count(2), expected);
    assert.deepEqual(await other.collector.count(2), expected);

    // The marker: an update that the interval watcher does see, after the one it must not.
    await call(a.updateConfiguration({ keyPath: [], timestamp: new Date(), valueToMerge: { interval: 5 } }),
               'update interval');
    const seen = await filtered.collector.count(1);
    assert.deepEqual(seen, [{ configurationUpdateEvent: { componentName: A, keyPath: ['interval'] } }]);
    for (const s of [own, other, filtered]) await s.operation.close();
});

test('SubscribeToConfigurationUpdate: unknown component or key is "Key not found"', T, async (t) => {
    const { a } = await twoComponents(t);
    for (const request of [{ componentName: 'com.conf.Nobody', keyPath: [] }, { keyPath: ['not', 'there'] }]) {
        const operation = a.subscribeToConfigurationUpdate(request);
        await expectModeledError(operation.activate(), 'ResourceNotFoundError', 'Key not found');
    }
});

test('SubscribeToValidateConfigurationUpdates is accepted; reports nobody asked for are refused', T,
     async (t) => {
    const { a } = await twoComponents(t);
    const operation = a.subscribeToValidateConfigurationUpdates({});
    assert.deepEqual(await withDeadline(operation.activate(), DEFAULT_WAIT_MS, 'validate subscribe'), {});
    await expectModeledError(
        a.sendConfigurationValidityReport({ configurationValidityReport: {
            status: 'ACCEPTED', deploymentId: '5d0b8d4e-0000-4000-8000-000000000001' } }),
        'InvalidArgumentsError', 'Validation request either timed out or was never made');
    await operation.close();
});
