// The skeleton works for real: HTTP with a gateway token, a fresh PostgreSQL database.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { CREATE_WIDGET, startSample, WIDGET } from '../../test/harness';

const h = perFile(() => startSample('widget'));

it('creates a widget, reads it back, and refuses a second one with the same name', async () => {
  const name = `Widget ${randomUUID().slice(0, 8)}`;
  const created = await h.gql(CREATE_WIDGET, { input: { name: `  ${name}  ` } });
  expect(created.errors).toBeUndefined();
  const widget = created.data!.createWidget;
  expect(widget.name).toBe(name);

  const read = await h.gql(WIDGET, { id: widget.id });
  expect(read.data!.widget).toEqual({ id: widget.id, name });

  const again = await h.gql(CREATE_WIDGET, { input: { name } });
  expect(again.errors![0]!.extensions.code).toBe('WIDGET.NAME_TAKEN');
});

it('answers VALIDATION.FAILED for a blank name and an id that is not a UUID', async () => {
  const blank = await h.gql(CREATE_WIDGET, { input: { name: '   ' } });
  expect(blank.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
  const bad = await h.gql(WIDGET, { id: 'not-a-uuid' });
  expect(bad.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
});
