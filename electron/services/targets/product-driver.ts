/**
 * What a product plugs into the target model with: its connection test and the engine target a sync runs. The
 * target admin (settings, vault, demo), the contract, the forms and the terminal are shared by every product; a
 * product adds a driver to {@link productDrivers} (product-drivers.ts) and its facts to `targetProductInfo`
 * (shared/targets.ts), nothing else.
 */
import type { TargetTestReport } from '../../../shared/contract/targets';
import type { SyncPolicyInput } from '../../../shared/sync';
import type { TargetConfig, TargetProduct } from '../../../shared/targets';
import type { HttpTransport } from '../http/transport';
import type { Clock } from '../ports';
import type { SqliteDatabase } from '../sync/database';
import type { EngineTarget } from '../sync/engine-target';

/** How a target signs in, from the settings (username) and the vault (secret). */
export interface TargetCredential {
  /** Bitbucket: the administrator's username; Crowd: the application name; absent for token products. */
  readonly username?: string;
  /** The token or password. Never logged, never in a message. */
  readonly secret: string;
}

export interface ProductTestInput {
  /** Normalised, with the context path, no trailing slash. */
  readonly baseUrl: string;
  readonly credential: TargetCredential;
  /** Trusts the target's CA when it has one; the caller closes it. */
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** The product options being tested (SCIM preset, Bitbucket's disable mode). */
  readonly options: Pick<TargetConfig, 'scimPreset' | 'bitbucketDisable'>;
  /** The admin asked for the write test (Crowd: a probe group created and deleted); a test writes nothing otherwise. */
  readonly writeTest?: boolean;
}

export interface ProductEngineInput {
  readonly config: TargetConfig;
  readonly credential: TargetCredential;
  readonly db: SqliteDatabase;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** The global sync settings, used when the target inherits them. */
  readonly globalPolicy: SyncPolicyInput;
}

export interface ProductDriver {
  readonly product: TargetProduct;
  /** Test connection as the admin reads it: each check with a title, verdict, fix and link (no `at`: the admin stamps it). */
  test(input: ProductTestInput): Promise<Omit<TargetTestReport, 'at'>>;
  engineTarget(input: ProductEngineInput): EngineTarget;
}
