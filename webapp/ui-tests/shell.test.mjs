// The service worker's shell list (static/sw.js) names every file the page loads, so that the
// app opens offline whole: a module missing from it would break the offline start.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const root = new URL('../../static/', import.meta.url);
// Not part of the page: the worker itself, and the source of the maskable icons.
const NOT_SHELL = new Set(['sw.js', 'icon-maskable.svg']);

test('the service worker keeps every file of the page, and only files that exist', () => {
  const worker = readFileSync(new URL('sw.js', root), 'utf8');
  const list = worker.match(/const SHELL = \[([\s\S]*?)\];/);
  assert.ok(list, 'sw.js declares its SHELL list');
  const shell = [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  const files = readdirSync(root).filter((f) => !NOT_SHELL.has(f));
  const expected = ['/', ...files.filter((f) => f !== 'index.html').map((f) => `/${f}`)];
  assert.deepEqual([...shell].sort(), expected.sort());
});
