/**
 * The plan of "Set it up for me", shown before anything is created: the five steps with what each creates, the
 * delegated permissions of the sign-in and why, and the secret's lifetime (default 12 months, at most 24).
 */
import { delegatedPermissions } from './admin-sign-in';
import {
  DEFAULT_SECRET_MONTHS,
  MAX_SECRET_MONTHS,
  RegistrationError,
  type RegistrationPlan,
  type RegistrationRequest,
  type RegistrationStepId,
} from './registration-types';

/** The application name used when the admin keeps the default. */
export const DEFAULT_APP_NAME = 'Entra Sync Assistant';

const STEP_TITLES: Record<RegistrationStepId, string> = {
  application: 'Application',
  'service-principal': 'Service principal',
  consent: 'Directory.Read.All with admin consent',
  secret: 'Client secret',
  'store-validate': 'Store and test',
};

/** `now` plus `months` calendar months, as Graph writes dates. */
export function addMonths(now: Date, months: number): string {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Builds the plan; throws {@link RegistrationError} `invalid-request` for a bad name or lifetime. */
export function buildPlan(request: RegistrationRequest, now: Date): RegistrationPlan {
  const name = (request.name ?? DEFAULT_APP_NAME).trim();
  const months = request.secretMonths ?? DEFAULT_SECRET_MONTHS;
  if (!name) throw invalid('The application needs a name.');
  if (name.length > 120) throw invalid('The application name is longer than 120 characters.');
  if (!Number.isInteger(months) || months < 1 || months > MAX_SECRET_MONTHS) {
    throw invalid(`The secret lifetime must be a whole number of months from 1 to ${MAX_SECRET_MONTHS}, not ${months}.`);
  }
  return {
    name,
    secretMonths: months,
    secretExpiresAt: addMonths(now, months),
    steps: [
      {
        id: 'application',
        title: STEP_TITLES.application,
        detail: `“${name}”, single tenant (this organisation only), with notes saying what created it and when`,
      },
      { id: 'service-principal', title: STEP_TITLES['service-principal'], detail: 'the application’s identity in your tenant' },
      {
        id: 'consent',
        title: STEP_TITLES.consent,
        detail: 'Microsoft Graph Directory.Read.All as an application permission, admin consent granted',
      },
      { id: 'secret', title: STEP_TITLES.secret, detail: `valid ${months} months` },
      {
        id: 'store-validate',
        title: STEP_TITLES['store-validate'],
        detail: 'the IDs and the secret stored (secret in the vault), then the live test',
      },
    ],
    delegatedPermissions,
    lifetimeNote: `The Entra portal offers secrets of at most ${MAX_SECRET_MONTHS} months, and many tenants enforce that by policy; this app reminds you before it expires and can rotate it for you.`,
  };
}

function invalid(message: string): RegistrationError {
  return new RegistrationError(
    { step: 'application', code: 'invalid-request', message, fix: 'Correct it and try again.' },
    { reused: false },
  );
}
