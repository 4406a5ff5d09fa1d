/**
 * The demo tenant inside the main process: one at a time, started on demand (or again after an app restart in demo
 * mode) through the host's {@link DemoTenantPort}, with a transport that trusts its freshly generated CA.
 *
 * The tenant's state lives only as long as the emulator runs; the same seed gives the same tenant and app ids,
 * but each start has a new port, CA and client secret.
 */
import { customCloud, type Cloud } from '../../../shared/clouds';
import type { DemoOptions } from '../../../shared/contract/connection';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import type { Clock, DemoTenantInfo, DemoTenantPort, Logger, RunningDemoTenant } from '../ports';

/** A running demo tenant as the connection service uses it. */
export interface DemoRuntime {
  readonly info: DemoTenantInfo;
  readonly control: RunningDemoTenant['control'];
  readonly cloud: Cloud;
  /** Trusts the demo CA; no proxy (the tenant is on 127.0.0.1). */
  readonly transport: HttpTransport;
}

/** Demo users when nothing else is asked: enough to page, small enough to start in well under a second. */
export const defaultDemoUsers = 200;

/** Holds at most one running demo tenant. */
export class DemoTenant {
  private running: { tenant: RunningDemoTenant; runtime: DemoRuntime } | undefined;
  private starting: Promise<DemoRuntime> | undefined;

  constructor(
    private readonly port: DemoTenantPort,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    /** The core's clock: the demo secret's expiry is counted on the same time as the reminders that read it. */
    private readonly clock?: Clock,
  ) {}

  /** The running tenant, if any. */
  current(): DemoRuntime | undefined {
    return this.running?.runtime;
  }

  isStarting(): boolean {
    return this.starting !== undefined;
  }

  /** Starts the tenant, or returns the one running (concurrent calls share one start). */
  start(options: DemoOptions): Promise<DemoRuntime> {
    if (this.running) return Promise.resolve(this.running.runtime);
    this.starting ??= this.launch(options).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops the tenant and forgets its state. Safe to call when none runs. */
  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await running.runtime.transport.close();
    await running.tenant.close();
    this.logger.info('demo tenant stopped');
  }

  private async launch(options: DemoOptions): Promise<DemoRuntime> {
    const tenant = await this.port.start({
      users: options.users ?? defaultDemoUsers,
      ...(options.groups === undefined ? {} : { groups: options.groups }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.consent === undefined ? {} : { consent: options.consent }),
      ...(options.secretExpiresInDays === undefined ? {} : { secretExpiresInDays: options.secretExpiresInDays }),
      ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
      ...(this.clock === undefined ? {} : { clock: this.clock }),
    });
    const { info } = tenant;
    const runtime: DemoRuntime = {
      info,
      control: tenant.control,
      cloud: customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl, label: 'Demo tenant (emulated)' }),
      transport: createHttpTransport({ extraCaPem: info.caCertPem, timeoutMs: this.timeoutMs, env: {} }),
    };
    this.running = { tenant, runtime };
    this.logger.info('demo tenant started', { authorityHost: info.authorityHost, tenantId: info.tenantId });
    return runtime;
  }
}
