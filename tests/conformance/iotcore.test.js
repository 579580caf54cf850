// SPDX-License-Identifier: Apache-2.0
//
// PublishToIoTCore and SubscribeToIoTCore through the SDK, on the daemon's loopback IoT Core: the
// MQTT 5 fields as the SDK decodes them, MQTT wildcards and '$' topics, retained messages, and the
// nucleus's errors as the SDK reports them. Negative checks use a marker message: deliveries on
// one stream are in order, so once the marker arrives anything published before it has arrived.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const { daemonForTest, withDeadline, rejectionOf, Collector, DEFAULT_WAIT_MS } = require('./lib/daemon');

const T = { timeout: 30000 };

function mqttproxyRecipe(name, resources, operations = ['aws.greengrass#PublishToIoTCore',
                                                       'aws.greengrass#SubscribeToIoTCore']) {
    return {
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: '1.0.0',
        ComponentConfiguration: {
            DefaultConfiguration: {
                accessControl: {
                    'aws.greengrass.ipc.mqttproxy': {
                        [`${name}:mqttproxy:1`]: { operations, resources },
                    },
                },
            },
        },
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { Run: 'true' } }],
    };
}

async function device(t) {
    const daemon = await daemonForTest(t, [mqttproxyRecipe('com.conf.Device', ['*']),
                                          mqttproxyRecipe('com.conf.Sensors', ['sensors/+/temp'])]);
    const client = await daemon.connect('com.conf.Device');
    return { daemon, client };
}

async function subscribeIot(client, topicName, qos = '1') {
    const operation = client.subscribeToIoTCore({ topicName, qos });
    const collector = new Collector(operation, `iot subscription ${topicName}`);
    const response = await withDeadline(operation.activate(), DEFAULT_WAIT_MS, `subscribe ${topicName}`);
    return { operation, collector, response };
}

function publishIot(client, request) {
    return withDeadline(client.publishToIoTCore({ qos: '1', ...request }), DEFAULT_WAIT_MS,
                        `publish to ${request.topicName}`);
}

test('a publish reaches the subscription with every MQTT 5 field', T, async (t) => {
    const { client } = await device(t);
    const s = await subscribeIot(client, 'conf/rpc');
    assert.deepEqual(s.response, {}, 'SubscribeToIoTCoreResponse has no members');
    const response = await publishIot(client, {
        topicName: 'conf/rpc',
        payload: Buffer.from([0x00, 0xff, 0x41]),
        retain: false,
        userProperties: [{ key: 'trace', value: 't-1' }, { key: 'trace', value: 't-2' }],
        messageExpiryIntervalSeconds: 60,
        correlationData: Buffer.from('corr-1'),
        responseTopic: 'conf/rpc/reply',
        payloadFormat: '0',
        contentType: 'application/octet-stream',
    });
    assert.deepEqual(response, {}, 'PublishToIoTCoreResponse is empty');
    const [event] = await s.collector.count(1);
    const m = event.message;
    assert.equal(m.topicName, 'conf/rpc');
    assert.deepEqual(Buffer.from(m.payload), Buffer.from([0x00, 0xff, 0x41]));
    assert.equal(m.retain, false);
    assert.deepEqual(m.userProperties, [{ key: 'trace', value: 't-1' }, { key: 'trace', value: 't-2' }]);
    assert.equal(m.messageExpiryIntervalSeconds, 60);
    assert.deepEqual(Buffer.from(m.correlationData), Buffer.from('corr-1'));
    assert.equal(m.responseTopic, 'conf/rpc/reply');
    assert.equal(m.payloadFormat, '0');
    assert.equal(m.contentType, 'application/octet-stream');
});

test('MQTT wildcards match, and leading wildcards skip $ topics', T, async (t) => {
    const { client } = await device(t);
    const plus = await subscribeIot(client, 'conf/+/temp', '0');
    const hash = await subscribeIot(client, '#');
    const dollar = await subscribeIot(client, '$aws/things/+/shadow/update');
    await publishIot(client, { topicName: 'conf/t1/temp', payload: Buffer.from('1') });
    await publishIot(client, { topicName: '$aws/things/t1/shadow/update', payload: Buffer.from('{}') });
    await publishIot(client, { topicName: 'conf/marker', payload: Buffer.from('m') });
    await publishIot(client, { topicName: '$aws/things/marker/shadow/update', payload: Buffer.from('m') });
    await hash.collector.until((msgs) => msgs.some((e) => e.message.topicName === 'conf/marker'));
    await dollar.collector.count(2);
    assert.deepEqual(plus.collector.messages.map((e) => e.message.topicName), ['conf/t1/temp']);
    assert.deepEqual(hash.collector.messages.map((e) => e.message.topicName), ['conf/t1/temp', 'conf/marker']);
    assert.deepEqual(dollar.collector.messages.map((e) => e.message.topicName),
                     ['$aws/things/t1/shadow/update', '$aws/things/marker/shadow/update']);
});

test('a retained message reaches a later subscription, flagged retain', T, async (t) => {
    const { client } = await device(t);
    await publishIot(client, { topicName: 'conf/status', payload: Buffer.from('online'), retain: true });
    const s = await subscribeIot(client, 'conf/status');
    const [event] = await s.collector.count(1);
    assert.equal(event.message.retain, true);
    assert.equal(Buffer.from(event.message.payload).toString(), 'online');
});

test('closing the subscription stops its messages', T, async (t) => {
    const { client } = await device(t);
    const closed = await subscribeIot(client, 'conf/close');
    const open = await subscribeIot(client, 'conf/close');
    await closed.operation.close();
    await publishIot(client, { topicName: 'conf/close', payload: Buffer.from('after') });
    await open.collector.count(1);
    assert.equal(closed.collector.messages.length, 0);
});

test('denials are UnauthorizedError "Not Authorized", with MQTT wildcards in policies', T, async (t) => {
    const { daemon } = await device(t);
    const sensors = await daemon.connect('com.conf.Sensors');
    await publishIot(sensors, { topicName: 'sensors/s1/temp', payload: Buffer.from('20') });
    const err = await rejectionOf(publishIot(sensors, { topicName: 'sensors/s1/humidity', payload: Buffer.from('1') }),
                                  DEFAULT_WAIT_MS, 'denied publish');
    assert.equal(err.serviceError?._errorCode, 'UnauthorizedError', `${err}`);
    assert.equal(err.serviceError.message, 'Not Authorized');
    const op = sensors.subscribeToIoTCore({ topicName: 'sensors/#', qos: '0' });
    const denied = await rejectionOf(op.activate(), DEFAULT_WAIT_MS, 'denied subscribe');
    assert.equal(denied.serviceError?._errorCode, 'UnauthorizedError', `${denied}`);
    assert.equal(denied.serviceError.message, 'Not Authorized');
});

test('the MQTT client refusals are ServiceErrors with the nucleus text', T, async (t) => {
    const { client } = await device(t);
    const wildcard = await rejectionOf(publishIot(client, { topicName: 'conf/+', payload: Buffer.from('x') }),
                                       DEFAULT_WAIT_MS, 'wildcard publish');
    assert.equal(wildcard.serviceError?._errorCode, 'ServiceError', `${wildcard}`);
    assert.equal(wildcard.serviceError.message,
                 "Publish to topic conf/+ failed: Publish topics must not contain wildcard characters of '#' or '+'");
    const op = client.subscribeToIoTCore({ topicName: 'conf/#/x', qos: '0' });
    const invalid = await rejectionOf(op.activate(), DEFAULT_WAIT_MS, 'invalid filter');
    assert.equal(invalid.serviceError?._errorCode, 'ServiceError', `${invalid}`);
    assert.equal(invalid.serviceError.message, 'Subscribe to topic conf/#/x failed with error TOPIC_FILTER_INVALID');
    assert.deepEqual(invalid.serviceError.context, { reasonCode: 143 });
});

// The nucleus answers a bad QoS or a missing payload with InvalidArgumentsError, which the SDK's
// model does not list for these operations: the SDK rejects it by its shape.
test('a bad QoS is an InvalidArgumentsError the SDK does not expect', T, async (t) => {
    const { client } = await device(t);
    const err = await rejectionOf(client.publishToIoTCore({ topicName: 'conf/q', qos: '2', payload: Buffer.from('x') }),
                                  DEFAULT_WAIT_MS, 'bad qos');
    assert.match(err?.description ?? '', /Unexpected response shape received: 'aws.greengrass#InvalidArgumentsError'/,
                 `${err}`);
    // The connection still serves.
    await publishIot(client, { topicName: 'conf/q', payload: Buffer.from('x'), qos: '0' });
});
