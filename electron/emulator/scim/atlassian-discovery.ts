/**
 * The Atlassian Cloud SCIM emulator's discovery resources (RFC 7643 §5–7): `/ServiceProviderConfig` (PATCH as
 * configured, filter with 100 results at most, no bulk, no sort, no ETag, the bearer API key), `/ResourceTypes` and
 * `/Schemas` (User, Group).
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const listOf = (items: unknown[]) => ({
  schemas: [LIST],
  totalResults: items.length,
  startIndex: 1,
  itemsPerPage: items.length,
  Resources: items,
});

/** The discovery document at `path`, or undefined when `path` is not one. */
export function cloudDiscovery(path: string, base: string, patch: boolean): unknown {
  if (path === '/ServiceProviderConfig')
    return {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: 'https://developer.atlassian.com/cloud/admin/user-provisioning/rest/intro/',
      patch: { supported: patch },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 100 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'The API key of the identity provider directory, as a bearer token.',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    };
  if (path === '/ResourceTypes')
    return listOf([
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        schema: USER,
      },
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        schema: GROUP,
      },
    ]);
  if (path === '/Schemas')
    return listOf([
      { id: USER, name: 'User', attributes: [{ name: 'userName', type: 'string', required: true, uniqueness: 'server' }] },
      { id: GROUP, name: 'Group', attributes: [{ name: 'displayName', type: 'string', required: true }] },
    ]);
  return undefined;
}
