// The shape of an event as written in YAML or JSON, checked field by field with zod.
import { z } from 'zod';

const text = z.string();
const scalarText = z.union([z.string(), z.number()]).transform((v) => String(v));
const stamp = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 19) : v));

export const linkSchema = z.object({ label: text.min(1, 'link needs a label'), url: z.string().nullish().transform((v) => v ?? ''), private: z.boolean().optional() }).strict();

export const locationSchema = z.union([
  text,
  z
    .object({
      venue: text.optional(),
      address: text.optional(),
      city: text.optional(),
      region: text.optional(),
      country: text.optional(),
      online: z.boolean().optional(),
      url: text.optional(),
      private: z.boolean().optional(),
      geo: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict().optional(),
    })
    .strict(),
]);

const status = z.enum(['confirmed', 'tentative', 'cancelled']);

export const overrideSchema = z
  .object({
    recurrenceId: stamp,
    title: text.optional(),
    start: stamp.optional(),
    end: stamp.optional(),
    status: status.optional(),
    location: locationSchema.optional(),
    description: text.optional(),
    links: z.array(linkSchema).optional(),
  })
  .strict();

export const eventSchema = z
  .object({
    id: scalarText.optional(),
    title: text.min(1, 'title is empty'),
    kind: text.optional(),
    start: stamp,
    end: stamp.optional(),
    timezone: text.optional(),
    recurrence: z
      .object({
        rrule: text.optional(),
        exdates: z.array(stamp).default([]),
        rdates: z.array(stamp).default([]),
      })
      .strict()
      .optional(),
    overrides: z.array(overrideSchema).default([]),
    location: locationSchema.optional(),
    links: z.array(linkSchema).default([]),
    description: text.optional(),
    organizer: text.optional(),
    tags: z.array(scalarText).default([]),
    status: status.default('confirmed'),
    saveTheDate: z.boolean().optional(),
    featured: z.boolean().optional(),
    listAs: z.enum(['occurrences', 'span']).default('occurrences'),
    scope: z.enum(['local', 'national']).optional(),
  })
  .strict();

export type RawEvent = z.infer<typeof eventSchema>;

export const calendarHeadSchema = z
  .object({
    calendar: z.object({ name: text.optional(), timezone: text.optional() }).strict().optional(),
    alliedCalendars: z
      .array(z.object({ name: text.min(1), label: text.optional(), url: z.string().nullish().transform((v) => v ?? '') }).strict())
      .default([]),
    events: z.array(z.unknown()).default([]),
  })
  .strict();

/** A zod issue as one readable phrase: "missing title", "unknown field 'colour'". */
export function describeIssue(issue: z.core.$ZodIssue): { path: (string | number)[]; message: string } {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const field = path.filter((p) => typeof p === 'string').pop();
  if (issue.code === 'unrecognized_keys') {
    return { path: [...path, issue.keys[0]], message: `unknown field '${issue.keys.join("', '")}'` };
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return { path, message: `missing ${field ?? 'value'}` };
  }
  if (issue.code === 'invalid_type') return { path, message: `${field ?? 'value'}: expected ${issue.expected}` };
  if (issue.code === 'invalid_value') return { path, message: `${field ?? 'value'}: expected one of ${issue.values.map(String).join(', ')}` };
  if (issue.code === 'invalid_union' && issue.errors.every((alt) => alt.some((e) => e.code === 'invalid_type' && /received undefined/.test(e.message)))) {
    return { path, message: `missing ${field ?? 'value'}` };
  }
  if (issue.code === 'invalid_union') return { path, message: `${field ?? 'value'}: not a valid ${field ?? 'value'}` };
  return { path, message: field ? `${field}: ${issue.message}` : issue.message };
}
