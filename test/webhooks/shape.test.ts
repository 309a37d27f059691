// The webhook event checker, against zod as an oracle (what events.ts used before it went
// dependency-free for the edge), and the types it derives.
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { ConversationEvent } from '../../src/webhooks/events.js';
import { fitsField, fitsShape } from '../../src/webhooks/shape.js';

const KINDS = ['string', 'actor', 'number', 'boolean', 'string[]', 'number[]', 'record', 'object', 'unknown', '=team'];
const SPECS = KINDS.flatMap((kind) => [kind, `${kind}?`, `${kind}|null`, `${kind}|null?`]);

function oracle(spec: string): z.ZodType {
  const optional = spec.endsWith('?');
  const rest = optional ? spec.slice(0, -1) : spec;
  const nullable = rest.endsWith('|null');
  const kind = nullable ? rest.slice(0, -5) : rest;
  const schemas: Record<string, z.ZodType> = {
    string: z.string(),
    actor: z.string(),
    number: z.number(),
    boolean: z.boolean(),
    'string[]': z.array(z.string()),
    'number[]': z.array(z.number()),
    record: z.record(z.string(), z.string()),
    object: z.record(z.string(), z.unknown()),
    unknown: z.unknown(),
  };
  let schema = schemas[kind] ?? z.literal(kind.slice(1));
  if (nullable) schema = schema.nullable();
  if (optional) schema = schema.optional();
  // An absent field: zod sees it through an object, as the events did.
  return z.object({ field: schema });
}

describe('fitsField', () => {
  it.each(SPECS)('agrees with zod on %s for any JSON value, and for an absent field', (spec) => {
    const schema = oracle(spec);
    fc.assert(
      fc.property(fc.option(fc.jsonValue(), { nil: undefined }), (value) => {
        expect(fitsField(value, spec)).toBe(schema.safeParse(value === undefined ? {} : { field: value }).success);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a number where a string belongs', 42, 'string', false],
    ['null where null is not allowed', null, 'string?', false],
    ['an absent required field', undefined, 'string|null', false],
    ['an array where a record belongs', ['a'], 'record', false],
    ['a record with a non-string value', { a: 1 }, 'record', false],
    ['another literal', 'customer', '=team', false],
    ['the literal', 'team', '=team', true],
    ['a lone surrogate in a string (still a string)', '\uD800', 'string', true],
  ])('%s', (_, value, spec, fits) => {
    expect(fitsField(value, spec)).toBe(fits);
  });
});

describe('fitsShape', () => {
  it('keeps extra fields and refuses non-objects', () => {
    expect(fitsShape({ id: 'x', extra: 1 }, { id: 'string' })).toBe(true);
    for (const value of [null, undefined, 'x', 1, ['x']]) expect(fitsShape(value, { id: 'string?' })).toBe(false);
  });

  it('does not read a field from the prototype', () => {
    expect(fitsShape(Object.create({ id: 'inherited' }) as object, { id: 'string' })).toBe(false);
    expect(fitsShape(JSON.parse('{"__proto__": {"id": "x"}}'), { id: 'string' })).toBe(false);
  });
});

describe('the derived event types', () => {
  it('narrow properties by event name, required and optional as PostHog sets them', () => {
    type Created = Extract<ConversationEvent, { event: '$conversation_ticket_created' }>['properties'];
    expectTypeOf<Created['ticket_id']>().toEqualTypeOf<string>();
    expectTypeOf<Created['channel_detail']>().toEqualTypeOf<string | null | undefined>();
    type Sent = Extract<ConversationEvent, { event: '$conversation_message_sent' }>['properties'];
    expectTypeOf<Sent['author_type']>().toEqualTypeOf<'team'>();
    expectTypeOf<Sent['sla_active']>().toEqualTypeOf<boolean | undefined>();
    type Incident = Extract<ConversationEvent, { event: '$conversation_incident_detected' }>['properties'];
    expectTypeOf<Incident['sample_ticket_numbers']>().toEqualTypeOf<number[] | undefined>();
  });
});
