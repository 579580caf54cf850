// SPDX-License-Identifier: Apache-2.0
//
// Subscription stream lifetime and ordering (protocol.md §4.3, §4.5; semantics.md §3.2, §3.3).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const {
    daemonForTest, openRecipe, subscribe, publishJson, withDeadline, wire, ReceiveMode, SUBSCRIBE, DEFAULT_WAIT_MS,
} = require('./lib/daemon');

const T = { timeout: 60000 };

async function setup(t) {
    const daemon = await daemonForTest(t, [openRecipe('com.conf.Pub'), openRecipe('com.conf.Sub'),
                                           openRecipe('com.conf.Sub2')]);
    const pub = await daemon.connect('com.conf.Pub');
    const sub = await daemon.connect('com.conf.Sub');
    return { daemon, pub, sub };
}

// protocol.md §4.3: the client's empty TERMINATE releases the subscription; the server does not
// reply. The SDK drops whatever arrives on a stream it has closed, so the absence is checked on the
// wire: the subscriber's connection runs through a tap, whose ping barrier proves that nothing the
// daemon sent before its PING_RESPONSE is still on its way.
test('closing a subscription stream stops its deliveries; other streams keep theirs', T, async (t) => {
    const { daemon, pub } = await setup(t);
    const { client: sub, tap } = await daemon.connectTapped('com.conf.Sub');
    const closing = await subscribe(sub, 'conf/close', { label: 'closed stream', receiveMode: ReceiveMode.RECEIVE_ALL_MESSAGES });
    const staying = await subscribe(sub, 'conf/close', { label: 'open stream' });
    const closingId = tap.streamOf(SUBSCRIBE, (r) => r.receiveMode === ReceiveMode.RECEIVE_ALL_MESSAGES);
    const stayingId = tap.streamOf(SUBSCRIBE, (r) => r.receiveMode === undefined);

    await publishJson(pub, 'conf/close', { n: 1 });
    await closing.collector.count(1);
    await staying.collector.count(1);

    tap.mark();
    await withDeadline(closing.operation.close(), DEFAULT_WAIT_MS, 'close the subscription');
    assert.deepEqual(await tap.barrier(), [], 'the daemon answered the client\'s TERMINATE');
    const terminate = tap.fromClient.at(-1);
    assert.deepEqual([terminate.streamId, terminate.flags, terminate.payload.length], [closingId, wire.FLAG_TERMINATE_STREAM, 0],
                     `the SDK's close went out as an empty TERMINATE: ${terminate.describe()}`);

    await publishJson(pub, 'conf/close', { n: 2 });
    await publishJson(pub, 'conf/close', { n: 3 });
    const after = await tap.barrier();
    assert.deepEqual(after.map((f) => [f.streamId, f.json().jsonMessage.message]), [[stayingId, { n: 2 }], [stayingId, { n: 3 }]],
                     'after the close, only the open stream receives');
    const msgs = await staying.collector.count(3);
    assert.deepEqual(msgs.map((m) => m.jsonMessage.message), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual(closing.collector.messages.map((m) => m.jsonMessage.message), [{ n: 1 }]);
    assert.deepEqual(closing.collector.errors, [], 'no streamError on the closed stream');
});

// protocol.md §4.3: closing the connection closes every stream; the broker keeps serving others.
test('a subscriber that disconnects stops receiving; publishers and other subscribers are unaffected', T, async (t) => {
    const { daemon, pub, sub } = await setup(t);
    const gone = await subscribe(sub, 'conf/disc', { label: 'disconnected subscriber' });
    const other = await daemon.connect('com.conf.Sub2');
    const kept = await subscribe(other, 'conf/disc', { label: 'remaining subscriber' });

    await publishJson(pub, 'conf/disc', { n: 1 });
    await gone.collector.count(1);
    await withDeadline(sub.close(), DEFAULT_WAIT_MS, 'close the subscriber connection');

    for (let n = 2; n <= 5; ++n) assert.deepEqual(await publishJson(pub, 'conf/disc', { n }), {});
    const msgs = await kept.collector.count(5);
    assert.deepEqual(msgs.map((m) => m.jsonMessage.message.n), [1, 2, 3, 4, 5]);
    assert.deepEqual(gone.collector.messages.map((m) => m.jsonMessage.message.n), [1]);
});

// semantics.md §3.3: per-subscriber FIFO; one publisher's messages arrive in publish order.
test('two subscribers each receive 200 messages in publish order', T, async (t) => {
    const { daemon, pub, sub } = await setup(t);
    const sub2 = await daemon.connect('com.conf.Sub2');
    const a = await subscribe(sub, 'conf/order', { label: 'subscriber 1' });
    const b = await subscribe(sub2, 'conf/+', { label: 'subscriber 2 (wildcard)' });

    const N = 200;
    for (let seq = 0; seq < N; ++seq) await publishJson(pub, 'conf/order', { seq, pad: 'x'.repeat(seq) });

    for (const s of [a, b]) {
        const msgs = await s.collector.count(N, 20000);
        const seqs = msgs.map((m) => m.jsonMessage.message.seq);
        assert.deepEqual(seqs, Array.from({ length: N }, (_, i) => i), `${s.collector.label}: order`);
        msgs.forEach((m, i) => {
            assert.equal(m.jsonMessage.context.topic, 'conf/order');
            assert.equal(m.jsonMessage.message.pad.length, i);
        });
    }
});

// Same, with the publishes in flight at once: the SDK opens the streams in call order on one
// connection, so the daemon sees them in that order and must deliver them in that order.
test('200 publishes issued without awaiting arrive complete and in order', T, async (t) => {
    const { pub, sub } = await setup(t);
    const a = await subscribe(sub, 'conf/burst');
    const N = 200;
    const pending = [];
    for (let seq = 0; seq < N; ++seq) pending.push(publishJson(pub, 'conf/burst', { seq }));
    const responses = await withDeadline(Promise.all(pending), 20000, 'all 200 publish responses');
    assert.equal(responses.length, N);
    const msgs = await a.collector.count(N, 20000);
    assert.deepEqual(msgs.map((m) => m.jsonMessage.message.seq), Array.from({ length: N }, (_, i) => i));
});
