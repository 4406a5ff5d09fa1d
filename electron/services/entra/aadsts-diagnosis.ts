/**
 * The AADSTS rows of the diagnosis table: one Entra error number (or several sharing advice) to a code, its check,
 * a verdict, the fix and the portal page. Unknown numbers give no row; the caller falls back to Entra's own words.
 */
import { appPortalLink, appRegistrationsLink, graphScope, knownClouds } from '../../../shared/clouds';
import type { Diagnosis, DiagnosisContext } from './diagnosis';
import { consentFix, docs } from './diagnosis-texts';

type Entry = Omit<Diagnosis, 'details' | 'status'> & { readonly status?: 'fail' | 'warning' };

/** Rows keyed by AADSTS number. Several numbers can share a row. */
export function aadstsRow(aadsts: number, ctx: DiagnosisContext): Entry | undefined {
  const otherClouds = knownClouds
    .filter((c) => c.id !== ctx.cloud.id)
    .map((c) => c.label)
    .join(', ');
  switch (aadsts) {
    case 90002:
      return {
        code: 'tenant-not-found',
        check: 'tenant',
        verdict: `Tenant “${ctx.tenant}” was not found in ${ctx.cloud.label}.`,
        fix:
          'Copy the Directory (tenant) ID from the app registration’s Overview page. If it is right, the tenant ' +
          `lives in another cloud (${otherClouds}): choose that cloud.`,
        link: appRegistrationsLink(ctx.cloud),
      };
    case 900023:
      return {
        code: 'tenant-invalid',
        check: 'tenant',
        verdict: `Entra does not accept “${ctx.tenant}” as a tenant identifier.`,
        fix: 'Use the Directory (tenant) ID GUID from the app registration’s Overview page, or the primary domain.',
        link: appRegistrationsLink(ctx.cloud),
      };
    case 90038:
      return {
        code: 'wrong-cloud',
        check: 'tenant',
        verdict: `The tenant exists, but in another national cloud than ${ctx.cloud.label}.`,
        fix: `Choose the cloud your tenant lives in (${otherClouds}); the tenant’s Overview page in its own portal shows it.`,
        link: docs.nationalClouds,
      };
    case 700016:
      return {
        code: 'app-not-found',
        check: 'app',
        verdict: `No application with ID ${ctx.clientId} exists in tenant “${ctx.tenant}”.`,
        fix:
          'Copy the Application (client) ID from the Overview page of an app registered in this tenant (not its ' +
          'Object ID). An app created a minute ago may not be visible yet: re-test shortly.',
        link: appRegistrationsLink(ctx.cloud),
      };
    case 7000112:
      return {
        code: 'app-disabled',
        check: 'app',
        verdict: 'The application is disabled in this tenant.',
        fix: 'In Enterprise applications, open this app’s Properties and set “Enabled for users to sign in?” to Yes.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'overview'),
      };
    case 7000215:
      return {
        code: 'secret-invalid',
        check: 'secret',
        verdict: 'Entra rejected the client secret: it is not a valid secret of this application.',
        fix:
          'Paste the secret’s Value — not its Secret ID — from Certificates & secrets. The Value is shown only right ' +
          'after the secret is created; if you no longer have it, create a new client secret and copy its Value.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'credentials'),
      };
    case 7000222:
      return {
        code: 'secret-expired',
        check: 'secret',
        verdict: 'The client secret has expired.',
        fix: 'In Certificates & secrets, create a new client secret, paste its Value here, then delete the expired one.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'credentials'),
      };
    case 7000218:
      return {
        code: 'secret-not-sent',
        check: 'secret',
        verdict: 'Entra received no client secret.',
        fix: 'Paste the secret’s Value from Certificates & secrets.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'credentials'),
      };
    case 500011:
      return {
        code: 'resource-not-found',
        check: 'secret',
        verdict: `This tenant does not know Microsoft Graph at ${ctx.cloud.graphBaseUrl}.`,
        fix:
          'The Graph address does not belong to the tenant’s cloud: choose the right cloud, or correct the Graph root ' +
          (ctx.host === 'app' ? '(Settings → Network, custom cloud endpoints).' : '(ENTRA_GRAPH_BASE_URL).'),
        link: docs.nationalClouds,
      };
    case 70011:
    case 1002012:
      return {
        code: 'invalid-scope',
        check: 'secret',
        verdict: `Entra refused the requested scope ${graphScope(ctx.cloud)}.`,
        fix: 'The scope must be the Graph root of the tenant’s cloud followed by /.default: choose the right cloud or correct the Graph root.',
        link: docs.nationalClouds,
      };
    case 53003:
      return {
        code: 'conditional-access-blocked',
        check: 'secret',
        verdict: 'A Conditional Access policy blocked this app’s sign-in.',
        fix:
          'Ask your Conditional Access administrator to allow this app (workload identity policies often restrict ' +
          'locations): the sign-in logs for service principals show which policy applied.',
        link: docs.conditionalAccess,
      };
    case 65001:
    case 65002:
    case 90094:
      return {
        code: 'consent-required',
        check: 'permission',
        verdict: 'Entra says admin consent is required for this application.',
        fix: consentFix,
        link: appPortalLink(ctx.cloud, ctx.clientId, 'api-permissions'),
      };
    default:
      return undefined;
  }
}
