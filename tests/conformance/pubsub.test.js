// SPDX-License-Identifier: Apache-2.0
//
// Local publish/subscribe through the SDK (semantics.md §3).
//
// Negative checks ("X is not delivered") never wait for a timeout. Through the SDK they use a
// marker: deliveries to one subscription stream are FIFO (semantics.md §3.3), and every publish
// below is awaited before the next, so once the marker arrives anything published before it would
// already have arrived. The SDK hides frames it does not expect, so they are also checked on the
// wire: the subscriber's connection runs through a tap (lib/tap.js) whose ping barrier proves that
// the daemon sent exactly the events listed, on those streams and no others.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const {
    daemonForTest, openRecipe, subscribe, publishJson, publishBinary, describe, onTheWire, ReceiveMode, SUBSCRIBE,
} = require('./lib/daemon');

const T = { timeout: 30000 };

async function twoComponents(t) {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.Pub'), openRecipe('com.conf.Sub')]);
    const pub = await daemon.connect('com.conf.Pub');
    const { client: sub, tap } = await daemon.connectTapped('com.conf.Sub');
    return { daemon, pub, sub, tap };
}

/** The JSON messages the daemon sent on the tapped subscription to `topic` (and `receiveMode`). */
async function wireEvents(tap, topic, receiveMode) {
    const seen = await onTheWire(tap);
    assert.deepEqual(seen.strays(), [], 'frames on streams no request opened');
    return seen.events(SUBSCRIBE, (r) => r.topic === topic && r.receiveMode === receiveMode);
}

test('JSON message from one component reaches another with context.topic', T, async (t) => {
    const { pub, sub } = await twoComponents(t);
    const s = await subscribe(sub, 'conf/json');
    assert.deepEqual(s.response, {}, 'SubscribeToTopicResponse has no members set');

    const message = {
        text: 'héllo wörld ✓ 𝄞',
        n: 42,
        f: -1.5,
        yes: true,
        no: false,
        list: [1, 'two', { three: 3 }, []],
        nested: { a: { b: { c: 'deep' } }, empty: {} },
    };
    const response = await publishJson(pub, 'conf/json', message);
    assert.deepEqual(response, {}, 'PublishToTopicResponse is empty');

    const [msg] = await s.collector.count(1);
    assert.ok(msg.jsonMessage, `expected a jsonMessage, got ${JSON.stringify(describe(msg))}`);
    assert.equal(msg.binaryMessage, undefined);
    assert.deepEqual(msg.jsonMessage.message, message);
    assert.equal(msg.jsonMessage.context.topic, 'conf/json');
});

// semantics.md §3.1: the publisher's context is ignored; the server sets context.topic.
test('publisher-supplied context is replaced by the published topic', T, async (t) => {
    const { pub, sub } = await twoComponents(t);
    const s = await subscribe(sub, 'conf/ctx');
    await pub.publishToTopic({
        topic: 'conf/ctx',
        publishMessage: { jsonMessage: { message: { k: 1 }, context: { topic: 'forged/topic' } } },
    });
    const [msg] = await s.collector.count(1);
    assert.deepEqual(msg.jsonMessage.message, { k: 1 });
    assert.equal(msg.jsonMessage.context.topic, 'conf/ctx');
});

test('binary message round trip keeps every byte, including non-UTF-8', T, async (t) => {
    const { pub, sub } = await twoComponents(t);
    const s = await subscribe(sub, 'conf/bin');
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; ++i) all[i] = i;
    const payloads = [
        Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]),
        all,
        Buffer.from([0x00]),
        Buffer.from('plain text that is also valid UTF-8 ✓'),
    ];
    for (const p of payloads) await publishBinary(pub, 'conf/bin', p);

    const msgs = await s.collector.count(payloads.length);
    assert.equal(msgs.length, payloads.length);
    msgs.forEach((msg, i) => {
        assert.ok(msg.binaryMessage, `message ${i}: expected a binaryMessage, got ${JSON.stringify(describe(msg))}`);
        assert.equal(msg.jsonMessage, undefined);
        const got = Buffer.from(msg.binaryMessage.message);
        assert.equal(got.toString('hex'), payloads[i].toString('hex'), `message ${i} bytes`);
        assert.equal(msg.binaryMessage.context.topic, 'conf/bin');
    });
});

// semantics.md §3.2: `foo/#` matches every topic below foo but not foo itself.
test('"sensors/#" receives sensors/a/b and sensors/x but not sensors', T, async (t) => {
    const { pub, sub, tap } = await twoComponents(t);
    const s = await subscribe(sub, 'sensors/#');
    await publishJson(pub, 'sensors', { i: 0 });
    await publishJson(pub, 'other/a/b', { i: 1 });
    await publishJson(pub, 'sensors/a/b', { i: 2 });
    await publishJson(pub, 'sensors/x', { i: 3 });
    await publishJson(pub, 'sensors/end', { marker: true });

    const msgs = await s.collector.until((m) => m.some((x) => x.jsonMessage?.message?.marker), undefined, 'the marker');
    assert.deepEqual(msgs.map((m) => m.jsonMessage.context.topic), ['sensors/a/b', 'sensors/x', 'sensors/end']);
    assert.deepEqual(msgs.map((m) => m.jsonMessage.message), [{ i: 2 }, { i: 3 }, { marker: true }]);
    assert.deepEqual(await wireEvents(tap, 'sensors/#'), [{ i: 2 }, { i: 3 }, { marker: true }]);
});

// semantics.md §3.2: `+` matches exactly one level.
test('"sensors/+/temp" receives exactly one level in place of +', T, async (t) => {
    const { pub, sub, tap } = await twoComponents(t);
    const s = await subscribe(sub, 'sensors/+/temp');
    await publishJson(pub, 'sensors/temp', { i: 0 });
    await publishJson(pub, 'sensors/a/b/temp', { i: 1 });
    await publishJson(pub, 'sensors/a/temp', { i: 2 });
    await publishJson(pub, 'sensors/a/tempx', { i: 3 });
    await publishJson(pub, 'sensors/b/temp', { i: 4 });
    await publishJson(pub, 'sensors/end/temp', { marker: true });

    const msgs = await s.collector.until((m) => m.some((x) => x.jsonMessage?.message?.marker), undefined, 'the marker');
    assert.deepEqual(msgs.map((m) => m.jsonMessage.context.topic), ['sensors/a/temp', 'sensors/b/temp', 'sensors/end/temp']);
    assert.deepEqual(await wireEvents(tap, 'sensors/+/temp'), [{ i: 2 }, { i: 4 }, { marker: true }]);
});

// semantics.md §3.2 receiveMode: the default for a wildcard filter is RECEIVE_MESSAGES_FROM_OTHERS,
// an explicit RECEIVE_ALL_MESSAGES delivers the component's own messages.
test('wildcard subscription: default receiveMode skips own messages, RECEIVE_ALL_MESSAGES does not', T, async (t) => {
    const { pub: other, sub: self, tap } = await twoComponents(t);
    const dflt = await subscribe(self, 'echo/#', { label: 'default receiveMode' });
    const all = await subscribe(self, 'echo/#', { receiveMode: ReceiveMode.RECEIVE_ALL_MESSAGES, label: 'RECEIVE_ALL' });

    await publishJson(self, 'echo/a', { from: 'self' });
    // Once the ALL stream has it, the same fan-out has already handled the default stream.
    await all.collector.count(1);
    await publishJson(other, 'echo/a', { from: 'other' });

    const allMsgs = await all.collector.count(2);
    assert.deepEqual(allMsgs.map((m) => m.jsonMessage.message), [{ from: 'self' }, { from: 'other' }]);
    const dfltMsgs = await dflt.collector.count(1);
    assert.deepEqual(dfltMsgs.map((m) => m.jsonMessage.message), [{ from: 'other' }],
                     'default receiveMode on a wildcard filter must not deliver the component\'s own message');
    assert.deepEqual(await wireEvents(tap, 'echo/#', undefined), [{ from: 'other' }]);
    assert.deepEqual(await wireEvents(tap, 'echo/#', ReceiveMode.RECEIVE_ALL_MESSAGES), [{ from: 'self' }, { from: 'other' }]);
});

test('exact-topic subscription: default receiveMode delivers own messages, FROM_OTHERS does not', T, async (t) => {
    const { pub: other, sub: self, tap } = await twoComponents(t);
    const dflt = await subscribe(self, 'echo/exact', { label: 'default receiveMode' });
    const others = await subscribe(self, 'echo/exact',
                                   { receiveMode: ReceiveMode.RECEIVE_MESSAGES_FROM_OTHERS, label: 'FROM_OTHERS' });

    await publishJson(self, 'echo/exact', { from: 'self' });
    await dflt.collector.count(1);
    await publishJson(other, 'echo/exact', { from: 'other' });

    const dfltMsgs = await dflt.collector.count(2);
    assert.deepEqual(dfltMsgs.map((m) => m.jsonMessage.message), [{ from: 'self' }, { from: 'other' }]);
    const otherMsgs = await others.collector.count(1);
    assert.deepEqual(otherMsgs.map((m) => m.jsonMessage.message), [{ from: 'other' }]);
    assert.deepEqual(await wireEvents(tap, 'echo/exact', undefined), [{ from: 'self' }, { from: 'other' }]);
    assert.deepEqual(await wireEvents(tap, 'echo/exact', ReceiveMode.RECEIVE_MESSAGES_FROM_OTHERS), [{ from: 'other' }]);
});

// semantics.md §3.2: "self" is the component, not the connection.
test('RECEIVE_MESSAGES_FROM_OTHERS skips own messages sent over another connection', T, async (t) => {
    const { daemon, pub: other, sub: self, tap } = await twoComponents(t);
    const selfAgain = await daemon.connect('com.conf.Sub');
    const s = await subscribe(self, 'echo/conn', { receiveMode: ReceiveMode.RECEIVE_MESSAGES_FROM_OTHERS });
    await publishJson(selfAgain, 'echo/conn', { from: 'self, second connection' });
    await publishJson(other, 'echo/conn', { from: 'other' });
    const msgs = await s.collector.count(1);
    assert.deepEqual(msgs.map((m) => m.jsonMessage.message), [{ from: 'other' }]);
    assert.deepEqual(await wireEvents(tap, 'echo/conn', ReceiveMode.RECEIVE_MESSAGES_FROM_OTHERS), [{ from: 'other' }]);
});

// semantics.md §3.2: two streams of one component each get their own copy.
test('two subscription streams on one connection each get a copy', T, async (t) => {
    const { pub, sub, tap } = await twoComponents(t);
    const a = await subscribe(sub, 'conf/dup', { label: 'stream a' });
    const b = await subscribe(sub, 'conf/+', { label: 'stream b' });
    await publishJson(pub, 'conf/dup', { n: 1 });
    await publishJson(pub, 'conf/dup', { marker: true });
    for (const s of [a, b]) {
        const msgs = await s.collector.until((m) => m.some((x) => x.jsonMessage?.message?.marker), undefined, 'the marker');
        assert.deepEqual(msgs.map((m) => m.jsonMessage.message), [{ n: 1 }, { marker: true }], `${s.collector.label}`);
    }
    assert.deepEqual(await wireEvents(tap, 'conf/dup'), [{ n: 1 }, { marker: true }]);
    assert.deepEqual(await wireEvents(tap, 'conf/+'), [{ n: 1 }, { marker: true }]);
});
