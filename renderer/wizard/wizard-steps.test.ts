import { describe, expect, it } from 'vitest';
import { validationCodes, type ValidationCode } from '../../shared/validation';
import { checklists, goToStepLabel, nextStep, previousStep, stepForCheck, stepNumber, wizardSteps } from './wizard-steps';

/** Codes no wizard step can fix: neutral states, the network, Graph being busy, and the admin's own date. */
const noStep: readonly ValidationCode[] = [
  'ok',
  'pending',
  'running',
  'skipped-after-failure',
  'inputs-trimmed',
  'throttled',
  'service-unavailable',
  'graph-error',
  'token-rejected',
  'sign-in-failed',
  'invalid-scope',
  'conditional-access-blocked',
  'secret-expiry-unknown',
  'network-offline',
  'network-dns',
  'network-refused',
  'network-reset',
  'network-timeout',
  'network-tls-untrusted',
  'network-tls-failed',
  'network-proxy',
  'network-error',
  'network-foreign-origin',
  'endpoint-insecure',
];

describe('wizard steps', () => {
  it('are seven, in order, with Back and Next at the ends', () => {
    expect(wizardSteps).toHaveLength(7);
    expect(stepNumber('register')).toBe(1);
    expect(stepNumber('first-sync')).toBe(7);
    expect(previousStep('register')).toBeUndefined();
    expect(nextStep('first-sync')).toBeUndefined();
    expect(nextStep('values')).toBe('test');
  });

  it('send every fixable failure back to the step that fixes it', () => {
    for (const code of validationCodes) {
      const step = stepForCheck({ id: 'inputs', code });
      if (noStep.includes(code)) expect(step, code).toBeUndefined();
      else expect(step, code).toBeDefined();
    }
    expect(stepForCheck({ id: 'inputs', code: 'secret-id-instead-of-value' })).toBe('secret');
    expect(stepForCheck({ id: 'permission', code: 'consent-missing' })).toBe('permission');
    expect(stepForCheck({ id: 'tenant', code: 'wrong-cloud' })).toBe('values');
    expect(stepForCheck({ id: 'app', code: 'app-disabled' })).toBe('register');
  });
});

describe('the secret lifetime advice', () => {
  it('says less than 12 months, as Microsoft recommends, not exactly 12', () => {
    const created = checklists.secret?.find((item) => item.id === 'secret.created');
    expect(created?.label).toBe('I created a new client secret that expires in less than 12 months');
  });
});

describe('a link back to a step', () => {
  it('names a step by its number in the wizard, by its section alone in Edit connection', () => {
    expect(goToStepLabel('secret', true)).toBe('Go to step 3: Create a client secret');
    expect(goToStepLabel('values', false)).toBe('Go to Enter the values');
    expect(goToStepLabel('values', false)).not.toMatch(/step \d/);
  });
});
