import { lookupField } from '../../src/rules/catalogue';

test('catalogue rejects unsafe custom keys', () => {
  expect(lookupField('custom.plan')?.type).toBe('custom');
  expect(lookupField('custom.__proto__')).toBeUndefined();
  expect(lookupField('custom.a.b')).toBeUndefined();
  expect(lookupField('$where')).toBeUndefined();
});
