// SPDX-License-Identifier: Apache-2.0
//
// Local shadows and secrets through the SDK (semantics.md §6, §7): GetThingShadow,
// UpdateThingShadow, DeleteThingShadow, ListNamedShadowsForThing and GetSecretValue, success paths
// and the documented errors as the SDK surfaces them, and a shadow request published on local
// pub/sub answered on the shadow topics.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { daemonForTest, subscribe, publishJson, withDeadline, rejectionOf, RpcError, DEFAULT_WAIT_MS } =
    require('./lib/daemon');

const T = { timeout: 30000 };

const SHADOWS = 'com.conf.Shadows';  // every shadow operation on conf-thing
const SECRETS = 'com.conf.Secrets';  // db-password only
const NOBODY = 'com.conf.Nobody';    // no policy at all
const THING = 'conf-thing';
const DB_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf';
const API_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-XyZ123';

function recipe(name, accessControl) {
    const configuration = {};
    if (accessControl) configuration.accessControl = accessControl;
    return {
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: '1.0.0',
        ComponentConfiguration: { DefaultConfiguration: configuration },
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { Run: 'true' } }],
    };
}

const FIXTURE = {
    thingName: THING,
    secrets: [
        { arn: DB_ARN, name: 'db-password', versions: [
            { versionId: 'v2', stages: ['AWSCURRENT'], secretString: 'hunter2' },
            { versionId: 'v1', stages: ['AWSPREVIOUS'], secretBinary: Buffer.from('old').toString('base64') },
        ] },
        { arn: API_ARN, name: 'api-key', versions: [{ versionId: 'k1', stages: ['AWSCURRENT'], secretString: 'k' }] },
    ],
    shadows: [{ thingName: THING, shadowName: '', state: { reported: { temperature: 21 } } }],
};

async function start(t) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sic-fx-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const fixture = path.join(dir, 'fixture.json');
    fs.writeFileSync(fixture, JSON.stringify(FIXTURE));
    const shadowOps = ['aws.greengrass#GetThingShadow', 'aws.greengrass#UpdateThingShadow',
                       'aws.greengrass#DeleteThingShadow', 'aws.greengrass#ListNamedShadowsForThing'];
    return daemonForTest(t, [
        recipe(SHADOWS, {
            'aws.greengrass.ShadowManager': {
                'shadows:1': { operations: shadowOps, resources: [`$aws/things/${THING}/shadow*`, THING] },
            },
            'aws.greengrass.ipc.pubsub': {
                'shadows:2': { operations: ['aws.greengrass#PublishToTopic', 'aws.greengrass#SubscribeToTopic'],
                               resources: ['$aws/things/*'] },
            },
        }),
        recipe(SECRETS, {
            'aws.greengrass.SecretManager': {
                'secrets:1': { operations: ['aws.greengrass#GetSecretValue'], resources: [DB_ARN] },
            },
        }),
        recipe(NOBODY),
    ], { args: ['--fixture', fixture] });
}

function call(promise, what) {
    return withDeadline(promise, DEFAULT_WAIT_MS, what);
}

async function expectModeledError(promise, code, message) {
    const err = await rejectionOf(promise, DEFAULT_WAIT_MS, code);
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${err}`);
    assert.equal(err.serviceError?._errorCode, code, `${err.description}`);
    if (message !== undefined) assert.equal(err.serviceError.message, message);
    return err;
}

const json = (payload) => JSON.parse(Buffer.from(payload).toString('utf8'));

test('UpdateThingShadow and GetThingShadow: versions, delta and the payload as bytes', T, async (t) => {
    const daemon = await start(t);
    const c = await daemon.connect(SHADOWS);
    const seeded = json((await call(c.getThingShadow({ thingName: THING }), 'get')).payload);
    assert.equal(seeded.version, 1);
    assert.deepEqual(seeded.state, { reported: { temperature: 21 } });

    const update = { state: { desired: { temperature: 25 } }, clientToken: 'sdk', version: 1 };
    const accepted = json((await call(c.updateThingShadow({ thingName: THING, payload: JSON.stringify(update) }),
                                      'update')).payload);
    assert.equal(accepted.version, 2);
    assert.equal(accepted.clientToken, 'sdk');
    assert.deepEqual(accepted.state, update.state);
    assert.equal(typeof accepted.timestamp, 'number');

    const now = json((await call(c.getThingShadow({ thingName: THING }), 'get again')).payload);
    assert.deepEqual(now.state, { desired: { temperature: 25 }, reported: { temperature: 21 },
                                  delta: { temperature: 25 } });
    await expectModeledError(c.updateThingShadow({ thingName: THING, payload: JSON.stringify({ state: {}, version: 1 }) }),
                             'ConflictError', 'Version conflict');
    await expectModeledError(c.updateThingShadow({ thingName: THING, payload: '{}' }),
                             'InvalidArgumentsError', 'Invalid JSON: ');
    await expectModeledError(c.getThingShadow({ thingName: 'bad thing' }), 'InvalidArgumentsError',
                             'ThingName must match pattern [a-zA-Z0-9:_-]+');
});

test('Named shadows: list with paging, delete, then not found', T, async (t) => {
    const daemon = await start(t);
    const c = await daemon.connect(SHADOWS);
    for (const name of ['b', 'a', 'c']) {
        await call(c.updateThingShadow({ thingName: THING, shadowName: name,
                                         payload: JSON.stringify({ state: { reported: { n: 1 } } }) }), `update ${name}`);
    }
    const page = await call(c.listNamedShadowsForThing({ thingName: THING, pageSize: 2 }), 'list');
    assert.deepEqual(page.results, ['a', 'b']);
    assert.ok(page.nextToken, 'a full page carries a nextToken');
    assert.ok(page.timestamp instanceof Date || typeof page.timestamp === 'number');
    const rest = await call(c.listNamedShadowsForThing({ thingName: THING, pageSize: 2, nextToken: page.nextToken }),
                            'list next');
    assert.deepEqual(rest.results, ['c']);
    assert.equal(rest.nextToken, undefined);
    await expectModeledError(c.listNamedShadowsForThing({ thingName: THING, pageSize: 101 }), 'InvalidArgumentsError',
                             'pageSize argument must be between 1 and 100');

    const deleted = await call(c.deleteThingShadow({ thingName: THING, shadowName: 'a' }), 'delete');
    assert.equal(Buffer.from(deleted.payload ?? []).length, 0, 'the delete response payload is empty');
    const err = await expectModeledError(c.getThingShadow({ thingName: THING, shadowName: 'a' }),
                                         'ResourceNotFoundError', 'No shadow found');
    assert.equal(err.serviceError.resourceType, 'shadow');
});

test('Shadows: a caller without a ShadowManager policy is UnauthorizedError', T, async (t) => {
    const daemon = await start(t);
    const c = await daemon.connect(NOBODY);
    await expectModeledError(c.getThingShadow({ thingName: THING }), 'UnauthorizedError',
                             `Principal ${NOBODY} is not authorized to perform aws.greengrass.ShadowManager:` +
                             `aws.greengrass#GetThingShadow on resource $aws/things/${THING}/shadow`);
});

test('A shadow update published on local pub/sub is answered on update/accepted', T, async (t) => {
    const daemon = await start(t);
    const c = await daemon.connect(SHADOWS);
    const { collector } = await subscribe(c, `$aws/things/${THING}/shadow/name/lamp/update/accepted`);
    await publishJson(c, `$aws/things/${THING}/shadow/name/lamp/update`, { state: { reported: { on: true } } });
    await collector.until((ms) => ms.length >= 1, DEFAULT_WAIT_MS);
    const accepted = json(collector.messages[0].binaryMessage.message);
    assert.equal(accepted.version, 1);
    assert.deepEqual(accepted.state, { reported: { on: true } });
    const got = json((await call(c.getThingShadow({ thingName: THING, shadowName: 'lamp' }), 'get lamp')).payload);
    assert.deepEqual(got.state, { reported: { on: true } });
});

test('GetSecretValue: by name or ARN, stages, binary values', T, async (t) => {
    const daemon = await start(t);
    const c = await daemon.connect(SECRETS);
    const current = await call(c.getSecretValue({ secretId: 'db-password' }), 'current');
    assert.equal(current.secretId, DB_ARN);
    assert.equal(current.versionId, 'v2');
    assert.deepEqual(current.versionStage, ['AWSCURRENT']);
    assert.equal(current.secretValue.secretString, 'hunter2');
    const previous = await call(c.getSecretValue({ secretId: DB_ARN, versionStage: 'AWSPREVIOUS' }), 'previous');
    assert.equal(previous.versionId, 'v1');
    assert.equal(Buffer.from(previous.secretValue.secretBinary).toString(), 'old');
    const byId = await call(c.getSecretValue({ secretId: 'db-password', versionId: 'v1' }), 'by id');
    assert.deepEqual(byId.versionStage, ['AWSPREVIOUS']);
});

test('GetSecretValue: the documented errors', T, async (t) => {
    const daemon = await start(t);
    const c = await daemon.connect(SECRETS);
    await expectModeledError(c.getSecretValue({ secretId: 'nope' }), 'ResourceNotFoundError', 'Secret not configured nope');
    await expectModeledError(c.getSecretValue({ secretId: 'db-password', versionStage: 'AWSPENDING' }),
                             'ResourceNotFoundError', 'Version stage AWSPENDING not found for secret db-password');
    await expectModeledError(c.getSecretValue({ secretId: 'db-password', versionId: 'v9' }),
                             'ResourceNotFoundError', 'Version Id v9 not found for secret db-password');
    await expectModeledError(c.getSecretValue({ secretId: 'db-password', versionId: 'v1', versionStage: 'AWSCURRENT' }),
                             'ServiceError', 'Both versionId and Stage are set in the request');
    // The policy resource is the ARN the name resolves to.
    await expectModeledError(c.getSecretValue({ secretId: 'api-key' }), 'UnauthorizedError',
                             `Principal ${SECRETS} is not authorized to perform aws.greengrass.SecretManager:` +
                             `aws.greengrass#GetSecretValue on resource ${API_ARN}`);
});
