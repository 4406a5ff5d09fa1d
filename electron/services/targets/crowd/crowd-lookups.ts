/**
 * Looking one thing up in Crowd by what the sync knows of it: a user or a group by name (Crowd compares names in any
 * case; undefined when there is none), a user by e-mail (only when exactly one account has it).
 */
import { CrowdHttpError, type CrowdClient } from './crowd-client';
import type { CrowdGroupJson, CrowdUserJson } from './crowd-reads';

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** The lookups of one Crowd application, through its client. */
export function crowdLookups(client: CrowdClient) {
  const getUser = async (username: string): Promise<CrowdUserJson | undefined> => {
    try {
      return (await client.request<CrowdUserJson>('GET', '/user', { username })).body;
    } catch (error) {
      if (error instanceof CrowdHttpError && error.status === 404) return undefined;
      throw error;
    }
  };

  const getGroup = async (groupname: string): Promise<CrowdGroupJson | undefined> => {
    try {
      return (await client.request<CrowdGroupJson>('GET', '/group', { groupname })).body;
    } catch (error) {
      if (error instanceof CrowdHttpError && error.status === 404) return undefined;
      throw error;
    }
  };

  const findByEmail = async (email: string): Promise<CrowdUserJson | undefined> => {
    const { body } = await client.request<{ users?: CrowdUserJson[] }>('GET', '/search', {
      'entity-type': 'user',
      restriction: `email = "${email.replace(/["\\]/g, '\\$&')}"`,
      'max-results': 10,
      expand: 'user',
    });
    const found = (body?.users ?? []).filter((u) => lower(u.email ?? '') === lower(email));
    return found.length === 1 ? found[0] : undefined;
  };

  return { getUser, getGroup, findByEmail };
}
