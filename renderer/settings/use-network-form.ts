import { useCallback, useEffect, useState } from 'react';
import type { NetworkInput, NetworkProblem, NetworkTestResult, NetworkView, ProxyMode } from '../../shared/network';
import { splitBypass } from '../../shared/network';
import { call } from '../api/client';

/** The form of Settings → Network: what is typed, what was saved, and what Save and Test said. */
export interface NetworkForm {
  readonly view: NetworkView | undefined;
  readonly loadError: Error | undefined;
  readonly mode: ProxyMode;
  readonly url: string;
  readonly bypassText: string;
  readonly pem: string;
  readonly endpoints: { authorityHost: string; graphBaseUrl: string; graphResource: string };
  readonly problems: readonly NetworkProblem[];
  readonly busy: 'saving' | 'testing' | undefined;
  readonly saved: boolean;
  readonly test: NetworkTestResult | undefined;
  readonly failure: Error | undefined;
  setMode(mode: ProxyMode): void;
  setUrl(url: string): void;
  setBypassText(text: string): void;
  setPem(pem: string): void;
  setEndpoint(field: 'authorityHost' | 'graphBaseUrl' | 'graphResource', value: string): void;
  save(): Promise<void>;
  runTest(): Promise<void>;
  reload(): void;
}

const noEndpoints = { authorityHost: '', graphBaseUrl: '', graphResource: '' };

export function useNetworkForm(): NetworkForm {
  const [view, setView] = useState<NetworkView>();
  const [loadError, setLoadError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const [mode, setModeState] = useState<ProxyMode>('system');
  const [url, setUrlState] = useState('');
  const [bypassText, setBypassState] = useState('');
  const [pem, setPemState] = useState('');
  const [endpoints, setEndpoints] = useState(noEndpoints);
  const [problems, setProblems] = useState<readonly NetworkProblem[]>([]);
  const [busy, setBusy] = useState<'saving' | 'testing'>();
  const [saved, setSaved] = useState(false);
  const [test, setTest] = useState<NetworkTestResult>();
  const [failure, setFailure] = useState<Error>();

  const fill = useCallback((v: NetworkView) => {
    setView(v);
    setModeState(v.proxy.mode);
    setUrlState(v.proxy.url);
    setBypassState(v.proxy.bypass.join('\n'));
    setPemState(v.caCertPem ?? '');
    setEndpoints(v.customEndpoints ? { ...noEndpoints, ...v.customEndpoints } : noEndpoints);
  }, []);

  useEffect(() => {
    call('network:get', undefined).then(fill, (e: Error) => setLoadError(e));
  }, [attempt, fill]);

  // Any edit makes the last answers stale: they described other values.
  const edited = () => {
    setSaved(false);
    setTest(undefined);
    setFailure(undefined);
  };

  const input = (): NetworkInput => ({
    proxy: { mode, url: mode === 'manual' ? url.trim() : '', bypass: splitBypass(bypassText) },
    ...(pem.trim() ? { caCertPem: pem } : {}),
    ...(endpoints.authorityHost.trim() || endpoints.graphBaseUrl.trim() ? { customEndpoints: endpoints } : {}),
  });

  return {
    view,
    loadError,
    mode,
    url,
    bypassText,
    pem,
    endpoints,
    problems,
    busy,
    saved,
    test,
    failure,
    setMode: (m) => {
      edited();
      setModeState(m);
    },
    setUrl: (u) => {
      edited();
      setUrlState(u);
    },
    setBypassText: (t) => {
      edited();
      setBypassState(t);
    },
    setPem: (p) => {
      edited();
      setPemState(p);
    },
    setEndpoint: (field, value) => {
      edited();
      setEndpoints((e) => ({ ...e, [field]: value }));
    },
    async save() {
      setBusy('saving');
      edited();
      try {
        const answer = await call('network:save', input());
        if (answer.saved) {
          fill(answer.view);
          setProblems([]);
          setSaved(true);
        } else {
          setProblems(answer.problems);
        }
      } catch (e) {
        setFailure(e as Error);
      } finally {
        setBusy(undefined);
      }
    },
    async runTest() {
      setBusy('testing');
      setTest(undefined);
      setFailure(undefined);
      try {
        const answer = await call('network:test', input());
        if (answer.tested) {
          setProblems([]);
          setTest(answer.result);
        } else {
          setProblems(answer.problems);
        }
      } catch (e) {
        setFailure(e as Error);
      } finally {
        setBusy(undefined);
      }
    },
    reload: () => {
      setLoadError(undefined);
      setAttempt((n) => n + 1);
    },
  };
}
