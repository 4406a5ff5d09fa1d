import { wizardSteps, type WizardStep } from '../../shared/contract/connection';
import type { CheckResult } from '../../shared/validation';

export { wizardSteps, type WizardStep };

/** Titles of the steps, as the side list and the headings show them. */
export const stepTitles: Record<WizardStep, string> = {
  register: 'Register the application',
  permission: 'Add the permission',
  secret: 'Create a client secret',
  values: 'Enter the values',
  test: 'Test the connection',
  schedule: 'Schedule',
  'first-sync': 'First sync',
};

/** 1-based position of a step. */
export function stepNumber(step: WizardStep): number {
  return wizardSteps.indexOf(step) + 1;
}

/**
 * The label of a link back to `step`: with its number in the wizard ("Go to step 3: Create a client secret"), by its
 * name alone where steps have no numbers (Settings → Edit connection: "Go to Create a client secret").
 */
export function goToStepLabel(step: WizardStep, numbered: boolean): string {
  return numbered ? `Go to step ${stepNumber(step)}: ${stepTitles[step]}` : `Go to ${stepTitles[step]}`;
}

export function nextStep(step: WizardStep): WizardStep | undefined {
  return wizardSteps[wizardSteps.indexOf(step) + 1];
}

export function previousStep(step: WizardStep): WizardStep | undefined {
  const index = wizardSteps.indexOf(step);
  return index > 0 ? wizardSteps[index - 1] : undefined;
}

/** Checklist items per portal step: the admin ticks each one; Next waits for all. */
export const checklists: Partial<Record<WizardStep, readonly { id: string; label: string }[]>> = {
  register: [
    { id: 'register.created', label: 'I created a new registration (for example “Entra Sync Assistant”)' },
    { id: 'register.single-tenant', label: 'Supported account types: this organizational directory only (single tenant)' },
    { id: 'register.overview', label: 'I can see its Overview page with the Application (client) ID and Directory (tenant) ID' },
  ],
  permission: [
    { id: 'permission.user-read', label: 'I removed the default delegated permission User.Read' },
    { id: 'permission.directory', label: 'I added Microsoft Graph › Application permissions › Directory.Read.All' },
    { id: 'permission.consent', label: 'I granted admin consent: the status shows “Granted for …” with a green tick' },
  ],
  secret: [
    { id: 'secret.created', label: 'I created a new client secret that expires in less than 12 months' },
    { id: 'secret.value', label: 'I copied its Value (not the Secret ID) and keep it ready for the next step' },
  ],
};

/**
 * The step that fixes a failed or warning check, so the panel can send the admin straight there.
 * Network problems and throttling are not fixed by any step: none.
 */
export function stepForCheck(check: Pick<CheckResult, 'id' | 'code'>): WizardStep | undefined {
  switch (check.code) {
    case 'secret-id-instead-of-value':
    case 'secret-masked':
    case 'secret-invalid':
    case 'secret-expired':
    case 'secret-not-sent':
    case 'secret-expiring-soon':
    case 'secret-expiry-ambiguous':
    case 'secret-not-listed':
      return 'secret';
    case 'tenant-missing':
    case 'tenant-invalid':
    case 'client-id-missing':
    case 'client-id-invalid':
    case 'secret-missing':
    case 'secret-shape-unusual':
    case 'tenant-not-found':
    case 'wrong-cloud':
    case 'resource-not-found':
    case 'app-not-found':
      return 'values';
    case 'app-disabled':
      return 'register';
    case 'consent-missing':
    case 'consent-required':
    case 'permission-insufficient':
    case 'permission-partial':
    case 'group-names-hidden':
      return 'permission';
    default:
      return undefined;
  }
}
