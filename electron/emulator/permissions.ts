/**
 * Microsoft Graph application permissions the emulator knows (ids from graph-facts §3), and which of them
 * allow reading each kind of object.
 */

/** Microsoft Graph's well-known application id. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Application (Role) permission name → app role id. */
export const GRAPH_APP_ROLES: Readonly<Record<string, string>> = {
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'Directory.ReadWrite.All': '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
  'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'AppRoleAssignment.ReadWrite.All': '06b708a9-e830-4db3-a914-8e69da51d44f',
  'Device.Read.All': '7438b122-aefc-4978-80ed-43db9fcc7715',
  'Organization.Read.All': '498476ce-e0fe-48b0-b801-37ba7e2685c6',
};

/** What a request needs; any one of the listed roles is enough. */
export type Access = 'users' | 'groups' | 'applications' | 'devices' | 'organization';

const ALLOWED: Record<Access, readonly string[]> = {
  users: ['User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  groups: ['Group.Read.All', 'GroupMember.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  applications: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  devices: ['Device.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  organization: ['Organization.Read.All', 'User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};

/** True when the token's roles allow `access`. */
export function allows(roles: readonly string[], access: Access): boolean {
  return ALLOWED[access].some((r) => roles.includes(r));
}
