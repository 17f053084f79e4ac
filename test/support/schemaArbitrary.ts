/**
 * fast-check arbitraries from JSON Schema (the 2020-12 subset `z.toJSONSchema` emits), so the API
 * fuzz test generates requests from the served OpenAPI document itself. Sizes are bounded to keep
 * the test fast; an unknown construct becomes any small JSON value.
 */
import fc from 'fast-check';

export type JsonSchema = Record<string, unknown>;

const anyJson = fc.jsonValue({ maxDepth: 2 });

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = Math.min(typeof s.maxLength === 'number' ? s.maxLength : 40, Math.max(min, 40));
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (typeof s.pattern === 'string') {
    try {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter(
          (v) => v.length >= min && v.length <= (typeof s.maxLength === 'number' ? s.maxLength : Infinity),
        );
    } catch {
      // A pattern fast-check cannot generate from: plain strings (mostly invalid ones, also useful).
    }
  }
  return fc.string({ minLength: min, maxLength: max });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = typeof s.minimum === 'number' ? Math.max(s.minimum, -1e9) : -1e9;
  const hi = typeof s.maximum === 'number' ? Math.min(s.maximum, 1e9) : 1e9;
  return integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
    : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

function objectArb(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  if (Object.keys(props).length === 0) {
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), anyJson, { maxKeys: 3 });
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) record[k] = arbitraryOf(v, depth + 1);
  return fc.record(record, { requiredKeys: required });
}

/** Values that the schema (mostly) accepts. */
export function arbitraryOf(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return anyJson;
  if ('const' in s) return fc.constant(s.const);
  // The document's examples are valid values that random generation would rarely hit (rule texts).
  if (Array.isArray(s.examples) && s.examples.length > 0) {
    const rest: JsonSchema = { ...s, examples: undefined };
    return fc.oneof(fc.constantFrom(...(s.examples as unknown[])), arbitraryOf(rest, depth));
  }
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, depth + 1)));
  const type = Array.isArray(s.type) ? (s.type as string[]) : [s.type];
  if (type.length > 1) return fc.oneof(...type.map((t) => arbitraryOf({ ...s, type: t }, depth)));
  switch (type[0]) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const max = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, Math.max(min, 4));
      return fc.array(arbitraryOf((s.items ?? {}) as JsonSchema, depth + 1), {
        minLength: min,
        maxLength: max,
      });
    }
    case 'object':
      return objectArb(s, depth);
    default:
      return anyJson;
  }
}

/** Mostly schema-shaped values, sometimes any JSON at all: the API must answer both without a 5xx. */
export function fuzzOf(s: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: arbitraryOf(s) }, { weight: 1, arbitrary: anyJson });
}
