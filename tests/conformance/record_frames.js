// SPDX-License-Identifier: Apache-2.0
//
// Records the frames the unmodified npm aws-iot-device-sdk-v2 client sends, through a wire tap
// (lib/tap.js) between it and the real daemon, into fixtures/frames/captured/:
//
//   NODE_PATH=.deps/conformance/node_modules node tests/conformance/record_frames.js build/bin/standin [out-dir]
//
// The client is made the way a component makes it: greengrasscoreipc.createClient() with no
// configuration, reading SVCUID and AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT. It does a
// CONNECT, a PublishToTopic with a JSON message and one with a binary message, a SubscribeToTopic
// whose stream it then closes, a PING (through the SDK's transport, aws-crt's ClientConnection: the
// IPC client has no ping of its own), and one request of each of the operations of
// greengrasscoreipc.Client with realistic arguments. The daemon answers most of them with a
// ServiceError; what matters here is what the client sends.
//
// SVCUID is a fixed, made-up token (FIXED_TOKEN) so that the recording is the same on every run;
// the tap swaps it for the daemon's real token in what it forwards, the recorded bytes keep it.
// Each frame is written as js_<what>.bin (the exact bytes) and js_<what>.json (its headers and
// payload in the form of fixtures/frames/positive/*.json). captured.test.js records again and
// compares, so the files stay what the SDK sends.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { greengrasscoreipc } = require('aws-iot-device-sdk-v2');
const { eventstream } = require('aws-crt'); // the SDK's transport, for the PING
const model = greengrasscoreipc.model;

const { Daemon, withDeadline, openRecipe } = require('./lib/daemon');
const { WireTap } = require('./lib/tap');
const wire = require('./lib/wire');

const COMPONENT = 'com.standin.Recorder';
// 32 upper-case hex digits, like the daemon's tokens (and the nucleus's); plainly not a real one.
const FIXED_TOKEN = '0123456789ABCDEF0123456789ABCDEF';
const CALL_MS = 10000;

/** PublishToIoTCore -> publish_to_iot_core. */
function snake(operation) {
    return operation.replace(/IoT/g, 'Iot').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const bytes = (text) => new TextEncoder().encode(text);

// One request per operation of greengrasscoreipc.Client, with arguments a component would pass.
// `streaming` operations are activated (and left open if the daemon accepts them).
const REQUESTS = [
    ['authorizeClientDeviceAction', { clientDeviceAuthToken: 'client-device-auth-token', operation: 'mqtt:publish', resource: 'mqtt:topic:devices/sensor-1/telemetry' }],
    ['cancelLocalDeployment', { deploymentId: 'a3d7f1e2-4b5c-4d6e-8f90-1a2b3c4d5e6f' }],
    ['createDebugPassword', {}],
    ['createLocalDeployment', {
        groupName: 'standin-recorder',
        rootComponentVersionsToAdd: new Map([['com.example.HelloWorld', '1.0.0']]),
        rootComponentsToRemove: ['com.example.Old'],
        componentToConfiguration: new Map([['com.example.HelloWorld', { MERGE: { message: 'hello' } }]]),
        componentToRunWithInfo: new Map([['com.example.HelloWorld', { posixUser: 'ggc_user:ggc_group', systemResourceLimits: { memory: 102400, cpus: 0.5 } }]]),
        recipeDirectoryPath: '/greengrass/v2/local/recipes',
        artifactsDirectoryPath: '/greengrass/v2/local/artifacts',
        failureHandlingPolicy: model.FailureHandlingPolicy.ROLLBACK,
    }],
    ['deferComponentUpdate', { deploymentId: 'a3d7f1e2-4b5c-4d6e-8f90-1a2b3c4d5e6f', message: 'busy, try later', recheckAfterMs: 60000 }],
    ['deleteThingShadow', { thingName: 'standin-thing', shadowName: 'config' }],
    ['getClientDeviceAuthToken', { credential: { mqttCredential: { clientId: 'sensor-1', certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } } }],
    ['getComponentDetails', { componentName: 'com.example.HelloWorld' }],
    ['getConfiguration', { componentName: COMPONENT, keyPath: ['settings', 'interval'] }],
    ['getLocalDeploymentStatus', { deploymentId: 'a3d7f1e2-4b5c-4d6e-8f90-1a2b3c4d5e6f' }],
    ['getSecretValue', { secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf', versionStage: 'AWSCURRENT', refresh: false }],
    ['getThingShadow', { thingName: 'standin-thing', shadowName: 'config' }],
    ['listComponents', {}],
    ['listLocalDeployments', {}],
    ['listNamedShadowsForThing', { thingName: 'standin-thing', pageSize: 10 }],
    ['pauseComponent', { componentName: 'com.example.HelloWorld' }],
    ['publishToIoTCore', {
        topicName: 'devices/standin-thing/telemetry',
        qos: model.QOS.AT_LEAST_ONCE,
        payload: bytes('{"temperature":21.5}'),
        retain: false,
        userProperties: [{ key: 'source', value: 'standin' }],
        messageExpiryIntervalSeconds: 3600,
        correlationData: bytes('corr-1'),
        responseTopic: 'devices/standin-thing/response',
        payloadFormat: model.PayloadFormat.UTF8,
        contentType: 'application/json',
    }],
    // PublishToTopic, SubscribeToTopic: recorded in the session below.
    ['putComponentMetric', { metrics: [{ name: 'ProcessedMessages', unit: model.MetricUnitType.COUNT, value: 42 }] }],
    ['restartComponent', { componentName: 'com.example.HelloWorld' }],
    ['resumeComponent', { componentName: 'com.example.HelloWorld' }],
    ['sendConfigurationValidityReport', { configurationValidityReport: { status: model.ConfigurationValidityStatus.ACCEPTED, deploymentId: 'a3d7f1e2-4b5c-4d6e-8f90-1a2b3c4d5e6f', message: 'looks good' } }],
    ['stopComponent', { componentName: 'com.example.HelloWorld' }],
    ['subscribeToCertificateUpdates', { certificateOptions: { certificateType: model.CertificateType.SERVER } }, 'streaming'],
    ['subscribeToComponentUpdates', {}, 'streaming'],
    ['subscribeToConfigurationUpdate', { componentName: COMPONENT, keyPath: ['settings'] }, 'streaming'],
    ['subscribeToIoTCore', { topicName: 'devices/standin-thing/commands/#', qos: model.QOS.AT_MOST_ONCE }, 'streaming'],
    ['subscribeToValidateConfigurationUpdates', {}, 'streaming'],
    ['updateConfiguration', { keyPath: ['settings'], timestamp: new Date(1700000000123), valueToMerge: { interval: 10, enabled: true } }],
    ['updateState', { state: model.ReportedLifecycleState.RUNNING }],
    ['updateThingShadow', { thingName: 'standin-thing', shadowName: 'config', payload: bytes('{"state":{"reported":{"color":"green"}}}') }],
    ['validateAuthorizationToken', { token: 'a-token-some-component-presented' }],
    ['verifyClientDeviceIdentity', { credential: { clientDeviceCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } }],
];

/** Every operation method of greengrasscoreipc.Client (the SDK's list, not ours). */
function sdkOperations() {
    return Object.getOwnPropertyNames(greengrasscoreipc.Client.prototype)
        .filter((name) => !['constructor', 'connect', 'close', 'on', 'once', 'off', 'emit'].includes(name))
        .filter((name) => typeof greengrasscoreipc.Client.prototype[name] === 'function' && !name.startsWith('_'))
        .sort();
}

/** An SDK promise that may reject (most answers are ServiceErrors): settles either way, bounded. */
async function settle(promise, what) {
    try {
        return { value: await withDeadline(promise, CALL_MS, what) };
    } catch (error) {
        if (/no result after/.test(error.message)) throw error;
        return { error };
    }
}

/**
 * Runs the session against the daemon at `bin` and returns [{name, frame, description}] for every
 * frame the client sent, in order.
 */
async function record(bin) {
    const covered = new Set([...REQUESTS.map(([method]) => method), 'publishToTopic', 'subscribeToTopic']);
    const missing = sdkOperations().filter((op) => !covered.has(op));
    const unknown = [...covered].filter((op) => !sdkOperations().includes(op));
    if (missing.length > 0 || unknown.length > 0) {
        throw new Error(`REQUESTS is out of step with the SDK: missing ${missing}, not in the SDK ${unknown}`);
    }
    const daemon = await Daemon.start({ recipes: [openRecipe(COMPONENT)], bin });
    let tap;
    let client;
    try {
        const realToken = (await daemon.envFor(COMPONENT)).SVCUID;
        tap = await WireTap.start(daemon.socket, {
            rewriteClientFrame: (frame) => {
                if (frame.type !== wire.MESSAGE_TYPES.CONNECT) return undefined;
                const payload = frame.payload.toString('utf8').replace(FIXED_TOKEN, realToken);
                return wire.encodeFrame(frame.headers, payload);
            },
        });

        // As a component: the default configuration, from the environment.
        const saved = { svcuid: process.env.SVCUID, socket: process.env.AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT };
        process.env.SVCUID = FIXED_TOKEN;
        process.env.AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT = tap.path;
        try {
            client = greengrasscoreipc.createClient();
        } finally {
            for (const [k, v] of [['SVCUID', saved.svcuid], ['AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT', saved.socket]]) {
                if (v === undefined) delete process.env[k];
                else process.env[k] = v;
            }
        }

        const labels = new Map(); // stream id -> name of what the driver did on it
        const label = (name) => {
            const last = [...tap.fromClient].reverse().find((f) => f.operation !== undefined);
            if (!last || labels.has(last.streamId)) throw new Error(`${name}: no new request passed the tap`);
            labels.set(last.streamId, name);
        };

        await withDeadline(client.connect(), CALL_MS, 'connect');

        const sub = client.subscribeToTopic({ topic: 'standin/recorder/events' });
        const firstEvent = new Promise((resolve) => sub.once('message', resolve));
        await withDeadline(sub.activate(), CALL_MS, 'subscribeToTopic');
        label('subscribe_to_topic');

        await withDeadline(client.publishToTopic({
            topic: 'standin/recorder/events',
            publishMessage: { jsonMessage: { message: { temperature: 21.5, unit: 'C', tags: ['kitchen', 'sensor-1'] } } },
        }), CALL_MS, 'publishToTopic (JSON)');
        label('publish_to_topic');
        await withDeadline(firstEvent, CALL_MS, 'the JSON message back on the subscription');

        await withDeadline(client.publishToTopic({
            topic: 'standin/recorder/events',
            publishMessage: { binaryMessage: { message: new Uint8Array([0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff]) } },
        }), CALL_MS, 'publishToTopic (binary)');
        label('publish_to_topic_binary');

        // The SDK's transport sends the PING; the daemon's PING_RESPONSE goes to the SDK.
        const pong = new Promise((resolve) => client.rpcClient.connection.once('protocolMessage', resolve));
        await withDeadline(client.rpcClient.connection.sendProtocolMessage({
            message: { type: eventstream.MessageType.Ping, headers: [], payload: bytes('standin-recorder') },
        }), CALL_MS, 'PING');
        await withDeadline(pong, CALL_MS, 'PING_RESPONSE');

        await withDeadline(sub.close(), CALL_MS, 'close the subscription stream');

        for (const [method, request, kind] of REQUESTS) {
            if (kind === 'streaming') {
                // Left open if the daemon accepts it: what the client sends must not depend on
                // what the daemon serves (client.close() ends it after the recording).
                await settle(client[method](request).activate(), method);
                label(snake(method[0].toUpperCase() + method.slice(1)));
            } else {
                await settle(client[method](request), method);
                label(snake(method[0].toUpperCase() + method.slice(1)));
            }
        }

        // Everything the client sent has been answered; a barrier makes sure it all passed the tap.
        await tap.barrier();

        const out = [];
        for (const frame of tap.fromClient) {
            let name;
            if (frame.type === wire.MESSAGE_TYPES.CONNECT) {
                name = 'js_connect';
            } else if (frame.type === wire.MESSAGE_TYPES.PING) {
                name = 'js_ping';
            } else if (frame.type === wire.MESSAGE_TYPES.APPLICATION_MESSAGE && labels.has(frame.streamId)) {
                const what = labels.get(frame.streamId);
                name = frame.operation !== undefined ? `js_${what}_request` : `js_${what}_close`;
            } else {
                throw new Error(`the client sent a frame the driver did not ask for: ${frame.describe()}`);
            }
            if (out.some((o) => o.name === name)) throw new Error(`two frames would be ${name}`);
            out.push({ name, frame, sequence: out.length });
        }
        return { frames: out, errors: tap.errors };
    } finally {
        if (client) await withDeadline(client.close(), CALL_MS, 'client.close()').catch(() => {});
        if (tap) await tap.close();
        await daemon.stop();
    }
}

/** What the .json next to a captured frame says. */
function describeCapture({ name, frame, sequence }) {
    const sdk = require('aws-iot-device-sdk-v2/package.json').version;
    const crt = require('aws-crt/package.json').version;
    let what;
    if (name === 'js_connect') {
        what = `CONNECT from greengrasscoreipc.createClient() (SVCUID set to the fixed recording token ${FIXED_TOKEN})`;
    } else if (name === 'js_ping') {
        what = 'PING through the SDK transport (aws-crt ClientConnection.sendProtocolMessage), payload "standin-recorder"';
    } else if (name.endsWith('_close')) {
        what = `the SDK's stream close (operation.close()) on stream ${frame.streamId}`;
    } else {
        what = `${frame.operation} request on stream ${frame.streamId}`;
    }
    return {
        description: `Captured from the unmodified npm aws-iot-device-sdk-v2 ${sdk} (aws-crt ${crt}) by ` +
                     `tests/conformance/record_frames.js: ${what}`,
        captured: { sdk: `aws-iot-device-sdk-v2@${sdk}`, crt: `aws-crt@${crt}`, node: process.version },
        // Position among the frames the client sent on its one connection (0 is the CONNECT).
        sequence,
        total_len: frame.bytes.length,
        ...wire.fixtureDescription(frame),
    };
}

/** Writes the recording into `dir` (its js_*.bin/.json are replaced). */
function write(dir, frames) {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(dir)) {
        if (/^js_.*\.(bin|json)$/.test(f)) fs.rmSync(path.join(dir, f));
    }
    for (const capture of frames) {
        fs.writeFileSync(path.join(dir, `${capture.name}.bin`), capture.frame.bytes);
        fs.writeFileSync(path.join(dir, `${capture.name}.json`), `${JSON.stringify(describeCapture(capture), null, 2)}\n`);
    }
}

module.exports = { record, write, describeCapture, sdkOperations, REQUESTS, FIXED_TOKEN, snake };

if (require.main === module) {
    const [bin, outDir] = process.argv.slice(2);
    if (!bin) {
        process.stderr.write('usage: record_frames.js <standin-binary> [out-dir (default fixtures/frames/captured)]\n');
        process.exit(2);
    }
    const dir = outDir ?? path.join(__dirname, '..', '..', 'fixtures', 'frames', 'captured');
    record(path.resolve(bin)).then(({ frames, errors }) => {
        if (errors.length > 0) throw new Error(`the tap saw errors: ${errors.map((e) => e.message).join('; ')}`);
        write(dir, frames);
        process.stdout.write(`record_frames: ${frames.length} client frames written to ${dir}\n`);
    }).catch((err) => {
        process.stderr.write(`record_frames: ${err && err.stack ? err.stack : err}\n`);
        process.exit(1);
    });
}
