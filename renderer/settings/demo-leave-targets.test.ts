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
});
