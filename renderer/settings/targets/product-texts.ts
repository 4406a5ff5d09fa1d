import type { TargetProduct } from '../../../shared/targets';

/**
 * What the add-target form says of each product: what the sync does there, and the product's own rules the plan
 * follows (the facts of the credential are in `targetProductInfo`, shared with the terminal).
 */
export const productIntro: Readonly<Record<TargetProduct, string>> = {
  jira: 'Users and groups from Entra ID are created, updated and deactivated in Jira Software or Jira Service Management Data Center 8.14 or later, through its REST API.',
  confluence:
    'Users and groups from Entra ID are created, updated and disabled in Confluence Data Center through its user administration API (complete from 8.4; older versions are told in the test). Confluence user names are lower case, so the sync lower-cases them; a deletion runs as a Confluence background task that the sync waits for.',
  bitbucket:
    'Users and groups from Entra ID are created and updated in Bitbucket Data Center. Bitbucket cannot deactivate a user: choose below what "disable" means there. New users get a random password nobody needs (they sign in through your SSO); it is never shown or stored.',
  crowd:
    'Users and groups from Entra ID are written once to Crowd Data Center, and every product that reads its directory from Crowd gets them at its next directory sync. Crowd replaces a whole user on each update, so the sync always sends every field; nested groups in Crowd are left as they are.',
  scim: 'Users and groups from Entra ID are provisioned to any SCIM 2.0 service (RFC 7643/7644), with the same plan, dry run, safety brake and history. The Atlassian Cloud preset knows its rules: for example, deactivated users are not returned by its lists, so the sync keeps track of them itself.',
};

/** The form's name suggestion for a new target. */
export const defaultTargetName: Readonly<Record<TargetProduct, string>> = {
  jira: 'Jira',
  confluence: 'Confluence',
  bitbucket: 'Bitbucket',
  crowd: 'Crowd',
  scim: 'Atlassian Cloud',
};
