/**
 * Which Confluence answers, and what its version allows: the applinks manifest (anonymous, `typeId` `confluence`
 * and the version) and the 8.4 line below which the user admin API and `user/list` do not exist.
 */
import { ConfluenceHttpError, type ConfluenceClient } from './confluence-client';

export interface ConfluenceManifest {
  readonly typeId?: string;
  readonly version?: string;
  readonly name?: string;
}

/** The manifest; undefined when the address does not answer as an Atlassian application does. */
export async function readManifest(client: ConfluenceClient, signal?: AbortSignal): Promise<ConfluenceManifest | undefined> {
  try {
    const { body } = await client.request<ConfluenceManifest>('GET', '/rest/applinks/1.0/manifest', {}, undefined, signal, true);
    return body && typeof body === 'object' ? body : undefined;
  } catch (error) {
    if (error instanceof ConfluenceHttpError) return undefined;
    throw error;
  }
}

/** True from 8.4, where the user admin API (create, update, disable/enable, delete) and `user/list` are complete. */
export function hasFullAdminApi(version: string | undefined): boolean {
  const [major = 0, minor = 0] = (version ?? '').split('.').map((p) => Number.parseInt(p, 10) || 0);
  return major > 8 || (major === 8 && minor >= 4);
}

/** The user operations missing before 8.4, and what the sync does instead (connection test and plan). */
export const missingBefore84 =
  'create, update, disable/enable and delete users (admin/user) and list all users (user/list) came with 8.4';
export const insteadBefore84 =
  'the sync reads users through group members, keeps groups and memberships of existing users in step, and reports each user it cannot create, change or disable so you can do it in the directory Confluence reads (LDAP or Crowd)';
