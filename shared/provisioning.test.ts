import { describe, expect, it } from 'vitest';
import { modelDescriptions, recommendModel } from './provisioning';

describe('recommendModel', () => {
  it('recommends User Sync for Jira with groups, and says it is sure once all is answered', () => {
    const r = recommendModel({ needGroups: true, product: 'jira', onLdap: false });
    expect(r.model).toBe('user-sync');
    expect(r.complete).toBe(true);
    expect(r.reasons.join(' ')).toContain('Jira Data Center');
  });

  it('is not yet sure with questions unanswered', () => {
    expect(recommendModel({}).complete).toBe(false);
    expect(recommendModel({ product: 'confluence' }).complete).toBe(false);
  });

  it('recommends manual management while the product still syncs from LDAP', () => {
    expect(recommendModel({ needGroups: true, product: 'jira', onLdap: true }).model).toBe('manual');
  });

  it('recommends Just-in-Time for products without User Sync, warning about group ids when groups are needed', () => {
    const withGroups = recommendModel({ needGroups: true, product: 'other', onLdap: false });
    expect(withGroups.model).toBe('jit');
    expect(withGroups.reasons.join(' ')).toMatch(/group ids/);
    expect(recommendModel({ needGroups: false, product: 'other', onLdap: false }).reasons.join(' ')).toMatch(/almost no upkeep/);
  });

  it.each(['jira', 'confluence', 'bitbucket'] as const)('offers User Sync for %s', (product) => {
    expect(recommendModel({ needGroups: false, product, onLdap: false }).model).toBe('user-sync');
  });
});

describe('model descriptions', () => {
  it('leave "recommended" to the badge the answers decide, so a card never contradicts it', () => {
    for (const model of Object.values(modelDescriptions)) {
      expect(`${model.tagline} ${model.pickWhen}`).not.toMatch(/recommend/i);
    }
  });
});
