// SPDX-License-Identifier: Apache-2.0
//
// Client device auth, metrics, tokens and the debug password through the SDK (semantics.md §8.4,
// §9): a broker component verifies fixture devices, gets their auth tokens and asks what they may
// do under the aws.greengrass.clientdevices.Auth device groups, and receives the local CA's
// server certificate; an aws.* component puts metrics; the stream manager validates tokens; the
// debug password comes with its expiry and fingerprints. Errors as the SDK reports them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const { daemonForTest, Collector, withDeadline, rejectionOf, RpcError, DEFAULT_WAIT_MS } = require('./lib/daemon');

const T = { timeout: 30000 };

const BROKER = 'com.conf.Broker';
const METRICS = 'aws.conf.Metrics';
const STREAM_MANAGER = 'aws.greengrass.StreamManager';
const DEBUGGER = 'com.conf.Debugger';
const CDA = 'aws.greengrass.clientdevices.Auth';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'clientdevices');
const pem = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function recipe(name, configuration) {
    return {
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: '1.0.0',
        ComponentConfiguration: { DefaultConfiguration: configuration },
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { Run: 'true' } }],
    };
}

function policy(service, name, operations) {
    return { accessControl: { [service]: { [`${name}:1`]: { operations, resources: ['*'] } } } };
}

const RECIPES = [
    recipe(BROKER, policy(CDA, BROKER, ['aws.greengrass#VerifyClientDeviceIdentity',
                                        'aws.greengrass#GetClientDeviceAuthToken',
                                        'aws.greengrass#AuthorizeClientDeviceAction',
                                        'aws.greengrass#SubscribeToCertificateUpdates'])),
    recipe(METRICS, policy('aws.greengrass.ipc.componentmetric', METRICS, ['aws.greengrass#PutComponentMetric'])),
    recipe(STREAM_MANAGER, {}),
    recipe(DEBUGGER, policy('aws.greengrass.Cli', DEBUGGER, ['aws.greengrass#CreateDebugPassword'])),
    recipe(CDA, {
        deviceGroups: {
            formatVersion: '2021-03-05',
            definitions: { Sensors: { selectionRule: 'thingName: sensor-*', policyName: 'Telemetry' } },
            policies: {
                Telemetry: {
                    publish: {
                        operations: ['mqtt:publish'],
                        resources: ['mqtt:topic:telemetry/${iot:Connection.Thing.ThingName}/*'],
                    },
                },
            },
        },
    }),
];

async function devicesDaemon(t) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-devices-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const fixture = path.join(dir, 'fixture.json');
    fs.writeFileSync(fixture, JSON.stringify({
        clientDevices: [{ thingName: 'sensor-1', certificatePem: pem('sensor-1.pem') },
                        { thingName: 'probe-7', certificatePem: pem('probe-7.pem') }],
    }));
    return daemonForTest(t, RECIPES, { args: ['--fixture', fixture] });
}

function call(promise, what) {
    return withDeadline(promise, DEFAULT_WAIT_MS, what);
}

async function expectModeledError(promise, code, message) {
    const err = await rejectionOf(promise, DEFAULT_WAIT_MS, code);
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.equal(err.serviceError?._errorCode, code, `${err.description}`);
    assert.equal(err.serviceError.message, message);
}

test('VerifyClientDeviceIdentity, GetClientDeviceAuthToken, AuthorizeClientDeviceAction', T, async (t) => {
    const daemon = await devicesDaemon(t);
    const broker = await daemon.connect(BROKER);
    const verify = (certificate) =>
        call(broker.verifyClientDeviceIdentity({ credential: { clientDeviceCertificate: certificate } }), 'verify');
    assert.deepEqual(await verify(pem('sensor-1.pem')), { isValidClientDevice: true });
    assert.deepEqual(await verify(pem('unregistered.pem')), { isValidClientDevice: false });
    assert.deepEqual(await verify(pem('expired.pem')), { isValidClientDevice: false });

    const { clientDeviceAuthToken } = await call(broker.getClientDeviceAuthToken({
        credential: { mqttCredential: { clientId: 'sensor-1', certificatePem: pem('sensor-1.pem') } },
    }), 'token');
    assert.match(clientDeviceAuthToken, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const may = (operation, resource) =>
        call(broker.authorizeClientDeviceAction({ clientDeviceAuthToken, operation, resource }), 'authorize');
    assert.deepEqual(await may('mqtt:publish', 'mqtt:topic:telemetry/sensor-1/t'), { isAuthorized: true });
    assert.deepEqual(await may('mqtt:publish', 'mqtt:topic:telemetry/probe-7/t'), { isAuthorized: false });

    // probe-7 was never verified: not in the plugin's local registry.
    await expectModeledError(broker.getClientDeviceAuthToken({
        credential: { mqttCredential: { clientId: 'probe-7', certificatePem: pem('probe-7.pem') } },
    }), 'InvalidCredentialError',
    'Unable to authenticate the client device with the given credentials. Check Greengrass log for details.');
    await expectModeledError(broker.authorizeClientDeviceAction({
        clientDeviceAuthToken: 'not-a-session', operation: 'mqtt:publish', resource: 'mqtt:topic:t',
    }), 'InvalidClientDeviceAuthTokenError',
    'Unable to find a valid session with the given auth token. Check Greengrass log for details.');
    await expectModeledError(broker.verifyClientDeviceIdentity({ credential: { clientDeviceCertificate: 'QUJD=' } }),
                             'InvalidArgumentsError', 'Unable to convert certificate PEM');
});

test('SubscribeToCertificateUpdates: the local CA\'s server certificate, verifiable with node:crypto', T, async (t) => {
    const daemon = await devicesDaemon(t);
    const broker = await daemon.connect(BROKER);
    const operation = broker.subscribeToCertificateUpdates({ certificateOptions: { certificateType: 'SERVER' } });
    const collector = new Collector(operation, 'certificates');
    await withDeadline(operation.activate(), DEFAULT_WAIT_MS, 'subscribe');
    const [event] = await collector.until((m) => m.length >= 1, DEFAULT_WAIT_MS, 'certificate event');
    const update = event.certificateUpdate;
    assert.ok(update, JSON.stringify(event));
    const certificate = new crypto.X509Certificate(update.certificate);
    const ca = new crypto.X509Certificate(update.caCertificates[0]);
    assert.ok(certificate.verify(ca.publicKey), 'the server certificate is signed by the CA');
    assert.ok(certificate.checkIssued(ca));
    assert.ok(ca.ca);
    assert.equal(certificate.checkHost('localhost'), 'localhost');
    assert.ok(certificate.checkPrivateKey(crypto.createPrivateKey(update.privateKey)));
    assert.equal(crypto.createPublicKey(update.publicKey).export({ type: 'spki', format: 'pem' }), update.publicKey);
    await operation.close();

    // (The SDK refuses to send certificate options without a type: that error is the raw-frame
    // tests' to check.)

    // CreateDebugPassword reports the fingerprints of that certificate.
    const debug = await daemon.connect(DEBUGGER);
    const before = Date.now();
    const password = await call(debug.createDebugPassword({}), 'debug password');
    assert.equal(password.username, 'debug');
    assert.match(password.password, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(password.passwordExpiration instanceof Date);
    assert.ok(Math.abs(password.passwordExpiration.getTime() - (before + 8 * 3600 * 1000)) < 60000);
    assert.equal(password.certificateSHA256Hash, certificate.fingerprint256);
    assert.equal(password.certificateSHA1Hash, certificate.fingerprint);
});

test('PutComponentMetric and ValidateAuthorizationToken', T, async (t) => {
    const daemon = await devicesDaemon(t);
    const metrics = await daemon.connect(METRICS);
    assert.deepEqual(await call(metrics.putComponentMetric({ metrics: [{ name: 'm', unit: 'COUNT', value: 2 }] }),
                                'metric'), {});
    await expectModeledError(metrics.putComponentMetric({ metrics: [{ name: 'm', unit: 'COUNT', value: -1 }] }),
                             'InvalidArgumentsError', 'Invalid argument found in PutComponentMetricRequest');
    const broker = await daemon.connect(BROKER);
    await expectModeledError(broker.putComponentMetric({ metrics: [{ name: 'm', unit: 'COUNT', value: 1 }] }),
                             'UnauthorizedError', `Principal ${BROKER} is not authorized to perform ` +
                             'aws.greengrass.ipc.componentmetric:aws.greengrass#PutComponentMetric ');

    const streamManager = await daemon.connect(STREAM_MANAGER);
    const { SVCUID } = await daemon.envFor(METRICS);
    assert.deepEqual(await call(streamManager.validateAuthorizationToken({ token: SVCUID }), 'validate'),
                     { isValid: true });
    await expectModeledError(streamManager.validateAuthorizationToken({ token: 'NOPE' }), 'InvalidTokenError',
                             'Authentication token not found');
    await expectModeledError(metrics.validateAuthorizationToken({ token: SVCUID }), 'UnauthorizedError',
                             `${METRICS} is not authorized to perform aws.greengrass#ValidateAuthorizationToken`);
});
