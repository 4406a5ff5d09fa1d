/** What the parts of the planner (`plan.ts`, `plan-memberships.ts`) share: the pace of its yields and its reasons. */
import type { PlanReason } from '../../../shared/sync';

/** How often the planner yields to let the caller breathe (items of work between yields). */
export const yieldEvery = 1024;

/** Reasons are shared objects: a plan of 500,000 memberships should not carry 500,000 copies of one sentence. */
export const reasons = {
  newInScope: { code: 'new-in-scope', message: 'In scope in Entra and not yet in the target.' },
  enabled: { code: 'enabled-in-entra', message: 'Enabled in Entra and in scope.' },
  disabled: { code: 'disabled-in-entra', message: 'Disabled in Entra.' },
  leftScope: { code: 'left-scope', message: 'No longer in the sync scope.' },
  deleted: { code: 'deleted-in-entra', message: 'Deleted in Entra.' },
  memberAdded: { code: 'membership-added', message: 'Member in Entra.' },
  memberRemoved: { code: 'membership-removed', message: 'No longer a member in Entra.' },
  groupLeftScope: { code: 'group-vanished', message: 'No longer in the group scope.' },
  groupDeleted: { code: 'group-vanished', message: 'Deleted in Entra.' },
  usernameSet: { code: 'mapping-changed', message: 'Sync settings: username set for this user (Name conflicts).' },
  groupNameSet: { code: 'mapping-changed', message: 'Sync settings: name set for this group (Name conflicts).' },
  groupNameRule: { code: 'mapping-changed', message: 'Sync settings: duplicate group names get a short id (Name conflicts).' },
} as const satisfies Record<string, PlanReason>;
