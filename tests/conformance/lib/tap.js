// SPDX-License-Identifier: Apache-2.0
//
// A wire tap: a Unix-socket proxy between one SDK client and the daemon that decodes every frame
// in both directions (lib/wire.js) and forwards it whole. Two uses:
//
//  - Proof on the wire. The SDK drops what arrives on a stream it has closed and hides frames it
//    does not expect, so "nothing more arrived" cannot be seen through it. barrier() sends a PING on
//    the client's connection and swallows its PING_RESPONSE: the daemon answers a connection's
//    frames in order, so every frame it sent before the response has passed the tap by then, and
//    barrier() returns exactly those (architecture.md principle 13). With an SDK client attached
//    (attach()), the PING goes out through the client's own transport, after everything the client
//    sent before (a PING the tap injected itself could overtake a client frame still in the
//    client's socket); without one, the tap injects it between two client frames.
//  - Recording what a real client sends (record_frames.js): fromClient holds the SDK's exact bytes.
//
// Nothing here sleeps: every wait is an event with a deadline.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const wire = require('./wire');

// The SDK's transport, for a barrier PING sent through the client's own connection.
const { eventstream } = require('aws-crt');

const BARRIER_HEADER = 'x-standin-tap-barrier';
const DEFAULT_BARRIER_MS = 10000;

let barrierCounter = 0;

class WireTap {
    /**
     * Listens on a fresh socket path (this.path) and connects each accepted client to `upstream`.
     * `rewriteClientFrame(frame)` may return other bytes to forward instead of a client frame (the
     * recorder swaps a fixed token for the daemon's); fromClient keeps what the client sent.
     */
    static async start(upstream, { rewriteClientFrame } = {}) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir().length <= 16 ? os.tmpdir() : '/tmp', 'tap-'));
        const tap = new WireTap(upstream, dir, rewriteClientFrame);
        await new Promise((resolve, reject) => {
            tap.server.once('error', reject);
            tap.server.listen(tap.path, () => {
                tap.server.off('error', reject);
                resolve();
            });
        });
        return tap;
    }

    constructor(upstream, dir, rewriteClientFrame) {
        this.upstream = upstream;
        this.dir = dir;
        this.path = path.join(dir, 's');
        this.rewriteClientFrame = rewriteClientFrame;
        this.fromClient = []; // Frames, as the client sent them
        this.fromServer = []; // Frames the server sent and the tap forwarded (barrier responses excluded)
        this.errors = [];
        this.connections = 0;
        this._mark = 0;
        this._barriers = new Map(); // id -> resolve
        this._client = undefined;
        this._server = undefined;
        this._sdkClient = undefined;
        this.closed = new Promise((resolve) => { this._resolveClosed = resolve; });
        this.server = net.createServer((client) => this._accept(client));
    }

    _accept(client) {
        this.connections += 1;
        if (this._client !== undefined) {
            this.errors.push(new Error('a second client connected through a one-connection tap'));
            client.destroy();
            return;
        }
        this._client = client;
        const server = net.createConnection(this.upstream);
        this._server = server;
        const fromClient = new wire.FrameReader();
        const fromServer = new wire.FrameReader();
        client.on('data', (chunk) => {
            let frames;
            try {
                frames = fromClient.push(chunk);
            } catch (err) {
                this.errors.push(new Error(`client sent an undecodable frame: ${err.message}`));
                server.write(chunk); // keep the bytes flowing; the daemon decides
                return;
            }
            for (const frame of frames) {
                if (frame.type !== wire.MESSAGE_TYPES.PING || frame.header(BARRIER_HEADER) === undefined) {
                    this.fromClient.push(frame);
                }
                const rewritten = this.rewriteClientFrame ? this.rewriteClientFrame(frame) : undefined;
                server.write(rewritten ?? frame.bytes);
            }
        });
        server.on('data', (chunk) => {
            let frames;
            try {
                frames = fromServer.push(chunk);
            } catch (err) {
                this.errors.push(new Error(`server sent an undecodable frame: ${err.message}`));
                client.write(chunk);
                return;
            }
            for (const frame of frames) {
                const id = frame.type === wire.MESSAGE_TYPES.PING_RESPONSE ? frame.header(BARRIER_HEADER) : undefined;
                if (id !== undefined && this._barriers.has(id)) {
                    const resolve = this._barriers.get(id);
                    this._barriers.delete(id);
                    resolve();
                    continue;
                }
                this.fromServer.push(frame);
                client.write(frame.bytes);
            }
        });
        const done = () => {
            client.destroy();
            server.destroy();
            for (const resolve of this._barriers.values()) resolve(new Error('the connection closed'));
            this._barriers.clear();
            this._resolveClosed();
        };
        client.on('close', done);
        server.on('close', done);
        client.on('error', () => {});
        server.on('error', (err) => this.errors.push(err));
    }

    /**
     * The greengrasscoreipc client connected through this tap: barrier() then sends its PING through
     * the client's transport (aws-crt's ClientConnection, which the IPC client keeps as
     * rpcClient.connection; the IPC client itself has no ping).
     */
    attach(sdkClient) {
        this._sdkClient = sdkClient;
        return this;
    }

    /** Starts a new window for barrier(): frames from the server before this are not returned. */
    mark() {
        this._mark = this.fromServer.length;
    }

    /**
     * Sends a PING on the client's connection and waits for its PING_RESPONSE (not forwarded).
     * Resolves with every frame the server sent since the previous barrier() or mark(): once the
     * response is in, nothing the daemon sent before it can still be on its way.
     */
    async barrier(ms = DEFAULT_BARRIER_MS) {
        if (this._server === undefined || this._server.destroyed) throw new Error('barrier(): no open connection');
        const id = `${process.pid}-${++barrierCounter}`;
        const answered = new Promise((resolve) => this._barriers.set(id, resolve));
        if (this._sdkClient) {
            await this._sdkClient.rpcClient.connection.sendProtocolMessage({
                message: { type: eventstream.MessageType.Ping, headers: [eventstream.Header.newString(BARRIER_HEADER, id)] },
            });
        } else {
            this._server.write(wire.encodeFrame([...wire.rpcHeaders(wire.MESSAGE_TYPES.PING, 0, 0),
                                                 wire.string(BARRIER_HEADER, id)]));
        }
        let timer;
        const outcome = await Promise.race([
            answered,
            new Promise((resolve) => { timer = setTimeout(() => resolve(new Error(`no PING_RESPONSE to the tap's barrier within ${ms} ms`)), ms); }),
        ]).finally(() => clearTimeout(timer));
        this._barriers.delete(id);
        if (outcome instanceof Error) {
            const seen = this.fromServer.slice(this._mark).map((f) => f.describe());
            throw new Error(`${outcome.message}; since the last barrier: ${JSON.stringify(seen)}`);
        }
        const since = this.fromServer.slice(this._mark);
        this._mark = this.fromServer.length;
        return since;
    }

    /** The stream id of the first client request for `operation` whose JSON payload satisfies `match`. */
    streamOf(operation, match = () => true) {
        const frame = this.fromClient.find((f) => f.operation === operation && match(f.json()));
        if (!frame) throw new Error(`no ${operation} request passed the tap`);
        return frame.streamId;
    }

    /** Stops listening and closes the proxied connection. */
    async close() {
        if (this._client) this._client.destroy();
        if (this._server) this._server.destroy();
        await new Promise((resolve) => this.server.close(() => resolve()));
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

module.exports = { WireTap, BARRIER_HEADER };
