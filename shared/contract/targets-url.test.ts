import { describe, expect, it } from 'vitest';
import { targetUrlProblem } from './targets';

describe('targetUrlProblem', () => {
  it('asks to remove a SCIM resource pasted with the base URL, and takes the base URL itself', () => {
    const base = 'https://api.atlassian.com/scim/directory/0f1e2d3c';
    expect(targetUrlProblem(`${base}/Users`, 'scim')).toMatch(/^Remove \/Users from the address: .*the part before \/Users/);
    expect(targetUrlProblem(`${base}/Users/`, 'scim')).toMatch(/^Remove \/Users from the address/);
    expect(targetUrlProblem(`${base}/Groups/42`, 'scim')).toMatch(/^Remove \/Groups\/42 from the address/);
    expect(targetUrlProblem('https://scim.example.com/v2/ServiceProviderConfig', 'scim')).toMatch(
      /^Remove \/ServiceProviderConfig from the address/,
    );
    expect(targetUrlProblem(base, 'scim')).toBeNull();
    expect(targetUrlProblem('https://scim.example.com/scim/v2/', 'scim')).toBeNull();
    // Only SCIM has resources at the end of its address; a Jira context path may be called anything.
    expect(targetUrlProblem('https://jira.example.com/Users', 'jira')).toBeNull();
  });

  it('still asks for the base address of an Atlassian product without a pasted /rest/… path', () => {
    expect(targetUrlProblem('https://crowd.example.com/crowd/rest/usermanagement/1', 'crowd')).toMatch(/without \/rest\//);
  });
});
