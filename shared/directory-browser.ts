/** The directory browser: its query and the rows of users and groups of the embedded directory it shows. */
import { z } from 'zod';
import type { GroupFields, UserFields } from './sync-plan';

/** A query of the directory browser: search matches username, name and e-mail (or group name), case-insensitively. */
export const directoryQuerySchema = z.object({
  search: z.string().max(200).default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  /** Users only: only active or only inactive users. */
  active: z.boolean().optional(),
});
export type DirectoryQuery = z.input<typeof directoryQuerySchema>;

/** A user of the embedded directory, as the directory browser shows it. */
export interface DirectoryUserRow extends UserFields {
  /** The directory's own row id (stable; used to open a user's groups). */
  readonly id: string;
  readonly externalId: string | null;
  readonly active: boolean;
  readonly groupCount: number;
  readonly updatedAt: string;
}

/** A group of the embedded directory, as the directory browser shows it. */
export interface DirectoryGroupRow extends GroupFields {
  readonly id: string;
  readonly externalId: string | null;
  readonly memberCount: number;
  readonly updatedAt: string;
}
