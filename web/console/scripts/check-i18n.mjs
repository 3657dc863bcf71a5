#!/usr/bin/env node
// Checks the console's translations:
//  1. src/i18n/zh-CN.json and src/i18n/en.json have the same keys;
//  2. each string has the same {{placeholders}} in both languages;
//  3. every static t('key') used in src/ exists in the locale files;
//  4. no .ts/.tsx file under src/ contains CJK text: every user-visible string goes through i18n.
// Exits 1 and lists the problems if any check fails.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const locales = { 'zh-CN': 'src/i18n/zh-CN.json', en: 'src/i18n/en.json' };

function flatten(obj, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

const problems = [];
const flat = {};
for (const [lang, file] of Object.entries(locales)) {
  try {
    flat[lang] = flatten(JSON.parse(readFileSync(join(root, file), 'utf8')));
  } catch (e) {
    problems.push(`${file}: cannot parse: ${e.message}`);
  }
}

if (flat['zh-CN'] && flat.en) {
  const [zh, en] = [flat['zh-CN'], flat.en];
  for (const k of zh.keys()) if (!en.has(k)) problems.push(`en.json lacks key ${k}`);
  for (const k of en.keys()) if (!zh.has(k)) problems.push(`zh-CN.json lacks key ${k}`);
  const vars = (s) => [...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(',');
  for (const [k, v] of zh) {
    if (typeof v !== 'string') problems.push(`zh-CN.json: ${k} is not a string`);
    if (en.has(k) && vars(v) !== vars(en.get(k))) problems.push(`placeholders differ for ${k}: zh-CN {${vars(v)}} en {${vars(en.get(k))}}`);
    if (typeof v === 'string' && !v.trim()) problems.push(`zh-CN.json: ${k} is empty`);
  }
  for (const [k, v] of en) {
    if (typeof v !== 'string') problems.push(`en.json: ${k} is not a string`);
    if (typeof v === 'string' && !v.trim()) problems.push(`en.json: ${k} is empty`);
  }
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(tsx?|jsx?|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

// CJK ideographs, kana, hangul, CJK punctuation and full-width forms.
const CJK = /[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;
const files = walk(src);
let used = 0;
for (const file of files) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  text.split('\n').forEach((line, i) => {
    if (CJK.test(line)) problems.push(`${rel}:${i + 1}: CJK text outside the locale files: ${line.trim()}`);
  });
  if (flat['zh-CN']) {
    for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)) {
      used++;
      if (!flat['zh-CN'].has(m[1])) problems.push(`${rel}: t('${m[1]}') is not in the locale files`);
    }
  }
}

if (problems.length) {
  console.error(`check-i18n: ${problems.length} problem(s)`);
  for (const p of problems) console.error('  ' + p);
  process.exit(1);
}
console.log(
  `check-i18n: ok (${flat['zh-CN'].size} keys in zh-CN and en, ${files.length} source files, ${used} static t() calls)`,
);
