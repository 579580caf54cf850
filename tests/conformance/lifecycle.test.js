// SPDX-License-Identifier: Apache-2.0
//
// Lifecycle and component management through the SDK (semantics.md §5): UpdateState,
// ListComponents, GetComponentDetails, RestartComponent, StopComponent, PauseComponent and
// ResumeComponent, on components declared with --no-launch (their lifecycle runs without
// processes, so each state is there as soon as the call that changed it has answered).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const { daemonForTest, withDeadline, rejectionOf, RpcError, DEFAULT_WAIT_MS } = require('./lib/daemon');

const T = { timeout: 30000 };

const ADMIN = 'com.conf.Admin';
const WORKER = 'com.conf.Worker';

function recipe(name, accessControl) {
    const configuration = { level: 'info' };
    if (accessControl) configuration.accessControl = accessControl;
    return {
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: '1.2.3',
        ComponentConfiguration: { DefaultConfiguration: configuration },
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { Run: 'sleep 1000' } }],
    };
}

const ADMIN_ACCESS = {
    'aws.greengrass.Cli': {
        'com.conf.Admin:cli:1': {
            operations: ['aws.greengrass#ListComponents', 'aws.greengrass#GetComponentDetails',
                         'aws.greengrass#RestartComponent', 'aws.greengrass#StopComponent'],
            resources: ['*'],
        },
    },
    'aws.greengrass.ipc.lifecycle': {
        'com.conf.Admin:lifecycle:1': {
            operations: ['aws.greengrass#PauseComponent', 'aws.greengrass#ResumeComponent'],
            resources: [WORKER],
        },
    },
};

async function components(t) {
    const daemon = await daemonForTest(t, [recipe(ADMIN, ADMIN_ACCESS), recipe(WORKER)], { args: ['--no-launch'] });
    return { daemon, admin: await daemon.connect(ADMIN), worker: await daemon.connect(WORKER) };
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

// An error the operation's model does not list (the nucleus sends it all the same): the SDK cannot
// map it and rejects with the shape it got.
async function expectUnlistedError(promise, code) {
    const err = await rejectionOf(promise, DEFAULT_WAIT_MS, code);
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.match(err.description, new RegExp(`Unexpected response shape received: 'aws.greengrass#${code}'`));
}

async function stateOf(admin, name) {
    const reply = await call(admin.getComponentDetails({ componentName: name }), `details of ${name}`);
    return reply.componentDetails.state;
}

test('ListComponents and GetComponentDetails: name, version, state, configuration', T, async (t) => {
    const { admin } = await components(t);
    const list = await call(admin.listComponents({}), 'list');
    const worker = list.components.find((c) => c.componentName === WORKER);
    assert.deepEqual(worker, { componentName: WORKER, version: '1.2.3', state: 'RUNNING', configuration: { level: 'info' } });
    assert.equal(list.components.length, 2);
    const details = await call(admin.getComponentDetails({ componentName: WORKER }), 'details');
    assert.deepEqual(details.componentDetails, worker);
    await expectModeledError(admin.getComponentDetails({ componentName: 'com.conf.Missing' }), 'ResourceNotFoundError',
                             'Component with name com.conf.Missing not found in Greengrass');
});

test('StopComponent and RestartComponent', T, async (t) => {
    const { admin } = await components(t);
    assert.deepEqual(await call(admin.stopComponent({ componentName: WORKER }), 'stop'), { stopStatus: 'SUCCEEDED' });
    assert.equal(await stateOf(admin, WORKER), 'FINISHED');
    assert.deepEqual(await call(admin.restartComponent({ componentName: WORKER }), 'restart'), { restartStatus: 'SUCCEEDED' });
    assert.equal(await stateOf(admin, WORKER), 'RUNNING');
    await expectModeledError(admin.restartComponent({ componentName: '' }), 'InvalidArgumentsError',
                             'Component name cannot be empty');
});

test('UpdateState: ERRORED restarts the component, the third error breaks it', T, async (t) => {
    const { admin, worker } = await components(t);
    assert.deepEqual(await call(worker.updateState({ state: 'RUNNING' }), 'running'), {});
    for (let i = 0; i < 2; i++) {
        assert.deepEqual(await call(worker.updateState({ state: 'ERRORED' }), `errored ${i}`), {});
        assert.equal(await stateOf(admin, WORKER), 'RUNNING');
    }
    await call(worker.updateState({ state: 'ERRORED' }), 'errored 3');
    assert.equal(await stateOf(admin, WORKER), 'BROKEN');
});

test('PauseComponent and ResumeComponent, with their errors', T, async (t) => {
    const { admin, worker } = await components(t);
    // The model lists no InvalidArgumentsError for Pause/Resume (semantics.md §5.3 is the
    // nucleus's, which sends "Component <n> is not paused"); the raw-frame test checks the message.
    await expectUnlistedError(admin.resumeComponent({ componentName: WORKER }), 'InvalidArgumentsError');
    assert.deepEqual(await call(admin.pauseComponent({ componentName: WORKER }), 'pause'), {});
    assert.equal(await stateOf(admin, WORKER), 'RUNNING');
    assert.deepEqual(await call(admin.resumeComponent({ componentName: WORKER }), 'resume'), {});
    // The policy names the worker only.
    await expectModeledError(admin.pauseComponent({ componentName: ADMIN }), 'UnauthorizedError',
                             `Principal ${ADMIN} is not authorized to perform ` +
                             `aws.greengrass.ipc.lifecycle:aws.greengrass#PauseComponent on resource ${ADMIN}`);
    // Nor UnauthorizedError for the CLI operations.
    await expectUnlistedError(worker.listComponents({}), 'UnauthorizedError');
});
