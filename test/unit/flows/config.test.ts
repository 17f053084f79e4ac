/** The workflow settings: FLOW_TIME_SCALE and FLOW_LOCK_MS, defaults and refusals. */
import { loadConfig } from '../../../src/config';

test('defaults: real time, 30 s lock', () => {
  expect(loadConfig({}).flows).toEqual({ timeScale: 1, lockMs: 30_000, builtIn: true });
});

test('a scale shrinks days for tests and demos', () => {
  expect(
    loadConfig({ FLOW_TIME_SCALE: '0.00001', FLOW_LOCK_MS: '1000', FLOWS_BUILT_IN: 'false' }).flows,
  ).toEqual({
    timeScale: 0.00001,
    lockMs: 1000,
    builtIn: false,
  });
});

test.each([
  ['FLOW_TIME_SCALE', '0', /FLOW_TIME_SCALE="0": a number from 0.000001 to 1/],
  ['FLOW_TIME_SCALE', '2', /FLOW_TIME_SCALE="2": a number from 0.000001 to 1/],
  ['FLOW_TIME_SCALE', 'fast', /FLOW_TIME_SCALE="fast"/],
  ['FLOW_LOCK_MS', '10', /FLOW_LOCK_MS="10": must be a whole number from 500/],
  ['FLOWS_BUILT_IN', 'yes', /FLOWS_BUILT_IN="yes": true or false/],
])('%s=%s is refused', (name, value, message) => {
  expect(() => loadConfig({ [name]: value })).toThrow(message);
});
