import {
  Body1,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Beaker20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { targetProductInfo, type TargetProduct } from '../../shared/targets';
import type { ApiError } from '../api/client';
import { TargetForm } from '../settings/targets/target-form';
import { TargetError } from '../settings/targets/target-checks';
import { AddTargetMenu, demoProductsToAdd, startDemoProducts } from '../settings/targets/targets-section';
import { useTargets } from '../settings/targets/use-targets';

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { margin: 0 },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  // Long lists of names wrap inside the box (at 1280 px they ran past it).
  done: { overflowWrap: 'anywhere', minWidth: 0, whiteSpace: 'normal' },
});

const joinNames = (names: readonly string[]) => names.join(', ');

/**
 * After the wizard's first sync: "Where should users go?" The embedded directory holds them now; Jira, Confluence,
 * Bitbucket, Crowd or a SCIM service can be added here as a target (the same form and test as Settings → Targets), or
 * the demo products beside the demo tenant, all at once, so one run lands the tenant in each.
 */
export function WhereUsersGo(props: { demo: boolean }) {
  const styles = useStyles();
  const { list } = useTargets();
  const [adding, setAdding] = useState<TargetProduct | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const remote = list?.targets.filter((t) => !t.builtIn) ?? [];
  // The targets there before this step (set up earlier, or kept when the demo was left): "already set up", not "added".
  const [before, setBefore] = useState<ReadonlySet<string>>();
  const known = before ?? (list ? new Set(remote.map((t) => t.id)) : undefined);
  if (known && !before) setBefore(known);
  const added = remote.filter((t) => !known?.has(t.id));
  const earlier = remote.filter((t) => known?.has(t.id));
  const demoToAdd = props.demo ? demoProductsToAdd(list) : [];
  const demoNames = demoToAdd.map((p) => targetProductInfo[p].shortLabel);
  const demoWords = demoNames.length > 1 ? `${demoNames.slice(0, -1).join(', ')} and ${demoNames.at(-1)}` : (demoNames[0] ?? '');

  const addDemo = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await startDemoProducts(demoToAdd);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className={styles.card} data-testid="where-users-go" aria-labelledby="where-users-go-heading">
      <Subtitle2 as="h3" id="where-users-go-heading" className={styles.title}>
        Where should users go?
      </Subtitle2>
      <Body1>
        The first sync filled the embedded directory on this computer. To create the users and groups in Jira, Confluence,
        Bitbucket, Crowd or a SCIM service such as Atlassian Cloud, add it as a target: it is tested before it is saved, and gets
        its own plan, safety brake and history. You can also do this later in Settings → Targets.
      </Body1>
      {remote.length > 0 && (
        <MessageBar intent="success" layout="multiline" data-testid="where-users-go-done">
          <MessageBarBody className={styles.done}>
            <MessageBarTitle>
              {added.length > 0
                ? `${joinNames(added.map((t) => t.name))} added`
                : `${joinNames(earlier.map((t) => t.name))} already set up`}
            </MessageBarTitle>
            {added.length > 0 && earlier.length > 0 && `${joinNames(earlier.map((t) => t.name))} already set up. `}
            Dry-run and sync into {remote.length > 1 ? 'them' : 'it'} from Plan preview (Sync into).
          </MessageBarBody>
        </MessageBar>
      )}
      {error && <TargetError title="A demo product did not start" error={error} />}
      {adding ? (
        <TargetForm key={adding} product={adding} onDone={() => setAdding(null)} />
      ) : (
        <div className={styles.row}>
          {list && <AddTargetMenu products={list.products} onPick={setAdding} appearance="secondary" />}
          {demoToAdd.length > 0 && (
            <Button icon={busy ? <Spinner size="tiny" /> : <Beaker20Regular />} disabled={busy} onClick={() => void addDemo()}>
              {busy ? 'Starting the demo products…' : `Add the demo ${demoWords}`}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
