import { describe, expect, it } from 'vitest';
import { liveValue } from './live-value';

/** A read whose answer the test releases when it chooses: the order of arrival is the test's. */
function pendingRead<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { read: () => promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('liveValue', () => {
  it('shows the answer of a read when nothing newer came', async () => {
    const shown: string[] = [];
    const live = liveValue<string>((v) => shown.push(v));
    const first = pendingRead<string>();
    live.load(first.read);
    first.resolve('loaded');
    await settle();
    expect(shown).toEqual(['loaded']);
  });

  it('drops an answer asked before an event that arrived first (the event is newer)', async () => {
    const shown: string[] = [];
    const live = liveValue<string>((v) => shown.push(v));
    const read = pendingRead<string>();
    live.load(read.read);
    live.push('changed');
    read.resolve('stale answer');
    await settle();
    expect(shown).toEqual(['changed']);
  });

  it('drops an earlier read answered after a later one', async () => {
    const shown: string[] = [];
    const live = liveValue<string>((v) => shown.push(v));
    const earlier = pendingRead<string>();
    const later = pendingRead<string>();
    live.load(earlier.read);
    live.load(later.read);
    later.resolve('later');
    await settle();
    earlier.resolve('earlier');
    await settle();
    expect(shown).toEqual(['later']);
  });

  it('applies an event after a read was answered, and a read asked after an event', async () => {
    const shown: string[] = [];
    const live = liveValue<string>((v) => shown.push(v));
    live.push('first event');
    const read = pendingRead<string>();
    live.load(read.read);
    read.resolve('read after it');
    await settle();
    live.push('second event');
    expect(shown).toEqual(['first event', 'read after it', 'second event']);
  });

  it('reports a failure only for the latest read, and nothing once closed', async () => {
    const shown: string[] = [];
    const errors: unknown[] = [];
    const live = liveValue<string>(
      (v) => shown.push(v),
      (e) => errors.push(e),
    );
    const stale = pendingRead<string>();
    live.load(stale.read);
    live.push('changed');
    stale.reject(new Error('old failure'));
    await settle();
    expect(errors).toEqual([]);
    const failing = pendingRead<string>();
    live.load(failing.read);
    failing.reject(new Error('no network'));
    await settle();
    expect(errors).toHaveLength(1);
    const late = pendingRead<string>();
    live.load(late.read);
    live.close();
    late.resolve('after close');
    live.push('after close');
    await settle();
    expect(shown).toEqual(['changed']);
  });
});
