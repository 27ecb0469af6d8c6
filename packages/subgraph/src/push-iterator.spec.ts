import { PushIterator } from './push-iterator';

describe('PushIterator', () => {
  it('yields pushed values in order, buffered or awaited', async () => {
    const it = new PushIterator<number>();
    it.push(1);
    it.push(2);
    expect(await it.next()).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
  });

  it('hands a value to a waiting consumer', async () => {
    const it = new PushIterator<string>();
    const pending = it.next();
    it.push('a');
    expect(await pending).toEqual({ value: 'a', done: false });
  });

  it('calls onClose once when the consumer returns, and ends waiting reads', async () => {
    const onClose = jest.fn();
    const it = new PushIterator<number>(onClose);
    const pending = it.next();
    await it.return();
    await it.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(onClose).toHaveBeenCalledTimes(1);
    it.push(3);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('fails a consumer that falls too far behind instead of growing without bound', async () => {
    const onClose = jest.fn();
    const it = new PushIterator<number>(onClose, 2);
    it.push(1);
    it.push(2);
    it.push(3);
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(await it.next()).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    await expect(it.next()).rejects.toThrow('subscriber too slow');
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('rejects a waiting read when the source fails', async () => {
    const it = new PushIterator<number>();
    const pending = it.next();
    it.fail(new Error('feed down'));
    await expect(pending).rejects.toThrow('feed down');
  });
});
