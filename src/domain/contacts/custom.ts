/**
 * Custom fields: user-chosen keys become Mongo paths (`custom.<key>`), so keys are restricted to a
 * safe alphabet (no `.`, no `$`) and the prototype names are refused. Values are typed scalars;
 * an object or array where a scalar is expected is refused, so no value can become an operator.
 */
import { z } from 'zod';
import { codePoints } from '../wire';
import type { CustomValue } from './types';

export const MAX_CUSTOM_KEYS = 100;
export const MAX_CUSTOM_STRING = 1000;
const KEY = /^[A-Za-z0-9_-]{1,64}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
// Full ISO 8601 date or date-time with a zone: such strings are stored as Date (rules compare dates).
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A custom-field key as a path parameter (`PUT /contacts/{id}/custom/{key}`). */
export const customKeySchema = z
  .string()
  .refine((k) => customKeyProblem(k) === undefined, 'key must be 1-64 characters of A-Z, a-z, 0-9, _ and -')
  .meta({ pattern: KEY.source, not: { enum: [...RESERVED] } });

/** Why a custom-field key is unusable, or undefined when it is fine. */
export function customKeyProblem(key: string): string | undefined {
  if (!KEY.test(key)) return 'key must be 1-64 characters of A-Z, a-z, 0-9, _ and -';
  if (RESERVED.has(key)) return `key "${key}" is reserved`;
  return undefined;
}

/**
 * A custom value as the document shows it. A string that looks like an ISO date must also be a
 * real one (2024-02-30 is refused): that much JSON Schema cannot say.
 */
export const CUSTOM_VALUE_JSON_SCHEMA = {
  anyOf: [
    { type: 'string', maxLength: MAX_CUSTOM_STRING },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'null' },
  ],
};

type ValueResult = { ok: true; value: CustomValue } | { ok: false; problem: string };

/** Converts a JSON value into a stored custom value, or says why it cannot be one. */
export function toCustomValue(v: unknown): ValueResult {
  if (v === null || typeof v === 'boolean') return { ok: true, value: v };
  if (typeof v === 'number') {
    return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, problem: 'number must be finite' };
  }
  if (typeof v === 'string') {
    if (ISO.test(v)) {
      const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
      // Date-only strings must name a real day (V8 rolls 2024-02-30 over to March).
      if (Number.isNaN(d.getTime()) || (v.length === 10 && d.toISOString().slice(0, 10) !== v)) {
        return { ok: false, problem: 'not a valid ISO date' };
      }
      return { ok: true, value: d };
    }
    if (codePoints(v) > MAX_CUSTOM_STRING) {
      return { ok: false, problem: `string must be at most ${MAX_CUSTOM_STRING} characters` };
    }
    return { ok: true, value: v };
  }
  return { ok: false, problem: 'must be a string, finite number, boolean, ISO date or null' };
}

/** A JSON object of custom fields → a validated record; each problem is reported at its key. */
export const customFieldsSchema = z
  .unknown()
  .transform((input, ctx): Record<string, CustomValue> => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', message: 'must be an object of custom fields', input });
      return z.NEVER;
    }
    const out: Record<string, CustomValue> = {};
    const keys = Object.keys(input);
    if (keys.length > MAX_CUSTOM_KEYS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_CUSTOM_KEYS} custom fields`, input });
    }
    for (const key of keys) {
      const keyProblem = customKeyProblem(key);
      const result = toCustomValue((input as Record<string, unknown>)[key]);
      if (keyProblem) ctx.addIssue({ code: 'custom', message: keyProblem, path: [key], input });
      else if (!result.ok) ctx.addIssue({ code: 'custom', message: result.problem, path: [key], input });
      else out[key] = result.value;
    }
    return out;
  })
  .meta(customFieldsJsonSchema());

/** What `customFieldsSchema` accepts, for the OpenAPI document (a transform has no schema of its own). */
function customFieldsJsonSchema() {
  return {
    type: 'object',
    maxProperties: MAX_CUSTOM_KEYS,
    propertyNames: { pattern: KEY.source, not: { enum: [...RESERVED] } },
    additionalProperties: CUSTOM_VALUE_JSON_SCHEMA,
  };
}
