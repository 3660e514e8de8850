import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodyOf, type FieldSpec, renderForm, routeSchemas, stateOf } from './index.js';

const body = z
  .object({
    name: z.string().min(1).max(20),
    note: z.string().max(300).nullable().optional(),
    budget: z.object({ total: z.number().min(0), pacing: z.enum(['EVEN', 'ASAP']).optional() }),
    tags: z.array(z.string()).max(5).optional(),
    auth: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('bearer'), token: z.string().min(1).max(99) }),
        z.object({ type: z.literal('basic'), username: z.string(), password: z.string() }),
      ])
      .optional(),
    items: z.array(z.object({ id: z.string().max(7) })).optional(),
  })
  .strict();
const schemas = routeSchemas([{ method: 'POST', url: '/api/x', schema: { body } }]);

const fields: FieldSpec[] = [
  { name: 'name', label: 'Name' },
  { name: 'note', label: 'Note', kind: 'textarea', empty: 'null' },
  { name: 'budget.total', label: 'Total', kind: 'number' },
  { name: 'budget.pacing', label: 'Pacing', kind: 'select' },
  { name: 'tags', label: 'Tags', kind: 'list' },
  { name: 'auth.type', label: 'Credential', kind: 'select' },
  { name: 'auth.token', label: 'Token', showWhen: { field: 'auth.type', values: ['bearer'] } },
  { name: 'auth.username', label: 'User', showWhen: { field: 'auth.type', values: ['basic'] } },
  { name: 'items.0.id', label: 'First item' },
  { name: 'start', label: 'Start', kind: 'date', dayEdge: 'end' },
];

describe('console forms', () => {
  it('turns a submitted form into the JSON body the route takes', () => {
    expect(
      bodyOf(fields, {
        name: 'Spring',
        note: '',
        'budget.total': '1500.5',
        'budget.pacing': 'EVEN',
        tags: 'a, b\nc',
        'auth.type': 'bearer',
        'auth.token': 'tok',
        'auth.username': 'ignored: not the chosen credential',
        'items.0.id': 'x1',
        start: '2026-03-01',
      }),
    ).toEqual({
      name: 'Spring',
      note: null,
      budget: { total: 1500.5, pacing: 'EVEN' },
      tags: ['a', 'b', 'c'],
      auth: { type: 'bearer', token: 'tok' },
      items: [{ id: 'x1' }],
      start: '2026-03-01T23:59:59Z',
    });
    // A number that is not one goes as typed, for the route to refuse at its field.
    expect(bodyOf(fields, { 'budget.total': '12k' }).budget).toEqual({ total: '12k' });
  });

  it('takes limits and required fields from the route schema', () => {
    const html = renderForm(
      { id: 'f', action: '/console/x', route: 'POST /api/x', fields, submit: 'Go' },
      'token',
      schemas,
    );
    expect(html).toMatch(/name="name" required[^>]*maxlength="20"/);
    expect(html).toMatch(/name="note"[^>]*maxlength="300"/);
    expect(html).not.toMatch(/name="note"[^>]*required/);
    expect(html).toMatch(/name="budget.total" required[^>]*min="0"/);
    expect(html).toContain('<option value="ASAP">ASAP</option>');
    expect(html).toContain('data-max="5" data-unit="entries"');
    expect(html).toMatch(/name="auth.token"[^>]*maxlength="99"/);
    expect(html).toMatch(/name="items.0.id"[^>]*maxlength="7"/);
    expect(html).toContain('<input type="hidden" name="csrf" value="token">');
  });

  it("lays the API's refusal on the fields it names, the rest as the form's message", () => {
    const state = stateOf(
      { id: 'f', fields },
      { name: '' },
      {
        code: 'VALIDATION_ERROR',
        message: 'name: too short',
        details: {
          issues: [
            { field: 'name', message: 'too short' },
            { field: 'budget.total', message: 'expected number' },
            { field: 'tags.2', message: 'too long' },
            { field: 'auth', message: 'invalid credential' },
            { field: 'unknown', message: 'not allowed' },
          ],
        },
      },
    );
    expect(state.errors).toEqual({
      name: 'Too short',
      'budget.total': 'Expected number',
      tags: 'Too long',
      'auth.type': 'Invalid credential',
    });
    expect(state.message).toBe('Unknown: not allowed');
    const plain = stateOf({ id: 'f', fields }, {}, { code: 'CONFLICT', message: 'Slug taken' });
    expect(plain).toMatchObject({ errors: {}, message: 'Slug taken' });
  });
});
