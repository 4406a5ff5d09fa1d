import type { Handlers, RequestChannel } from '../../../shared/ipc';

/** The handlers one feature contributes: a slice of the contract, by channel name. */
export type FeatureHandlers<C extends RequestChannel> = Pick<Handlers, C>;
