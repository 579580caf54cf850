// SPDX-License-Identifier: Apache-2.0
//
// A node component run by standin's lifecycle (not --no-launch) from its recipe,
// fixtures/lifecycle/recipes/com.test.NodeConfig.yaml: the unmodified aws-iot-device-sdk-v2 in the
// component's own process connects with the SVCUID of its environment, reads its configuration,
// subscribes to its updates and, when a local deployment MERGEs a new greeting (CreateLocalDeployment
// as aws.greengrass.Cli), publishes the new value, which this test's own subscriber receives. The
// component finds the SDK through the NODE_PATH that run.sh exports (the daemon passes its
// environment on, as the nucleus does on Linux).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { daemonForTest, openRecipe, subscribe, withDeadline, DEFAULT_WAIT_MS } = require('./lib/daemon');

const T = { timeout: 60000 };
const CLI = 'aws.greengrass.Cli';
const NODE_COMPONENT = 'com.test.NodeConfig';
const LISTENER = 'com.conf.Listener';
const RECIPE = path.join(__dirname, '..', '..', 'fixtures', 'lifecycle', 'recipes', `${NODE_COMPONENT}.yaml`);
// A node process starting and loading the SDK (and its native binding) takes a while under ASan
// builds on a busy machine.
const START_MS = 30000;

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

const messageOf = (m) => m.jsonMessage?.message;

test('a node component reads its configuration and reacts to a deployment\'s MERGE', T, async (t) => {
    const daemon = await daemonForTest(t, [openRecipe(LISTENER)], { args: ['--recipes', RECIPE] });
    // Its Run printed this once its subscription to configuration updates was in place.
    await daemon.waitForStdout(`[${NODE_COMPONENT}] watching greeting=hello`, START_MS);
    assert.ok(daemon.stdout.some((l) => l.includes(`[${NODE_COMPONENT}] connected; greeting=hello topic=node/greeting`)),
              daemon.stdout.join('\n'));

    const listener = await daemon.connect(LISTENER);
    const { collector } = await subscribe(listener, 'node/greeting');
    const cli = await daemon.connect(CLI);
    const created = await withDeadline(cli.createLocalDeployment({
        componentToConfiguration: new Map([[NODE_COMPONENT, { MERGE: { greeting: 'bonjour' } }]]),
    }), DEFAULT_WAIT_MS, 'create deployment');
    await finished(daemon, created.deploymentId);
    const status = await withDeadline(cli.getLocalDeploymentStatus({ deploymentId: created.deploymentId }),
                                      DEFAULT_WAIT_MS, 'deployment status');
    assert.equal(status.deployment.status, 'SUCCEEDED');

    // What the component did: published the new value (read by this test's subscriber) ...
    const messages = await collector.until(
        (ms) => ms.some((m) => messageOf(m)?.event === 'changed'), DEFAULT_WAIT_MS, 'the component\'s "changed" message');
    const changed = messageOf(messages.find((m) => messageOf(m)?.event === 'changed'));
    assert.equal(changed.greeting, 'bonjour');
    assert.deepEqual(changed.keyPath, ['greeting']);
    // ... and said so in its output (its log and standin's terminal).
    await daemon.waitForStdout(`[${NODE_COMPONENT}] greeting changed to bonjour`);
    const log = fs.readFileSync(path.join(daemon.root, 'logs', `${NODE_COMPONENT}.log`), 'utf8');
    assert.match(log, /greeting changed to bonjour/);

    // The component still runs, as the same process (a configuration change restarts nothing).
    const details = await withDeadline(cli.getComponentDetails({ componentName: NODE_COMPONENT }), DEFAULT_WAIT_MS, 'details');
    assert.equal(details.componentDetails.state, 'RUNNING');
    assert.equal(details.componentDetails.configuration.greeting, 'bonjour');
    assert.equal(log.split('run: node ').length - 1, 1, log);
});
