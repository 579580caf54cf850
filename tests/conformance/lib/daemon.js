// SPDX-License-Identifier: Apache-2.0
//
// Conformance harness: runs the real `standin serve` on a throw-away root and hands out
// clients of the unmodified npm `aws-iot-device-sdk-v2` Greengrass IPC client.
//
// Nothing here sleeps. Every wait is a promise settled by an event (a stdout line, a process
// exit, an SDK event) and guarded by a deadline that only turns "never happened" into a
// readable failure.
'use strict';

const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { EventEmitter } = require('node:events');

// Only the SDK's public exports: `io` is its re-export of aws-crt's io module.
const { greengrasscoreipc, eventstream_rpc, io } = require('aws-iot-device-sdk-v2');

const { WireTap } = require('./tap');
const wire = require('./wire');

const READY_DEADLINE_MS = 15000;
const STOP_DEADLINE_MS = 10000;
const ENV_DEADLINE_MS = 10000;
const DEFAULT_WAIT_MS = 10000;

// ---------------------------------------------------------------------------------------------
// Deadlines

/** Resolves or rejects like `promise`, or rejects with "<what>: no result after <ms> ms". */
function withDeadline(promise, ms, what) {
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Awaits a promise that must reject; returns the rejection reason. */
async function rejectionOf(promise, ms, what) {
    let value;
    try {
        value = await withDeadline(promise, ms ?? DEFAULT_WAIT_MS, what);
    } catch (err) {
        return err;
    }
    throw new Error(`${what}: expected a rejection, got ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Recipes

const PUBLISH = 'aws.greengrass#PublishToTopic';
const SUBSCRIBE = 'aws.greengrass#SubscribeToTopic';

/**
 * A Greengrass recipe (object form) for `name` whose pubsub accessControl holds `policies`:
 * an array of {operations: [...], resources: [...]}, each becoming `<name>:pubsub:<i>`.
 */
function pubsubRecipe(name, policies = []) {
    const pubsub = {};
    policies.forEach((p, i) => {
        pubsub[`${name}:pubsub:${i + 1}`] = {
            policyDescription: p.description ?? `conformance policy ${i + 1} for ${name}`,
            operations: p.operations,
            resources: p.resources,
        };
    });
    const configuration = { topic: 'unused' };
    if (policies.length > 0) configuration.accessControl = { 'aws.greengrass.ipc.pubsub': pubsub };
    return {
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: '1.0.0',
        ComponentDescription: 'standin conformance test component',
        ComponentPublisher: 'standin conformance tests',
        ComponentConfiguration: { DefaultConfiguration: configuration },
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { Run: 'true' } }],
    };
}

/** A component that may publish and subscribe to everything. */
function openRecipe(name) {
    return pubsubRecipe(name, [{ operations: ['*'], resources: ['*'] }]);
}

// Block-style YAML with every scalar in JSON double-quoted form (valid YAML 1.2 flow scalars).
function toYaml(value, indent = '') {
    const scalar = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
    const isComposite = (v) => v !== null && typeof v === 'object';
    if (Array.isArray(value)) {
        if (value.length === 0) return `${indent}[]\n`;
        return value
            .map((item) => {
                if (!isComposite(item)) return `${indent}- ${scalar(item)}\n`;
                const body = toYaml(item, `${indent}  `);
                return `${indent}- ${body.slice(indent.length + 2)}`;
            })
            .join('');
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return `${indent}{}\n`;
    return keys
        .map((k) => {
            const v = value[k];
            if (!isComposite(v)) return `${indent}${JSON.stringify(k)}: ${scalar(v)}\n`;
            if (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0) {
                return `${indent}${JSON.stringify(k)}: ${Array.isArray(v) ? '[]' : '{}'}\n`;
            }
            return `${indent}${JSON.stringify(k)}:\n${toYaml(v, `${indent}  `)}`;
        })
        .join('');
}

// ---------------------------------------------------------------------------------------------
// `standin env` output

/** Parses `export NAME='value'` lines (POSIX single quoting, `'\''` for a quote). */
function parseExports(text) {
    const env = {};
    for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const m = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
        if (!m) throw new Error(`standin env printed a line that is not an export: ${JSON.stringify(line)}`);
        let out = '';
        let rest = m[2];
        while (rest.length > 0) {
            if (rest[0] === "'") {
                const end = rest.indexOf("'", 1);
                if (end < 0) throw new Error(`unterminated quote in ${JSON.stringify(line)}`);
                out += rest.slice(1, end);
                rest = rest.slice(end + 1);
            } else if (rest[0] === '\\' && rest.length > 1) {
                out += rest[1];
                rest = rest.slice(2);
            } else {
                const m2 = /^[^'\\]+/.exec(rest);
                out += m2[0];
                rest = rest.slice(m2[0].length);
            }
        }
        env[m[1]] = out;
    }
    return env;
}

// ---------------------------------------------------------------------------------------------
// The daemon

class Daemon {
    constructor(bin, root, recipesDir, child) {
        this.bin = bin;
        this.root = root;
        this.recipesDir = recipesDir;
        this.child = child;
        this.socket = undefined;
        this.readyLine = undefined;
        this.stdout = [];
        this.stdoutLines = new EventEmitter(); // 'line' for each stdout line, after it is in stdout
        this.stderr = '';
        this.exit = undefined; // {code, signal} once exited
        this.exited = new Promise((resolve) => {
            child.once('exit', (code, signal) => {
                this.exit = { code, signal };
                resolve(this.exit);
            });
        });
        this._clients = new Set();
        this._taps = new Set();
        this._envCache = new Map();
    }

    /**
     * Starts `standin serve` with a fresh root under /tmp and a recipes dir holding `recipes`
     * (an array of recipe objects, see pubsubRecipe). Resolves once the ready line is printed.
     */
    static async start({ recipes = [], bin = process.env.STANDIN_BIN, args = [] } = {}) {
        if (!bin) throw new Error('set STANDIN_BIN to the standin executable (tests/conformance/run.sh does)');
        if (!fs.existsSync(bin)) throw new Error(`STANDIN_BIN=${bin} does not exist`);
        // Short on purpose: the socket path must fit in sun_path (108 bytes).
        const base = fs.mkdtempSync(path.join(os.tmpdir().length <= 16 ? os.tmpdir() : '/tmp', 'sic-'));
        const root = path.join(base, 'r');
        const recipesDir = path.join(base, 'recipes');
        fs.mkdirSync(recipesDir);
        for (const recipe of recipes) {
            fs.writeFileSync(path.join(recipesDir, `${recipe.ComponentName}.yaml`), toYaml(recipe));
        }
        const child = spawn(bin, ['serve', '--root', root, '--recipes', recipesDir, ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const daemon = new Daemon(bin, root, recipesDir, child);
        daemon.base = base;
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk) => {
            daemon.stderr += chunk;
            if (daemon.stderr.length > 64 * 1024) daemon.stderr = daemon.stderr.slice(-64 * 1024);
        });
        const lines = readline.createInterface({ input: child.stdout });
        const ready = new Promise((resolve, reject) => {
            lines.on('line', (line) => {
                daemon.stdout.push(line);
                daemon.stdoutLines.emit('line', line);
                if (daemon.readyLine === undefined && line.includes('standin ready')) {
                    daemon.readyLine = line;
                    const m = /(?:^|\s)socket=(\S+)/.exec(line);
                    if (!m) {
                        reject(new Error(`ready line has no socket=<path>: ${line}`));
                        return;
                    }
                    daemon.socket = m[1];
                    resolve();
                }
            });
            child.once('error', (err) => reject(new Error(`cannot start ${bin}: ${err.message}`)));
            child.once('exit', (code, signal) =>
                reject(new Error(`standin serve exited (code ${code}, signal ${signal}) before ready`)));
        });
        try {
            await withDeadline(ready, READY_DEADLINE_MS, 'waiting for "standin ready" on stdout');
        } catch (err) {
            if (daemon.exit === undefined) {
                child.kill('SIGKILL');
                // A spawn failure emits 'error' and possibly no 'exit'.
                await withDeadline(daemon.exited, STOP_DEADLINE_MS, 'exit after SIGKILL').catch(() => {});
            }
            // Let the pipe drain so the daemon's own message is part of the failure.
            if (daemon.exit !== undefined && !child.stderr.readableEnded) {
                await withDeadline(new Promise((r) => child.stderr.once('end', r)), 1000, 'stderr').catch(() => {});
            }
            err.message += daemon.stderr ? `\nstderr:\n${daemon.stderr}` : ' (nothing on stderr)';
            fs.rmSync(base, { recursive: true, force: true });
            throw err;
        }
        return daemon;
    }

    /**
     * Resolves with the first stdout line (so far or later) that contains `text`: a launched
     * component's output comes there as `[<component>] <line>`.
     */
    waitForStdout(text, ms = DEFAULT_WAIT_MS) {
        return withDeadline(new Promise((resolve) => {
            const check = (line) => {
                if (!line.includes(text)) return false;
                this.stdoutLines.off('line', check);
                resolve(line);
                return true;
            };
            if (this.stdout.some(check)) return;
            this.stdoutLines.on('line', check);
        }), ms, `waiting for a stdout line with ${JSON.stringify(text)} (stdout so far: ` +
            `${JSON.stringify(this.stdout.slice(-10))})`);
    }

    /** The environment the nucleus would give `component`, from `standin env --root`. */
    async envFor(component) {
        if (this._envCache.has(component)) return this._envCache.get(component);
        const text = await withDeadline(
            new Promise((resolve, reject) => {
                execFile(this.bin, ['env', '--root', this.root, component], (err, stdout, stderr) => {
                    if (err) reject(new Error(`standin env ${component} failed (${err.code}): ${stderr.trim()}`));
                    else resolve(stdout);
                });
            }),
            ENV_DEADLINE_MS, `standin env ${component}`);
        const env = parseExports(text);
        for (const name of ['SVCUID', 'AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT']) {
            if (!env[name]) throw new Error(`standin env ${component} did not export ${name}:\n${text}`);
        }
        this._envCache.set(component, env);
        return env;
    }

    /**
     * An unconnected SDK client for `component`. The configuration is what
     * greengrasscoreipc.createDefaultClientConfig() builds from SVCUID and
     * AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT, with the values passed explicitly so
     * that process.env stays untouched. `authToken` overrides the token; null sends none (which
     * is what the SDK does when SVCUID is unset). `socket` overrides the socket path (a tap's).
     */
    async clientFor(component, { authToken, socket } = {}) {
        const env = await this.envFor(component);
        const token = authToken === undefined ? env.SVCUID : authToken;
        const config = {
            hostName: socket ?? env.AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT,
            port: 0,
            socketOptions: new io.SocketOptions(io.SocketType.STREAM, io.SocketDomain.LOCAL),
            connectTransform: async (options) => {
                const message = options.message;
                if (token) message.payload = JSON.stringify({ authToken: token });
                return message;
            },
        };
        const client = greengrasscoreipc.createClient(config);
        this._clients.add(client);
        return client;
    }

    /** clientFor + connect (bounded). */
    async connect(component, options) {
        const client = await this.clientFor(component, options);
        await withDeadline(client.connect(), DEFAULT_WAIT_MS, `connect as ${component}`);
        return client;
    }

    /**
     * A connected SDK client for `component` whose connection runs through a wire tap
     * (lib/tap.js), for assertions on what the daemon really sent: {client, tap}.
     */
    async connectTapped(component, options) {
        const tap = await WireTap.start(this.socket);
        this._taps.add(tap);
        const client = await this.clientFor(component, { ...options, socket: tap.path });
        await withDeadline(client.connect(), DEFAULT_WAIT_MS, `connect as ${component} through a tap`);
        return { client, tap: tap.attach(client) };
    }

    /**
     * Closes every SDK client made here, then SIGTERMs the daemon and awaits its exit. Rejects
     * unless it exits 0 (contract.md: SIGTERM → exit 0), so a crash at shutdown fails the test.
     */
    async stop() {
        for (const client of this._clients) {
            try {
                await withDeadline(client.close(), STOP_DEADLINE_MS, 'client.close()');
            } catch {
                // A client that never connected or is already closed.
            }
        }
        this._clients.clear();
        const tapErrors = [];
        for (const tap of this._taps) {
            tapErrors.push(...tap.errors);
            await tap.close();
        }
        this._taps.clear();
        const exit = await this.terminate();
        fs.rmSync(this.base, { recursive: true, force: true });
        if (exit.code !== 0) {
            throw new Error(`standin serve exited with ${JSON.stringify(exit)} after SIGTERM (expected code 0);` +
                            ` stderr tail:\n${this.stderr.slice(-4000)}`);
        }
        const report = crashReport(this.stderr);
        if (report.length > 0) {
            throw new Error(`standin serve reported a crash or sanitizer error: ${report.join(' | ')};` +
                            ` stderr tail:\n${this.stderr.slice(-4000)}`);
        }
        if (tapErrors.length > 0) throw new Error(`a wire tap saw: ${tapErrors.map((e) => e.message).join('; ')}`);
        return exit;
    }

    /** SIGTERM and await exit; SIGKILL after the deadline (and report it). */
    async terminate() {
        if (this.exit === undefined) this.child.kill('SIGTERM');
        try {
            return await withDeadline(this.exited, STOP_DEADLINE_MS, 'standin serve exit after SIGTERM');
        } catch (err) {
            this.child.kill('SIGKILL');
            await this.exited;
            throw err;
        }
    }
}

/**
 * Starts a daemon for one test and registers its stop with t.after(). `recipes` is an array of
 * recipe objects.
 */
async function daemonForTest(t, recipes, options = {}) {
    const daemon = await Daemon.start({ recipes, ...options });
    t.after(() => daemon.stop());
    return daemon;
}

// The lines of the daemon's stderr that show a sanitizer report or a crash (the markers of
// tests/support/src/daemon_process.cpp).
const CRASH_MARKERS = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'ERROR: ThreadSanitizer',
                       'WARNING: ThreadSanitizer', 'SUMMARY: AddressSanitizer', 'SUMMARY: LeakSanitizer',
                       'SUMMARY: UndefinedBehaviorSanitizer', 'AddressSanitizer:DEADLYSIGNAL', ' runtime error: ',
                       'terminate called after throwing', 'terminate called without an active exception',
                       'Assertion `'];
function crashReport(stderr) {
    return stderr.split('\n').filter((line) => CRASH_MARKERS.some((m) => line.includes(m))).slice(0, 5);
}

// ---------------------------------------------------------------------------------------------
// The wire, beside the SDK

/**
 * What the daemon sent on a tapped connection, proven complete by a barrier (lib/tap.js): for
 * each stream, its first frame (the response or error) and the events after it, as the JSON
 * `message` of each SubscriptionResponseMessage. Streams are looked up by their request:
 * `events(SUBSCRIBE, (req) => req.topic === 'a/#')`.
 */
async function onTheWire(tap) {
    await tap.barrier();
    const byStream = new Map();
    for (const frame of tap.fromServer) {
        if (frame.streamId === 0) continue; // CONNECT_ACK
        if (!byStream.has(frame.streamId)) byStream.set(frame.streamId, { first: frame, later: [] });
        else byStream.get(frame.streamId).later.push(frame);
    }
    const streamOf = (operation, match) => tap.streamOf(operation, match);
    return {
        byStream,
        /** The events that followed the response on the stream of that request. */
        events(operation, match) {
            const entry = byStream.get(streamOf(operation, match));
            if (!entry) throw new Error(`the daemon sent nothing on the ${operation} stream`);
            return entry.later.map((f) => {
                const body = f.json();
                return body.jsonMessage ? body.jsonMessage.message : body;
            });
        },
        /** Frames on streams no request opened: must never happen. */
        strays() {
            const opened = new Set(tap.fromClient.filter((f) => f.operation !== undefined).map((f) => f.streamId));
            return [...byStream.entries()].filter(([id]) => !opened.has(id)).map(([, e]) => e.first.describe());
        },
    };
}

// ---------------------------------------------------------------------------------------------
// Streams

/**
 * Collects the `message` events of a SubscribeToTopic streaming operation, in arrival order.
 * `until(pred, ms)` resolves once pred(messages) is true, checked on every arrival.
 */
class Collector extends EventEmitter {
    constructor(operation, label) {
        super();
        this.label = label;
        this.messages = [];
        this.errors = [];
        this.ended = false;
        operation.on('message', (m) => {
            this.messages.push(m);
            this.emit('changed');
        });
        operation.on('streamError', (e) => {
            this.errors.push(e);
            this.emit('changed');
        });
        operation.on('ended', () => {
            this.ended = true;
            this.emit('changed');
        });
    }

    until(predicate, ms = DEFAULT_WAIT_MS, what = 'condition') {
        return withDeadline(
            new Promise((resolve) => {
                const check = () => {
                    if (predicate(this.messages)) {
                        this.off('changed', check);
                        resolve(this.messages);
                    }
                };
                this.on('changed', check);
                check();
            }),
            ms,
            `${this.label}: waiting for ${what} (got ${this.messages.length} message(s): ` +
                `${JSON.stringify(this.messages.slice(0, 5).map(describe))}${this.messages.length > 5 ? '…' : ''})`);
    }

    count(n, ms) {
        return this.until((msgs) => msgs.length >= n, ms, `${n} message(s)`);
    }
}

/** A subscription stream that has been activated, with a Collector attached before activation. */
async function subscribe(client, topic, { receiveMode, label } = {}) {
    const request = { topic };
    if (receiveMode !== undefined) request.receiveMode = receiveMode;
    const operation = client.subscribeToTopic(request);
    const collector = new Collector(operation, label ?? `subscription ${topic}`);
    const response = await withDeadline(operation.activate(), DEFAULT_WAIT_MS, `subscribe ${topic}`);
    return { operation, collector, response };
}

function publishJson(client, topic, message) {
    return withDeadline(client.publishToTopic({ topic, publishMessage: { jsonMessage: { message } } }),
                        DEFAULT_WAIT_MS, `publish JSON to ${topic}`);
}

function publishBinary(client, topic, bytes) {
    return withDeadline(client.publishToTopic({ topic, publishMessage: { binaryMessage: { message: bytes } } }),
                        DEFAULT_WAIT_MS, `publish binary to ${topic}`);
}

/** A short readable form of a SubscriptionResponseMessage for failure messages. */
function describe(m) {
    if (m && m.jsonMessage) return { json: m.jsonMessage.message, topic: m.jsonMessage.context?.topic };
    if (m && m.binaryMessage) {
        return { binary: Buffer.from(m.binaryMessage.message).toString('hex'), topic: m.binaryMessage.context?.topic };
    }
    return m;
}

module.exports = {
    Daemon,
    daemonForTest,
    Collector,
    subscribe,
    publishJson,
    publishBinary,
    withDeadline,
    rejectionOf,
    pubsubRecipe,
    openRecipe,
    toYaml,
    parseExports,
    describe,
    onTheWire,
    crashReport,
    wire,
    PUBLISH,
    SUBSCRIBE,
    RpcErrorType: eventstream_rpc.RpcErrorType,
    RpcError: eventstream_rpc.RpcError,
    ReceiveMode: greengrasscoreipc.model.ReceiveMode,
    DEFAULT_WAIT_MS,
};
