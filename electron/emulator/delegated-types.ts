/**
 * Who signs in to the demo tenant as an admin and how the sign-in goes: roles (with their template ids for the
 * `wids` claim), the Microsoft first-party public clients accepted, and the settings of the control API.
 */

/** The directory roles the emulator knows for a signed-in admin; `User` holds none. */
export type AdminRole = 'Global Administrator' | 'Privileged Role Administrator' | 'Application Administrator' | 'User';

/** Role template ids (the `wids` claim). */
export const ROLE_TEMPLATE_IDS: Readonly<Record<Exclude<AdminRole, 'User'>, string>> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
};

/** Microsoft first-party public clients the demo tenant accepts (Azure CLI, Microsoft Graph PowerShell). */
export const FIRST_PARTY_PUBLIC_CLIENTS: readonly string[] = [
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
  '14d82eec-204b-4c2f-b7e8-296a70dab67e',
];

/** How the next sign-ins go (control `setAdminSignIn`). */
export interface SignInSettings {
  /** Approve sign-ins and device codes without a page (the CLI's `emulator --admin-auto-approve`). */
  autoApprove: boolean;
  /** Who signs in. Default Global Administrator. */
  role: AdminRole;
  /** `conditional-access`: token requests answer AADSTS53003; `cancel`: the admin cancels on the page. */
  outcome: 'ok' | 'conditional-access' | 'cancel';
  /** Tenant setting "Users can register applications" (default yes). */
  usersCanRegisterApps: boolean;
  /** Polling interval the device-code answer asks for. Default 1 s. */
  deviceCodeIntervalSeconds: number;
  /**
   * The admin has not entered the code yet: device codes stay pending until the page's click, even with
   * `autoApprove` (a sign-in the app waits for, to cancel or to let expire). Default false.
   */
  holdDeviceCodes?: boolean;
}

/** A signed-in user as a delegated token describes it. */
export interface SignedInUser {
  readonly id: string;
  readonly upn: string;
  readonly name: string;
  readonly role: AdminRole;
}
