import { ConflictError, NotFoundError, ValidationError } from '../../src/errors';
import { toHttpError } from '../../src/infra/http/errors';

test.each([
  [new ValidationError('bad', { field: 'x' }), 400, 'VALIDATION_FAILED'],
  [new NotFoundError('segment', 's1'), 404, 'NOT_FOUND'],
  [new ConflictError('name taken'), 409, 'CONFLICT'],
  [{ statusCode: 413, message: 'too big' }, 413, 'PAYLOAD_TOO_LARGE'],
  [{ statusCode: 404, body: { message: '/x does not exist' } }, 404, 'NOT_FOUND'],
  [new Error('secret internals'), 500, 'INTERNAL'],
  ['a string', 500, 'INTERNAL'],
])('%p → %d %s', (err, status, code) => {
  const r = toHttpError(err);
  expect(r.status).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(JSON.stringify(r.body)).not.toMatch(/secret internals|at .*\.ts/);
});

test("MongoDB's MaxTimeMSExpired (code 50) is a 429 QUERY_TOO_SLOW, not a 500", () => {
  const { status, body } = toHttpError(
    Object.assign(new Error('operation exceeded time limit'), { code: 50 }),
  );
  expect(status).toBe(429);
  expect(body.error.code).toBe('QUERY_TOO_SLOW');
});
