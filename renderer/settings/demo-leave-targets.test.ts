import { describe, expect, it } from 'vitest';
import { demoTargetsLeaveText } from './demo-leave-targets';

const local = { name: 'Embedded directory', demo: false };
const own = { name: 'Jira (production)', demo: false };

describe('demoTargetsLeaveText', () => {
  it('says nothing when the demo has no target', () => {
    expect(demoTargetsLeaveText([local, own])).toBe('');
  });

  it('names the demo Jira, and only the demo targets, as going with the demo', () => {
    expect(demoTargetsLeaveText([local, own, { name: 'Demo Jira', demo: true }])).toBe(
      'The demo target “Demo Jira” stops and is removed too, with its sync history; targets you added yourself stay.',
    );
    expect(
      demoTargetsLeaveText([
        local,
        { name: 'Demo Jira', demo: true },
        own,
        { name: 'Demo Confluence', demo: true },
        { name: 'Demo Bitbucket', demo: true },
      ]),
    ).toBe(
      'The demo targets “Demo Jira”, “Demo Confluence” and “Demo Bitbucket” stop and are removed too, with their sync ' +
        'history; targets you added yourself stay.',
    );
  });

  it('warns that own targets synced into during the demo keep the demo users, and names only those', () => {
    const run = { id: 'r1' } as unknown as NonNullable<Parameters<typeof demoTargetsLeaveText>[0][number]['lastRun']>;
    const builtIn = { ...local, builtIn: true, lastRun: run };
    const fed = { name: 'My SCIM', demo: false, builtIn: false, lastRun: run };
    const untouched = { name: 'My Jira', demo: false, builtIn: false, lastRun: null };
    expect(demoTargetsLeaveText([builtIn, untouched])).toBe('');
    expect(demoTargetsLeaveText([builtIn, fed, untouched, { name: 'Demo Jira', demo: true, lastRun: run }])).toBe(
      'The demo target “Demo Jira” stops and is removed too, with its sync history; targets you added yourself stay. ' +
        '“My SCIM” keeps the demo users and groups the sync wrote into it: the sync forgets them with the demo and will ' +
        'not remove them later, so delete them there yourself (the demo users’ addresses end in @demo-tenant.onmicrosoft.com).',
    );
    expect(demoTargetsLeaveText([fed, { ...fed, name: 'My Bitbucket' }])).toContain(
      '“My SCIM” and “My Bitbucket” keep the demo users and groups the sync wrote into them:',
    );
  });
});
