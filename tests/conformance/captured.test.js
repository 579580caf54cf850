// SPDX-License-Identifier: Apache-2.0
//
// fixtures/frames/captured/ holds what the SDK sends (record_frames.js). This records the same
// session again and requires the same bytes, so the captures cannot drift from the installed SDK
// (or be edited by hand) unnoticed; a legitimate SDK change means re-recording and committing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { record, describeCapture } = require('./record_frames');

const CAPTURED = path.join(__dirname, '..', '..', 'fixtures', 'frames', 'captured');

test('the SDK still sends exactly the captured frames', { timeout: 60000 }, async () => {
    const { frames, errors } = await record(process.env.STANDIN_BIN);
    assert.deepEqual(errors.map((e) => e.message), [], 'the tap saw errors');
    const stored = fs.readdirSync(CAPTURED).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -4)).sort();
    assert.deepEqual(frames.map((f) => f.name).sort(), stored, 'the set of captured frames');
    for (const capture of frames) {
        const bytes = fs.readFileSync(path.join(CAPTURED, `${capture.name}.bin`));
        assert.equal(capture.frame.bytes.toString('hex'), bytes.toString('hex'),
                     `${capture.name}.bin: the SDK now sends ${capture.frame.describe()}`);
        const want = JSON.parse(fs.readFileSync(path.join(CAPTURED, `${capture.name}.json`), 'utf8'));
        const got = describeCapture(capture);
        // Which node recorded it does not matter; everything else must match.
        delete want.captured.node;
        delete got.captured.node;
        assert.deepEqual(got, want, `${capture.name}.json`);
    }
});
