// SPDX-License-Identifier: Apache-2.0
//
// Local deployments through the SDK (semantics.md §8, §4.5): CreateLocalDeployment,
// GetLocalDeploymentStatus, ListLocalDeployments and CancelLocalDeployment as the built-in
// aws.greengrass.Cli (trusted: no policy), and the validate-configuration flow a deployment runs.
// A deployment's end is awaited on the daemon's "deployment <id> finished" log line, checked on
// each stderr chunk with a deadline.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { daemonForTest, withDeadline, rejectionOf, RpcError, DEFAULT_WAIT_MS } = require('./lib/daemon');

const T = { timeout: 30000 };
const CLI = 'aws.greengrass.Cli';
const WORKER = 'com.conf.Worker';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CREATED_ON = /^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d UTC$/;

function recipe(name, version, configuration = {}) {
    return {
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: version,
        ComponentConfiguration: { DefaultConfiguration: configuration },
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { Run: 'sleep 1000' } }],
    };
}

async function setUp(t) {
    const daemon = await daemonForTest(t, [recipe(WORKER, '1.0.0', { level: 'info' })], { args: ['--no-launch'] });
    const source = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-deploy-'));
    t.after(() => fs.rmSync(source, { recursive: true, force: true }));
    return { daemon, source, cli: await daemon.connect(CLI) };
}

function call(promise, what) {
    return withDeadline(promise, DEFAULT_WAIT_MS, what);
}

// Resolves once the daemon logged the end of deployment `id`.
function finished(daemon, id) {
    const text = `deployment ${id} finished`;
    return withDeadline(new Promise((resolve) => {
        const check = () => {
            if (!daemon.stderr.includes(text)) return;
            daemon.child.stderr.off('data', check);
            resolve();
        };
        daemon.child.stderr.on('data', check);
        check();
    }), DEFAULT_WAIT_MS, text);
}

async function statusOf(cli, id) {
    const reply = await call(cli.getLocalDeploymentStatus({ deploymentId: id }), `status of ${id}`);
    assert.equal(reply.deployment.deploymentId, id);
    assert.match(reply.deployment.createdOn, CREATED_ON);
    return reply.deployment;
}

async function expectModeledError(promise, code, message) {
    const err = await rejectionOf(promise, DEFAULT_WAIT_MS, code);
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.equal(err.serviceError?._errorCode, code, `${err.description}`);
    assert.equal(err.serviceError.message, message);
    return err.serviceError;
}

async function expectUnlistedError(promise, code) {
    const err = await rejectionOf(promise, DEFAULT_WAIT_MS, code);
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.match(err.description, new RegExp(`Unexpected response shape received: 'aws.greengrass#${code}'`));
}

test('a deployment from a recipe folder installs a component and succeeds', T, async (t) => {
    const { daemon, source, cli } = await setUp(t);
    fs.mkdirSync(path.join(source, 'recipes'));
    fs.writeFileSync(path.join(source, 'recipes', 'new.json'),
                     JSON.stringify(recipe('com.conf.New', '2.0.0', { greeting: 'hi' })));
    // The SDK takes a request's map members as Map objects (it refuses plain objects).
    const created = await call(cli.createLocalDeployment({
        recipeDirectoryPath: path.join(source, 'recipes'),
        rootComponentVersionsToAdd: new Map([['com.conf.New', '2.0.0']]),
    }), 'create');
    assert.match(created.deploymentId, UUID);
    await finished(daemon, created.deploymentId);
    const deployment = await statusOf(cli, created.deploymentId);
    assert.equal(deployment.status, 'SUCCEEDED');
    assert.deepEqual(deployment.deploymentStatusDetails, { detailedDeploymentStatus: 'SUCCESSFUL' });
    const details = await call(cli.getComponentDetails({ componentName: 'com.conf.New' }), 'details');
    assert.deepEqual(details.componentDetails,
                     { componentName: 'com.conf.New', version: '2.0.0', state: 'RUNNING', configuration: { greeting: 'hi' } });
    const list = await call(cli.listLocalDeployments({}), 'list');
    assert.equal(list.localDeployments.length, 1);
    assert.deepEqual(Object.keys(list.localDeployments[0]).sort(), ['createdOn', 'deploymentId', 'status']);
    assert.equal(list.localDeployments[0].status, 'SUCCEEDED');
});

test('MERGE and RESET change a component\'s configuration', T, async (t) => {
    const { daemon, cli } = await setUp(t);
    let created = await call(cli.createLocalDeployment({
        componentToConfiguration: new Map([[WORKER, { MERGE: { level: 'debug', extra: { a: 1 } } }]]),
    }), 'merge');
    await finished(daemon, created.deploymentId);
    let value = (await call(cli.getConfiguration({ componentName: WORKER, keyPath: [] }), 'get')).value;
    assert.deepEqual(value, { level: 'debug', extra: { a: 1 } });
    created = await call(cli.createLocalDeployment({
        componentToConfiguration: new Map([[WORKER, { RESET: ['/level', '/extra'] }]]),
    }), 'reset');
    await finished(daemon, created.deploymentId);
    assert.equal((await statusOf(cli, created.deploymentId)).status, 'SUCCEEDED');
    value = (await call(cli.getConfiguration({ componentName: WORKER, keyPath: [] }), 'get')).value;
    assert.deepEqual(value, { level: 'info' });
});

test('a rejected validation fails the deployment and leaves the configuration', T, async (t) => {
    const { daemon, cli } = await setUp(t);
    const worker = await daemon.connect(WORKER);
    const validations = worker.subscribeToValidateConfigurationUpdates({});
    const asked = new Promise((resolve) => validations.on('message', resolve));
    await call(validations.activate(), 'subscribe to validations');
    t.after(() => validations.close().catch(() => {}));
    const created = await call(cli.createLocalDeployment({
        componentToConfiguration: new Map([[WORKER, { MERGE: { level: 'trace' } }]]),
    }), 'create');
    const event = await withDeadline(asked, DEFAULT_WAIT_MS, 'validate event');
    assert.equal(event.validateConfigurationUpdateEvent.deploymentId, created.deploymentId);
    assert.deepEqual(event.validateConfigurationUpdateEvent.configuration, { level: 'trace' });
    // The deployment waits for the report.
    assert.equal((await statusOf(cli, created.deploymentId)).status, 'IN_PROGRESS');
    await call(worker.sendConfigurationValidityReport({
        configurationValidityReport: { status: 'REJECTED', deploymentId: created.deploymentId, message: 'no trace' },
    }), 'report');
    await finished(daemon, created.deploymentId);
    const deployment = await statusOf(cli, created.deploymentId);
    assert.equal(deployment.status, 'FAILED');
    assert.equal(deployment.deploymentStatusDetails.detailedDeploymentStatus, 'FAILED_NO_STATE_CHANGE');
    assert.equal(deployment.deploymentStatusDetails.deploymentFailureCause,
                 `Components reported that their to-be-deployed configuration is invalid { name = ${WORKER}, message = no trace }`);
    const value = (await call(cli.getConfiguration({ componentName: WORKER, keyPath: [] }), 'get')).value;
    assert.deepEqual(value, { level: 'info' });
});

test('the documented errors', T, async (t) => {
    const { daemon, cli } = await setUp(t);
    await expectModeledError(cli.createLocalDeployment({ groupName: 'a:b' }), 'InvalidArgumentsError',
                             'Thing group name cannot contain colon characters');
    await expectModeledError(cli.createLocalDeployment({ artifactsDirectoryPath: daemon.root }),
                             'InvalidArtifactsDirectoryPathError',
                             'Requested artifacts directory path is parent of kernel artifacts directory path. ' +
                             'Specify another path to avoid recursive copy');
    const unknown = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const notFound = await expectModeledError(cli.getLocalDeploymentStatus({ deploymentId: unknown }),
                                              'ResourceNotFoundError', 'Cannot find deployment');
    assert.equal(notFound.resourceType, 'LocalDeployment');
    assert.equal(notFound.resourceName, unknown);
    await expectModeledError(cli.cancelLocalDeployment({ deploymentId: unknown }), 'ResourceNotFoundError',
                             `Cannot find the deployment id provided ${unknown}`);
    await expectModeledError(cli.cancelLocalDeployment({ deploymentId: 'nope' }), 'InvalidArgumentsError',
                             'Invalid deploymentId format received. DeploymentId is a UUID');
    // The nucleus sends InvalidArgumentsError for a bad id, which GetLocalDeploymentStatus's model
    // does not list: the SDK rejects it by its shape.
    await expectUnlistedError(cli.getLocalDeploymentStatus({ deploymentId: 'nope' }), 'InvalidArgumentsError');
    // A finished deployment is not canceled.
    const created = await call(cli.createLocalDeployment({}), 'create');
    await finished(daemon, created.deploymentId);
    const reply = await call(cli.cancelLocalDeployment({ deploymentId: created.deploymentId }), 'cancel');
    assert.deepEqual(reply, { message: 'Cancellation request is not processed because deployment is already finished' });
    // A custom component without a policy is refused (an error the models do not list).
    const worker = await daemon.connect(WORKER);
    await expectUnlistedError(worker.listLocalDeployments({}), 'UnauthorizedError');
});
