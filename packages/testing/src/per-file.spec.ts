import { perFile } from './per-file';

class Thing {
  stopped = 0;
  constructor(readonly name: string) {}
  greet(who: string): string {
    return `${this.name} greets ${who}`;
  }
  stop(): Promise<void> {
    this.stopped += 1;
    return Promise.resolve();
  }
}

const made: Thing[] = [];
let handle: Thing | undefined;

describe('a handle used in its block', () => {
  const thing = perFile(() => {
    const t = new Thing(`thing-${made.length + 1}`);
    made.push(t);
    return Promise.resolve(t);
  });
  handle = thing;

  it('reads the started thing: its fields, and its methods bound to it', () => {
    expect(thing.name).toBe('thing-1');
    const greet = thing.greet;
    expect(greet('Marie')).toBe('thing-1 greets Marie');
  });

  it('is the same thing for every test of the block (started once)', () => {
    expect(thing.name).toBe('thing-1');
    expect(made).toHaveLength(1);
    expect(made[0]!.stopped).toBe(0);
  });
});

describe('after its block', () => {
  it('the thing was stopped once', () => {
    expect(made).toHaveLength(1);
    expect(made[0]!.stopped).toBe(1);
  });

  it('its handle throws, naming what was read, instead of reading a stopped thing', () => {
    expect(() => handle!.name).toThrow(/perFile: "name" read outside the file's tests/);
  });
});
