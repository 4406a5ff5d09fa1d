/**
 * App registrations created in the demo tenant through Graph (`POST /applications`, the "Set it up for me" flow),
 * beside the demo app the tenant starts with: their service principals, notes, owners and Entra's replication
 * delay (a new object answers 404, and cannot sign in, until `replicationDelaySeconds` of the emulator's clock have
 * passed; a new secret is refused as invalid for as long). Token and Graph requests find the app they act for here.
 */
import { timingSafeEqual } from 'node:crypto';
import { AppRegistration, type NewSecret, type SecretCheck } from './app-registration';

/** An app created through Graph: a secret it was given is refused until it has replicated, as in Entra. */
class CreatedRegistration extends AppRegistration {
  constructor(
    ids: [string, string, string],
    displayName: string,
    newId: () => string,
    private readonly visibleFrom: () => number,
    private readonly now: () => Date,
  ) {
    super(ids[0], ids[1], ids[2], displayName, newId);
  }

  /** When each secret becomes usable (the replication delay when it was added). */
  private readonly visible = new Map<string, number>();

  override addSecret(now: Date, days: number, displayName?: string, hint?: string): NewSecret {
    const secret = super.addSecret(now, days, displayName, hint);
    this.visible.set(secret.keyId, this.visibleFrom());
    return secret;
  }

  override checkSecret(presented: string | undefined, now: Date): SecretCheck {
    if (!presented) return 'missing';
    const given = Buffer.from(presented);
    for (const s of this.secrets) {
      const stored = Buffer.from(s.value);
      if (stored.length !== given.length || !timingSafeEqual(stored, given)) continue;
      if (this.now().getTime() < (this.visible.get(s.keyId) ?? 0)) return 'wrong';
      return Date.parse(s.endDateTime) <= now.getTime() ? 'expired' : 'ok';
    }
    return 'wrong';
  }
}

/** One application created through Graph. */
export interface CreatedApp {
  readonly app: AppRegistration;
  readonly notes: string;
  readonly signInAudience: string;
  readonly requiredResourceAccess: unknown[];
  /** Object id of the signed-in user who created it (its owner). */
  readonly ownerId: string;
  readonly createdMs: number;
  /** When it becomes visible (created + the replication delay of that moment). */
  readonly visibleMs: number;
  /** Set once `POST /servicePrincipals` created it. */
  sp?: { readonly visibleMs: number };
}

/** The tenant's applications: the demo app and those created through Graph. */
export class TenantApps {
  readonly created: CreatedApp[] = [];
  replicationDelayMs = 0;

  /**
   * The demo app as an application object: found by its appId and its secrets added and removed by an admin (it has
   * no owner), so "Rotate the secret for me" works on the demo connection's own app. Never deleted.
   */
  readonly demoApplication: CreatedApp;

  constructor(
    readonly demo: AppRegistration,
    private readonly newId: () => string,
    private readonly now: () => Date,
  ) {
    this.demoApplication = {
      app: demo,
      notes: 'The demo tenant’s own application (the demo connection).',
      signInAudience: 'AzureADMyOrg',
      requiredResourceAccess: [
        {
          resourceAppId: '00000003-0000-0000-c000-000000000000',
          resourceAccess: [{ id: '7ab1d382-f21e-4acd-a863-ba3e13f7da61', type: 'Role' }],
        },
      ],
      ownerId: '',
      createdMs: now().getTime(),
      visibleMs: 0,
      sp: { visibleMs: 0 },
    };
  }

  /** The demo app's application object when `key` is its object id or appId. */
  demoByKey(key: string): CreatedApp | undefined {
    const k = key.toLowerCase();
    return k === this.demo.objectId || k === this.demo.appId ? this.demoApplication : undefined;
  }

  /** Creates an application (no service principal yet). */
  create(input: {
    displayName: string;
    notes: string;
    signInAudience: string;
    requiredResourceAccess: unknown[];
    ownerId: string;
  }): CreatedApp {
    const app = new CreatedRegistration(
      [this.newId(), this.newId(), this.newId()],
      input.displayName,
      this.newId,
      () => this.visibleFrom(),
      this.now,
    );
    const created: CreatedApp = { app, ...input, createdMs: this.now().getTime(), visibleMs: this.visibleFrom() };
    this.created.push(created);
    return created;
  }

  /** When an object created now becomes visible everywhere. */
  visibleFrom(): number {
    return this.now().getTime() + this.replicationDelayMs;
  }

  /** True once an object visible from `visibleMs` has replicated. */
  replicated(visibleMs: number): boolean {
    return this.now().getTime() >= visibleMs;
  }

  /** A created application by object id or appId, replicated or not. */
  find(key: string): CreatedApp | undefined {
    const k = key.toLowerCase();
    return this.created.find((c) => c.app.objectId === k || c.app.appId === k || c.app.servicePrincipalId === k);
  }

  /** Removes a created application (and its service principal). */
  remove(objectId: string): boolean {
    const at = this.created.findIndex((c) => c.app.objectId === objectId.toLowerCase());
    if (at < 0) return false;
    this.created.splice(at, 1);
    return true;
  }

  /**
   * The app a client-credentials request signs in as: the demo app, or a created one whose application and
   * service principal have replicated (before that Entra does not know it yet: AADSTS700016).
   */
  forClient(clientId: string | undefined | null): AppRegistration | undefined {
    const id = (clientId ?? '').toLowerCase();
    if (id === this.demo.appId) return this.demo;
    const c = this.created.find((x) => x.app.appId === id);
    if (!c || !c.sp || !this.replicated(c.visibleMs) || !this.replicated(c.sp.visibleMs)) return undefined;
    return c.app;
  }

  /** The app an access token was issued to (its `appid` claim, read without verifying: the pipeline verifies). */
  forToken(authorization: string | string[] | undefined): AppRegistration {
    if (typeof authorization !== 'string') return this.demo;
    const payload = authorization.replace(/^Bearer\s+/i, '').split('.')[1];
    if (!payload) return this.demo;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { appid?: unknown };
      const c = typeof claims.appid === 'string' ? this.created.find((x) => x.app.appId === claims.appid) : undefined;
      return c?.app ?? this.demo;
    } catch {
      return this.demo;
    }
  }
}
