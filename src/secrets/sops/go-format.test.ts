import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoFloat, goRfc3339, goValueBytes } from './go-format.js';

test('floats are written like Go FormatFloat(f, -1): plain decimal, never an exponent', () => {
  assert.equal(formatGoFloat(1.5), '1.5');
  assert.equal(formatGoFloat(1e22), '10000000000000000000000');
  assert.equal(formatGoFloat(1.25e21), '1250000000000000000000');
  assert.equal(formatGoFloat(1e-7), '0.0000001');
  assert.equal(formatGoFloat(-2.5e-8), '-0.000000025');
  assert.equal(formatGoFloat(0.1), '0.1');
});

test('MAC bytes of plain leaves: bools as True/False, numbers as Go prints them, null is no leaf', () => {
  assert.equal(goValueBytes(true)?.toString(), 'True');
  assert.equal(goValueBytes(false)?.toString(), 'False');
  assert.equal(goValueBytes(42)?.toString(), '42');
  assert.equal(goValueBytes(1e21)?.toString(), '1000000000000000000000');
  assert.equal(goValueBytes('ü')?.length, 2);
  assert.equal(goValueBytes(null), null);
  assert.equal(goValueBytes(new Date(0)), null);
});

test('lastmodified is re-formatted like Go: no fractional seconds, a zero offset becomes Z', () => {
  assert.equal(goRfc3339('2024-11-12T13:33:42Z'), '2024-11-12T13:33:42Z');
  assert.equal(goRfc3339('2024-11-12T13:33:42.123456Z'), '2024-11-12T13:33:42Z');
  assert.equal(goRfc3339('2024-11-12T13:33:42+00:00'), '2024-11-12T13:33:42Z');
  assert.equal(goRfc3339('2024-11-12T13:33:42+02:00'), '2024-11-12T13:33:42+02:00');
  assert.equal(goRfc3339('yesterday'), null);
});
