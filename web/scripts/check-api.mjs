#!/usr/bin/env node
// Fails when src/api/schema.d.ts is not what `npm run gen:api` makes of openapi.json,
// so a changed API cannot ship with stale types. Never edit schema.d.ts by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const spec = join(web, 'openapi.json');
const committed = join(web, 'src', 'api', 'schema.d.ts');
const cli = join(web, 'node_modules', '.bin', 'openapi-typescript');

function fail(message) {
  console.error(`check:api: ${message}`);
  process.exit(1);
}

if (!existsSync(spec)) fail(`${spec} does not exist.`);
if (!existsSync(cli)) fail('openapi-typescript is not installed: run `npm ci` in web/ first.');
if (!existsSync(committed)) fail(`${committed} does not exist: run \`npm run gen:api\` in web/.`);

const scratch = mkdtempSync(join(tmpdir(), 'provena-api-'));
try {
  const fresh = join(scratch, 'schema.d.ts');
  try {
    execFileSync(cli, [spec, '-o', fresh], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    fail(`openapi-typescript could not read openapi.json:\n${String(error.stderr ?? error)}`);
  }
  const expected = readFileSync(fresh, 'utf8').split('\n');
  const actual = readFileSync(committed, 'utf8').split('\n');
  const line = expected.findIndex((text, i) => text !== actual[i]);
  const differs = line !== -1 || expected.length !== actual.length;
  if (differs) {
    const at = line === -1 ? Math.min(expected.length, actual.length) : line;
    fail(
      'web/src/api/schema.d.ts is stale: it differs from the types generated from ' +
        `web/openapi.json (first difference at line ${at + 1}).\n` +
        `  generated: ${JSON.stringify(expected[at] ?? '<end of file>')}\n` +
        `  committed: ${JSON.stringify(actual[at] ?? '<end of file>')}\n` +
        'Run `npm run gen:api` in web/ and commit the result.',
    );
  }
  console.log('check:api: src/api/schema.d.ts matches openapi.json');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
