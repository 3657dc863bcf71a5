#!/usr/bin/env node
// Gzips dist/widget.js and fails if the result is 50 KB or more: the widget
// loads on every page of a shop, so it must stay small.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT = 50 * 1024;
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'widget.js');
let raw;
try {
  raw = readFileSync(file);
} catch (e) {
  console.error(`size: cannot read ${file}: ${e.message} (run npm run build first)`);
  process.exit(1);
}
const gz = gzipSync(raw, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(2) + ' KB';
console.log(`dist/widget.js: ${kb(raw.length)} raw, ${kb(gz)} gzipped (${gz} bytes; limit ${kb(LIMIT)})`);
if (gz >= LIMIT) {
  console.error(`size: FAIL: the gzipped widget is ${kb(gz)}, limit is ${kb(LIMIT)}`);
  process.exit(1);
}
