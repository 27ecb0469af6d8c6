import { parseInput, ValidationError } from '@crm/subgraph';
import { createWidgetInput } from './widget.inputs';
import { decideCreateWidget } from './widget.rules';

const now = new Date('2026-01-15T10:00:00.000Z');

describe('createWidgetInput', () => {
  it('collapses spaces and refuses a blank name, naming the field', () => {
    expect(parseInput(createWidgetInput, { name: '  Grand   widget ' })).toEqual({ name: 'Grand widget' });
    expect(() => parseInput(createWidgetInput, { name: '   ' })).toThrow(ValidationError);
  });
});

describe('decideCreateWidget', () => {
  it('returns the row to write, stamped with the given clock and id', () => {
    expect(decideCreateWidget({ name: 'Grand widget' }, 'w-1', now)).toEqual({
      row: { id: 'w-1', name: 'Grand widget', createdAt: now },
    });
  });
});
