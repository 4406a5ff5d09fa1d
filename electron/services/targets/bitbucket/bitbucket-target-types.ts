/** What a Bitbucket target is given and what it offers beside a DirectoryTarget (bitbucket-target.ts builds it). */
import type { BitbucketDisableMode } from '../../../../shared/targets';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import type { DirectoryTarget } from '../directory-target';
import type { TargetLinks } from '../remote/links';
import type { RemotePacer } from '../remote/pacer';
import type { RateLearner } from '../remote/rate-learner';
import type { AdminProtection } from '../remote/target-policy';
import type { LicenceGroups, LicenceMemory } from './bitbucket-licence';
import type { LicenceActivity } from './bitbucket-licence-ops';
import type { UserFacts } from './bitbucket-reads';

export interface BitbucketTargetOptions {
  readonly id: string;
  readonly baseUrl: string;
  readonly username: string;
  /** The administrator's password. Only in the Authorization header. */
  readonly password: string;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly disableMode?: BitbucketDisableMode;
  /** Remembers the licensing groups "disable" removed, for "enable". */
  readonly licenceMemory: LicenceMemory;
  /** Lower-cased groups the admin protected (a licence through them is left alone). */
  readonly protectedGroups?: ReadonlySet<string>;
  /** Groups whose members are read (the managed ones and those Entra wants), asked at each read; default: none. */
  readonly memberGroups?: () => readonly string[];
  readonly links?: TargetLinks;
  readonly matchByEmail?: boolean;
  readonly maxConcurrency?: number;
  readonly pacer?: RemotePacer;
  /** Users per `add-users` call in a batch. Default 100. */
  readonly memberChunk?: number;
}

export interface BitbucketTarget extends DirectoryTarget {
  readonly pacer: RemotePacer;
  readonly learner: RateLearner;
  /** The global permissions (read once per target, on first use). */
  licence(signal?: AbortSignal): Promise<LicenceGroups>;
  /** The accounts holding ADMIN or SYS_ADMIN, directly or through a group, with why: protected accounts. */
  administrators(signal?: AbortSignal): Promise<AdminProtection>;
  /** From the last user read: who is licensed through which licensing groups, and who is read-only. */
  readonly facts: UserFacts;
  activity(): LicenceActivity;
}
