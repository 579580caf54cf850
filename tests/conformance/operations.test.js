// SPDX-License-Identifier: Apache-2.0
//
// Every operation of the SDK's own client (independent of standin's operation table) reaches the
// daemon as a modeled operation: it is served, or it answers the nucleus's "not supported"
// ServiceError (semantics.md §0) — never the framework's "Unsupported Operation", which the SDK
// reports as an unmapped InternalError.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const { greengrasscoreipc } = require('aws-iot-device-sdk-v2');
const { daemonForTest, openRecipe, withDeadline, RpcError, RpcErrorType, DEFAULT_WAIT_MS } =
    require('./lib/daemon');

const T = { timeout: 60000 };

// The SDK client's operation methods: its prototype minus the connection plumbing.
function sdkOperations() {
    const plumbing = new Set(['constructor', 'connect', 'close', 'on', 'emit', 'addListener',
                              'removeListener', 'removeAllListeners', 'once', 'off']);
    return Object.getOwnPropertyNames(greengrasscoreipc.Client.prototype)
        .filter((name) => !plumbing.has(name) && !name.startsWith('_') &&
                          typeof greengrasscoreipc.Client.prototype[name] === 'function');
}

const SERVED = new Set(['publishToTopic', 'subscribeToTopic', 'getConfiguration', 'updateConfiguration',
                        'subscribeToConfigurationUpdate', 'subscribeToValidateConfigurationUpdates',
                        'updateState', 'subscribeToComponentUpdates']);
// Served operations whose minimal request below is answered with a modeled error of their own.
const SERVED_WITH_ERROR = new Map([['sendConfigurationValidityReport', 'InvalidArgumentsError'],
                                   // com.conf.Ops has no ShadowManager policy; the secret "secret" is not configured.
                                   ['getThingShadow', 'UnauthorizedError'], ['updateThingShadow', 'UnauthorizedError'],
                                   ['deleteThingShadow', 'UnauthorizedError'],
                                   ['listNamedShadowsForThing', 'UnauthorizedError'],
                                   ['getSecretValue', 'ResourceNotFoundError'],
                                   ['pauseComponent', 'UnauthorizedError'],
                                   // Not subscribed to component updates (any subscription is closed first).
                                   ['deferComponentUpdate', 'InvalidArgumentsError'],
                                   ['resumeComponent', 'UnauthorizedError'],
                                   // No aws.greengrass.clientdevices.Auth policy; not an aws.* component (metrics);
                                   // not the stream manager (tokens); no aws.greengrass.Cli policy.
                                   ['verifyClientDeviceIdentity', 'UnauthorizedError'],
                                   ['getClientDeviceAuthToken', 'UnauthorizedError'],
                                   ['authorizeClientDeviceAction', 'UnauthorizedError'],
                                   ['subscribeToCertificateUpdates', 'UnauthorizedError'],
                                   ['putComponentMetric', 'UnauthorizedError'],
                                   ['validateAuthorizationToken', 'UnauthorizedError'],
                                   ['createDebugPassword', 'UnauthorizedError'],
                                   // No aws.greengrass.ipc.mqttproxy policy: "Not Authorized".
                                   ['publishToIoTCore', 'UnauthorizedError'],
                                   ['subscribeToIoTCore', 'UnauthorizedError']]);
// Served operations answered with an error their model does not list (the nucleus sends it all
// the same: com.conf.Ops has no aws.greengrass.Cli policy), which the SDK rejects by its shape.
const SERVED_WITH_UNLISTED_ERROR = new Map([['listComponents', 'UnauthorizedError'],
                                            ['getComponentDetails', 'UnauthorizedError'],
                                            ['restartComponent', 'UnauthorizedError'],
                                            ['stopComponent', 'UnauthorizedError'],
                                            ['createLocalDeployment', 'UnauthorizedError'],
                                            ['getLocalDeploymentStatus', 'UnauthorizedError'],
                                            ['listLocalDeployments', 'UnauthorizedError'],
                                            // Not registered for aws.greengrass.Cli: only the CLI itself passes.
                                            ['cancelLocalDeployment', 'UnauthorizedError']]);

// Minimal requests the SDK accepts for each method: it refuses to send a request whose required
// members are missing (model_utils.js validate*Request).
const REQUESTS = {
    authorizeClientDeviceAction: { clientDeviceAuthToken: 'token', operation: 'mqtt:publish', resource: 'mqtt:topic:t' },
    cancelLocalDeployment: { deploymentId: '5d0b8d4e-0000-4000-8000-000000000001' },
    deferComponentUpdate: { deploymentId: '5d0b8d4e-0000-4000-8000-000000000001' },
    deleteThingShadow: { thingName: 'thing' },
    getClientDeviceAuthToken: { credential: { mqttCredential: { clientId: 'sensor-1', certificatePem: 'cert' } } },
    getComponentDetails: { componentName: 'com.conf.Ops' },
    getConfiguration: { keyPath: [] },
    getLocalDeploymentStatus: { deploymentId: '5d0b8d4e-0000-4000-8000-000000000001' },
    getSecretValue: { secretId: 'secret' },
    getThingShadow: { thingName: 'thing' },
    listNamedShadowsForThing: { thingName: 'thing' },
    pauseComponent: { componentName: 'com.conf.Ops' },
    publishToIoTCore: { topicName: 'conformance/ops', qos: '0' },
    publishToTopic: { topic: 'conformance/ops', publishMessage: { jsonMessage: { message: { a: 1 } } } },
    putComponentMetric: { metrics: [{ name: 'm', unit: 'COUNT', value: 1 }] },
    restartComponent: { componentName: 'com.conf.Ops' },
    resumeComponent: { componentName: 'com.conf.Ops' },
    sendConfigurationValidityReport: {
        configurationValidityReport: { status: 'ACCEPTED', deploymentId: '5d0b8d4e-0000-4000-8000-000000000001' },
    },
    stopComponent: { componentName: 'com.conf.Ops' },
    subscribeToCertificateUpdates: { certificateOptions: { certificateType: 'SERVER' } },
    subscribeToConfigurationUpdate: { keyPath: [] },
    subscribeToIoTCore: { topicName: 'conformance/ops', qos: '0' },
    subscribeToTopic: { topic: 'conformance/ops' },
    updateConfiguration: { keyPath: [], timestamp: new Date(), valueToMerge: { a: 1 } },
    updateState: { state: 'RUNNING' },
    updateThingShadow: { thingName: 'thing', payload: '{}' },
    validateAuthorizationToken: { token: 'token' },
    verifyClientDeviceIdentity: { credential: { clientDeviceCertificate: 'cert' } },
};

test('the SDK client has the 34 operations of the model', T, () => {
    assert.equal(sdkOperations().length, 34, sdkOperations().join(', '));
});

test('every SDK operation is served or answers the nucleus not-supported ServiceError', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.Ops')]);
    const client = await daemon.connect('com.conf.Ops');
    for (const method of sdkOperations()) {
        const request = REQUESTS[method] ?? {};
        const call = client[method](request);
        // Streaming operations return an operation object to activate; the others a promise.
        const pending = typeof call.activate === 'function' ? call.activate() : call;
        let outcome;
        try {
            outcome = { response: await withDeadline(pending, DEFAULT_WAIT_MS, method) };
        } catch (err) {
            outcome = { error: err };
        } finally {
            if (typeof call.close === 'function') await call.close().catch(() => {});
        }
        if (SERVED.has(method)) {
            assert.ok(outcome.response, `${method}: ${outcome.error}`);
            continue;
        }
        const err = outcome.error;
        if (SERVED_WITH_UNLISTED_ERROR.has(method)) {
            assert.match(err?.description ?? '', new RegExp(
                `Unexpected response shape received: 'aws.greengrass#${SERVED_WITH_UNLISTED_ERROR.get(method)}'`),
                         `${method}: ${err}`);
            continue;
        }
        if (SERVED_WITH_ERROR.has(method)) {
            assert.equal(err?.serviceError?._errorCode, SERVED_WITH_ERROR.get(method), `${method}: ${err}`);
            continue;
        }
        assert.ok(err instanceof RpcError, `${method}: expected an RpcError, got ${err ?? JSON.stringify(outcome)}`);
        assert.equal(err.type, RpcErrorType.ServiceError,
                     `${method}: ${RpcErrorType[err.type]}: ${err.description}`);
        assert.equal(err.serviceError._errorCode, 'ServiceError', method);
        const name = method[0].toUpperCase() + method.slice(1);
        assert.equal(err.serviceError.message,
                     `Operation aws.greengrass#${name} is not supported by Greengrass`);
    }
});
