/** The source model: what was read from Entra, before scope and mapping. */

/** A user as read from Graph, only the fields the mapping can use. */
export interface SourceUser {
  readonly id: string;
  readonly upn: string;
  readonly mail: string | null;
  readonly mailNickname: string | null;
  readonly onPremisesSamAccountName: string | null;
  readonly displayName: string | null;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly accountEnabled: boolean;
  readonly userType: string | null;
}

/** A group as read from Graph. */
export interface SourceGroup {
  readonly id: string;
  readonly displayName: string | null;
  readonly description: string | null;
}

/** A tenant group for the "required groups" picker. */
export interface SourceGroupSummary extends SourceGroup {
  readonly memberCount: number;
}
