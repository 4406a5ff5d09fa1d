/**
 * The HTTP transports and credential validators of the connection: the demo tenant's own transport, or one for
 * Microsoft's clouds that is rebuilt when Settings → Network changes, each transport with its own validator.
 */
import type { NetworkSettings } from '../../../shared/network';
import type { FixHost } from '../entra/diagnosis';
import { createCredentialValidator, type CredentialValidator } from '../entra/validator';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { AppError } from '../../../shared/errors';
import { transportNetwork } from '../network/network-settings';
import type { Clock, Logger } from '../ports';
import type { DemoTenant } from './demo-tenant';

export interface ConnectionTransportDeps {
  readonly demo: DemoTenant;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly network?: () => NetworkSettings;
  readonly fixHost?: FixHost;
}

export interface ConnectionTransports {
  /** The demo tenant's transport, or the one for Microsoft's clouds under the current network settings. */
  transportFor(useDemo: boolean): HttpTransport;
  /** The validator that tests credentials over `transport`. */
  validatorFor(transport: HttpTransport): CredentialValidator;
  /** Closes every validator and the cloud transport. */
  close(): Promise<void>;
}

export function createConnectionTransports(deps: ConnectionTransportDeps): ConnectionTransports {
  const { demo, clock, logger, timeoutMs } = deps;
  let cloudTransport: { transport: HttpTransport; key: string } | undefined;
  const validators = new Map<HttpTransport, CredentialValidator>();

  const transportFor = (useDemo: boolean): HttpTransport => {
    if (useDemo) {
      const runtime = demo.current();
      if (!runtime) throw new AppError('demo-not-running', 'The demo tenant is not running.');
      return runtime.transport;
    }
    const network = deps.network ? transportNetwork(deps.network()) : {};
    const key = JSON.stringify(network);
    if (cloudTransport?.key !== key) {
      // Settings → Network changed: the next request uses the new values; requests under way finish on the old.
      const old = cloudTransport?.transport;
      if (old) {
        validators.get(old)?.close();
        validators.delete(old);
        void old.close().catch(() => undefined);
      }
      const transport = createHttpTransport({ ...network, timeoutMs, env: deps.env ?? {}, userAgent: 'EntraSyncAssistant' });
      cloudTransport = { transport, key };
    }
    return cloudTransport.transport;
  };

  const validatorFor = (transport: HttpTransport): CredentialValidator => {
    let validator = validators.get(transport);
    if (!validator) {
      validator = createCredentialValidator({ transport, clock, logger, host: deps.fixHost ?? 'app' });
      validators.set(transport, validator);
    }
    return validator;
  };

  return {
    transportFor,
    validatorFor,
    async close() {
      for (const validator of validators.values()) validator.close();
      validators.clear();
      await cloudTransport?.transport.close();
      cloudTransport = undefined;
    },
  };
}
