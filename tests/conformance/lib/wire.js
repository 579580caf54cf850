// SPDX-License-Identifier: Apache-2.0
//
// The event-stream framing (protocol.md §1) in plain JavaScript, for looking at what travels on a
// socket beside the SDK, which hides the wire: an incremental frame reader, a frame encoder, and
// the header and message-type vocabulary of eventstream-RPC (protocol.md §2). Independent of the
// SDK's own codec (aws-crt), on purpose.
'use strict';

// IEEE CRC-32 (the one the prelude and message CRCs use).
const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; ++n) {
        let c = n;
        for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        table[n] = c >>> 0;
    }
    return table;
})();

function crc32(bytes) {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

// Header value types, by wire number; the names are those of fixtures/frames/*.json.
const HEADER_TYPES = ['bool_true', 'bool_false', 'byte', 'int16', 'int32', 'int64', 'byte_buf', 'string',
                      'timestamp', 'uuid'];

const MESSAGE_TYPES = {
    APPLICATION_MESSAGE: 0,
    APPLICATION_ERROR: 1,
    PING: 2,
    PING_RESPONSE: 3,
    CONNECT: 4,
    CONNECT_ACK: 5,
    PROTOCOL_ERROR: 6,
    INTERNAL_ERROR: 7,
};
const MESSAGE_TYPE_NAMES = Object.fromEntries(Object.entries(MESSAGE_TYPES).map(([k, v]) => [v, k]));

const FLAG_CONNECTION_ACCEPTED = 1;
const FLAG_TERMINATE_STREAM = 2;

const PRELUDE_SIZE = 12;
const MAX_FRAME_SIZE = 24 * 1024 * 1024;

/** Decodes a header block; throws on a malformed one. */
function decodeHeaders(block) {
    const headers = [];
    let at = 0;
    const need = (n) => {
        if (at + n > block.length) throw new Error(`header block truncated at byte ${at}`);
    };
    while (at < block.length) {
        need(1);
        const nameLen = block[at++];
        if (nameLen === 0) throw new Error('empty header name');
        need(nameLen + 1);
        const name = block.toString('latin1', at, at + nameLen);
        at += nameLen;
        const typeNumber = block[at++];
        const type = HEADER_TYPES[typeNumber];
        let value;
        switch (type) {
            case 'bool_true': value = true; break;
            case 'bool_false': value = false; break;
            case 'byte': need(1); value = block.readInt8(at); at += 1; break;
            case 'int16': need(2); value = block.readInt16BE(at); at += 2; break;
            case 'int32': need(4); value = block.readInt32BE(at); at += 4; break;
            case 'int64':
            case 'timestamp': need(8); value = Number(block.readBigInt64BE(at)); at += 8; break;
            case 'uuid': need(16); value = block.toString('hex', at, at + 16); at += 16; break;
            case 'byte_buf':
            case 'string': {
                need(2);
                const len = block.readUInt16BE(at);
                at += 2;
                need(len);
                const raw = block.subarray(at, at + len);
                at += len;
                value = type === 'string' ? raw.toString('utf8') : Buffer.from(raw);
                break;
            }
            default: throw new Error(`unknown header value type ${typeNumber} for ${JSON.stringify(name)}`);
        }
        headers.push({ name, type, value });
    }
    return headers;
}

/** A decoded frame: exact bytes, headers in wire order, payload, and the RPC fields. */
class Frame {
    constructor(bytes, headers, payload) {
        this.bytes = bytes;
        this.headers = headers;
        this.payload = payload;
    }

    header(name) {
        const h = this.headers.find((x) => x.name === name);
        return h === undefined ? undefined : h.value;
    }

    get type() { return this.header(':message-type'); }
    get flags() { return this.header(':message-flags'); }
    get streamId() { return this.header(':stream-id'); }
    get operation() { return this.header('operation'); }
    get typeName() { return MESSAGE_TYPE_NAMES[this.type] ?? String(this.type); }

    /** The payload parsed as JSON (throws when it is not JSON). */
    json() { return JSON.parse(this.payload.toString('utf8')); }

    /** One line for failure messages. */
    describe() {
        const hs = this.headers.map((h) => `${h.name}=${Buffer.isBuffer(h.value) ? h.value.toString('hex') : JSON.stringify(h.value)}`);
        const text = this.payload.toString('utf8');
        return `{${hs.join(', ')} | ${this.payload.length} bytes: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}}`;
    }
}

/** Incremental decoder: push() bytes as they arrive, get back the frames they complete. */
class FrameReader {
    constructor() {
        this.pending = Buffer.alloc(0);
    }

    push(chunk) {
        this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
        const frames = [];
        while (this.pending.length >= PRELUDE_SIZE) {
            const total = this.pending.readUInt32BE(0);
            const headersLen = this.pending.readUInt32BE(4);
            if (crc32(this.pending.subarray(0, 8)) !== this.pending.readUInt32BE(8)) {
                throw new Error('prelude CRC mismatch');
            }
            if (total < 16 || headersLen > total - 16 || total > MAX_FRAME_SIZE) {
                throw new Error(`bad prelude: total ${total}, headers ${headersLen}`);
            }
            if (this.pending.length < total) break;
            const bytes = Buffer.from(this.pending.subarray(0, total));
            this.pending = this.pending.subarray(total);
            if (crc32(bytes.subarray(0, total - 4)) !== bytes.readUInt32BE(total - 4)) {
                throw new Error('message CRC mismatch');
            }
            const headers = decodeHeaders(bytes.subarray(PRELUDE_SIZE, PRELUDE_SIZE + headersLen));
            frames.push(new Frame(bytes, headers, Buffer.from(bytes.subarray(PRELUDE_SIZE + headersLen, total - 4))));
        }
        return frames;
    }

    /** True between frames. */
    atBoundary() { return this.pending.length === 0; }
}

function encodeHeader({ name, type, value }) {
    const nameBytes = Buffer.from(name, 'latin1');
    const parts = [Buffer.from([nameBytes.length]), nameBytes, Buffer.from([HEADER_TYPES.indexOf(type)])];
    const fixed = (size, write) => {
        const b = Buffer.alloc(size);
        write(b);
        parts.push(b);
    };
    switch (type) {
        case 'bool_true': case 'bool_false': break;
        case 'byte': fixed(1, (b) => b.writeInt8(value)); break;
        case 'int16': fixed(2, (b) => b.writeInt16BE(value)); break;
        case 'int32': fixed(4, (b) => b.writeInt32BE(value)); break;
        case 'int64': case 'timestamp': fixed(8, (b) => b.writeBigInt64BE(BigInt(value))); break;
        case 'uuid': parts.push(Buffer.from(value, 'hex')); break;
        case 'string': case 'byte_buf': {
            const raw = type === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
            fixed(2, (b) => b.writeUInt16BE(raw.length));
            parts.push(raw);
            break;
        }
        default: throw new Error(`unknown header type ${type}`);
    }
    return Buffer.concat(parts);
}

/** One frame from headers ({name, type, value}) and a payload (Buffer or string). */
function encodeFrame(headers, payload = Buffer.alloc(0)) {
    const block = Buffer.concat(headers.map(encodeHeader));
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
    const total = PRELUDE_SIZE + block.length + body.length + 4;
    const prelude = Buffer.alloc(PRELUDE_SIZE);
    prelude.writeUInt32BE(total, 0);
    prelude.writeUInt32BE(block.length, 4);
    prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
    const withoutCrc = Buffer.concat([prelude, block, body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(withoutCrc), 0);
    return Buffer.concat([withoutCrc, crc]);
}

const int32 = (name, value) => ({ name, type: 'int32', value });
const string = (name, value) => ({ name, type: 'string', value });

/** The three RPC headers, in the order the C and Java implementations write them. */
function rpcHeaders(type, flags, streamId) {
    return [int32(':message-type', type), int32(':message-flags', flags), int32(':stream-id', streamId)];
}

/** Header list and payload in the form of fixtures/frames/*.json (see tests/unit/protocol/test_support.hpp). */
function fixtureDescription(frame) {
    const headers = frame.headers.map(({ name, type, value }) => {
        const h = { name, type };
        if (type === 'bool_true' || type === 'bool_false') return h;
        h.value = Buffer.isBuffer(value) ? value.toString('base64') : value;
        return h;
    });
    const printable = frame.payload.every((b) => b >= 0x20 && b < 0x7f);
    return printable ? { headers, payload_text: frame.payload.toString('latin1') }
        : { headers, payload_base64: frame.payload.toString('base64') };
}

module.exports = {
    crc32,
    decodeHeaders,
    encodeFrame,
    fixtureDescription,
    Frame,
    FrameReader,
    rpcHeaders,
    int32,
    string,
    MESSAGE_TYPES,
    MESSAGE_TYPE_NAMES,
    FLAG_CONNECTION_ACCEPTED,
    FLAG_TERMINATE_STREAM,
};
