/**
 * What went wrong in "Set it up for me", in words: sign-in failures by AADSTS code (Conditional Access, cancelled,
 * wrong cloud, unknown public client) and Graph failures by step and status (not an administrator, app creation
 * forbidden). Each says what happened and what to do.
 */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { CarriedFailureError } from '../../http/graph-middleware';
import type { CreatedSoFar, RegistrationFailure, RegistrationStepId } from './registration-types';

/** A sign-in failure as msal and the token endpoint reported it. */
export interface SignInProblem {
  /** AADSTS number of the last token-endpoint error seen, if any. */
  readonly aadsts?: number;
  /** OAuth error (`authorization_declined`, `access_denied`, …). */
  readonly error?: string;
  readonly message: string;
  readonly aborted?: boolean;
  /** The sign-in was stopped by its time limit (this long, in ms). */
  readonly timedOutAfterMs?: number;
}

const ADMIN_FIX =
  'Sign in as a Global Administrator or a Privileged Role Administrator: only they can grant admin consent to a Microsoft Graph application permission (an Application Administrator cannot). Or ask one of them to run "Set it up for me", or continue by hand in the portal.';

/** Describes a failed admin sign-in. */
export function signInFailure(problem: SignInProblem): RegistrationFailure {
  // A sign-in stopped by its time limit was ended by this app (its loopback answer is not Entra's).
  const detail = problem.timedOutAfterMs !== undefined ? undefined : problem.aadsts ? `AADSTS${problem.aadsts}` : problem.error;
  const f = (code: RegistrationFailure['code'], message: string, fix: string): RegistrationFailure => ({
    step: 'sign-in',
    code,
    message,
    fix,
    ...(detail ? { detail } : {}),
  });
  const expired = problem.error === 'expired_token' || problem.error === 'device_code_expired' || problem.aadsts === 70020;
  if (problem.timedOutAfterMs !== undefined || expired) {
    const minutes = Math.round((problem.timedOutAfterMs ?? 900_000) / 60_000);
    return f(
      'sign-in-expired',
      `The sign-in was not finished within ${minutes} minutes, so it was stopped (the sign-in session ended); nothing was created.`,
      `Start again and finish signing in within ${minutes} minutes: with a device code, enter the code soon after it is shown; with the browser, complete the sign-in in the window that opens.`,
    );
  }
  if (problem.aborted || problem.error === 'authorization_declined' || problem.error === 'access_denied') {
    return f(
      'cancelled',
      'The sign-in was cancelled, so nothing was created.',
      'Start again and finish the sign-in, or set the app up by hand in the portal.',
    );
  }
  switch (problem.aadsts) {
    case 53003:
      return f(
        'conditional-access',
        'A Conditional Access policy of your tenant blocked the sign-in (AADSTS53003).',
        'Sign in from a device or network the policy allows (for example a compliant device), use the device code on such a device, or ask whoever manages Conditional Access to allow this sign-in. The guided portal path works too.',
      );
    case 90002:
    case 90038:
      return f(
        'national-cloud',
        'Your tenant was not found in this cloud: it may be in a national cloud (US Government, China).',
        "Choose your tenant's cloud (Settings → Network, or the cloud choice of the first step) and sign in again.",
      );
    case 700016:
      return f(
        'public-client-unknown',
        'The public client used to sign in is not known in your tenant.',
        'Check the public client id in the setting "Which app signs you in", or choose the Microsoft first-party client.',
      );
    case 7000218:
      return f(
        'public-client-flows-disabled',
        'The public client does not allow device-code sign-in.',
        'In its app registration, Authentication → "Allow public client flows" → Yes; or sign in with the browser instead.',
      );
    case 65001:
    case 90094:
      return f('not-admin', 'The account that signed in may not consent to the permissions this needs.', ADMIN_FIX);
    default:
      if (problem.aadsts) {
        return f(
          'sign-in-refused',
          `Entra refused the sign-in (AADSTS${problem.aadsts}): ${problem.message}`,
          `Look the code up (https://login.microsoftonline.com/error?code=${problem.aadsts}) and sign in again, or set the app up by hand in the portal.`,
        );
      }
      return f('network', `The sign-in did not complete: ${problem.message}`, 'Check the connection to Microsoft and try again.');
  }
}

/** Status, code and message of a failed Graph call, whatever threw it. */
export function graphProblem(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof CarriedFailureError) return { status: 0, code: 'network', message: error.message };
  if (error instanceof GraphError) return { status: error.statusCode, code: error.code ?? '', message: error.message };
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  return {
    status: typeof e?.statusCode === 'number' ? e.statusCode : 0,
    code: typeof e?.code === 'string' ? e.code : '',
    message: error instanceof Error ? error.message : String(error),
  };
}

const STEP_WORDS: Record<RegistrationStepId, string> = {
  application: 'Creating the application',
  'service-principal': 'Creating its service principal',
  consent: 'Granting Directory.Read.All with admin consent',
  secret: 'Adding the client secret',
  'store-validate': 'Storing and testing the connection',
};

/** Describes a failed Graph write of `step`; `isAdmin` says whether the signed-in account holds an admin role. */
export function stepFailure(step: RegistrationStepId, error: unknown, isAdmin: boolean): RegistrationFailure {
  const p = graphProblem(error);
  const detail = p.status ? `${p.status} ${p.code}` : p.code;
  const f = (code: RegistrationFailure['code'], message: string, fix: string): RegistrationFailure => ({
    step,
    code,
    message: `${STEP_WORDS[step]} failed: ${message}`,
    fix,
    detail,
  });
  if (p.status === 403 && step === 'consent') {
    return f(
      'not-admin',
      'the account that signed in may not grant admin consent to Microsoft Graph application permissions.',
      ADMIN_FIX,
    );
  }
  if (p.status === 403 && step === 'application' && !isAdmin) {
    return f(
      'app-creation-forbidden',
      'your tenant does not let users register applications, and the account that signed in holds no admin role.',
      'Sign in as a Global Administrator (or an Application Administrator for this step), or ask one to turn on "Users can register applications" (Entra → Users → User settings).',
    );
  }
  if (p.status === 403) return f('forbidden', `Graph refused it (${p.message}).`, ADMIN_FIX);
  if (p.status === 0)
    return f('network', p.message, 'Check the connection to Microsoft and try again; undo removes what was created.');
  return f(
    'graph-error',
    `Graph answered ${p.status} ${p.code}: ${p.message}`,
    'Try again (re-running reuses what was created), or undo and continue by hand in the portal.',
  );
}

/**
 * The admin cancelled while the steps ran: the run stops before its next Graph write (a write already sent is let
 * finish, so what exists is known), and the failure says what exists so far, which undo removes.
 */
export function cancelledFailure(step: RegistrationStepId, created: CreatedSoFar, name: string): RegistrationFailure {
  const made: string[] = [];
  if (created.appId) {
    made.push(
      created.reused
        ? `the application “${name}” (client ID ${created.appId}) was reused`
        : `the application “${name}” (client ID ${created.appId})`,
    );
  }
  if (created.servicePrincipalId && !created.reused) made.push('its service principal');
  if (created.consentGranted && !created.reused) made.push('admin consent to Directory.Read.All');
  if (created.secretKeyId) made.push('a client secret');
  if (created.stored) made.push('the stored connection');
  const stoppedAt = `Cancelled while ${STEP_WORDS[step].toLowerCase()}`;
  if (made.length === 0 || (created.reused && !created.secretKeyId && !created.stored)) {
    return {
      step,
      code: 'cancelled',
      message: `${stoppedAt}; nothing was created.`,
      fix: 'Start again when you are ready, or set the app up by hand in the portal.',
    };
  }
  return {
    step,
    code: 'cancelled',
    message: `${stoppedAt}. Created before it stopped: ${made.join(', ')}.`,
    fix: created.reused
      ? 'Undo removes the secret it added (the application stays), or run it again to finish.'
      : 'Undo removes all of it (deleting the application removes its service principal, consent and secret), or run it again with the same name to reuse it.',
  };
}
