import { describe, expect, it } from 'vitest';
import { handleControlCall } from './control-http';

class Refusal extends Error {}

/** The control API every emulator serves at /_control/<method>: who may call it, what, and how failures answer. */
describe('the emulators’ control API over HTTP', () => {
  const calls: unknown[][] = [];
  const control = {
    add: (a: number, b: number) => a + b,
    record: (...args: unknown[]) => void calls.push(args),
    refuse: () => {
      throw new Refusal('no such user');
    },
    crash: () => {
      throw new Error('broken');
    },
  };
  const token = 'per-run-token';
  const call = (method: string, body = '', ...auth: [string | undefined] | []) =>
    handleControlCall(control, token, method, auth.length > 0 ? auth[0] : `Bearer ${token}`, body, (e) =>
      e instanceof Refusal ? { status: 404, code: 'not-found' } : undefined,
    );

  it('calls the method with the body’s args and answers its result (null for none)', () => {
    expect(call('add', '{"args":[2,3]}')).toEqual({ status: 200, body: { result: 5 } });
    expect(call('record', '  ')).toEqual({ status: 200, body: { result: null } });
    expect(call('record', '{}')).toEqual({ status: 200, body: { result: null } });
    expect(calls).toEqual([[], []]);
  });

  it('refuses a caller without the control token, whatever its length', () => {
    const refused = {
      status: 401,
      body: { error: { code: 'unauthorized', message: 'The control API needs the per-run control token.' } },
    };
    for (const authorization of [undefined, '', `Bearer ${token}x`, `Bearer ${token.replace('t', 'T')}`, token]) {
      expect(call('add', '{"args":[1,1]}', authorization)).toEqual(refused);
    }
  });

  it('knows only the control’s own methods, never an inherited one', () => {
    for (const method of ['nothing', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(call(method)).toEqual({
        status: 404,
        body: { error: { code: 'unknown-method', message: `No control method '${method}'.` } },
      });
    }
  });

  it('answers 400 for a body that is not JSON or whose args are not a list, without calling', () => {
    calls.length = 0;
    expect(call('record', '{"args":')).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect(call('record', '{"args":{"a":1}}')).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: 'Bad control body: args must be an array' } },
    });
    expect(calls).toEqual([]);
  });

  it('answers a method’s failure with the emulator’s status for it, else 400', () => {
    expect(call('refuse')).toEqual({ status: 404, body: { error: { code: 'not-found', message: 'no such user' } } });
    expect(call('crash')).toEqual({ status: 400, body: { error: { code: 'invalid', message: 'broken' } } });
  });
});
