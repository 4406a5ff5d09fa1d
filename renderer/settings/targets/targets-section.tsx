import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Divider,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Add20Regular, Beaker20Regular, Delete20Regular, Edit20Regular, PlugConnected20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { TargetList, TargetSummary, TargetTestReport } from '../../../shared/contract/targets';
import { targetProductInfo, type TargetProduct } from '../../../shared/targets';
import { call, type ApiError } from '../../api/client';
import { formatDateTime, formatRelative, statusLabels } from '../../sync/format';
import { ConfirmDialog } from '../confirm-dialog';
import { useSettingsStyles } from '../settings-styles';
import { TargetForm } from './target-form';
import { TargetChecks, TargetError } from './target-checks';
import { useTargets } from './use-targets';
import { vaultWords } from './vault-words';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingVerticalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', minWidth: 0 },
  url: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  facts: { color: tokens.colorNeutralForeground2 },
});

/** What the last test said, in words. */
function lastTestText(t: TargetSummary): string {
  if (!t.lastTest) return 'Not tested yet';
  // The host's clock may run a little ahead of this window's: a test is never "in a few seconds".
  const when = formatRelative(new Date(Math.min(Date.parse(t.lastTest.at), Date.now())).toISOString());
  const product = t.lastTest.product ?? (t.product === 'local' ? '' : targetProductInfo[t.product].shortLabel);
  if (t.lastTest.ok) return `Test passed ${when}${t.lastTest.version ? ` (${product} ${t.lastTest.version})` : ''}`;
  return `Test failed ${when}: open Test connection for what to fix`;
}

function lastRunText(t: TargetSummary): string {
  if (!t.lastRun) return 'No sync yet';
  return `Last sync ${formatDateTime(t.lastRun.startedAt)}: ${statusLabels[t.lastRun.status].toLowerCase()}`;
}

/** The demo products not added yet. */
export const demoProductsToAdd = (list: TargetList | undefined): TargetProduct[] =>
  (list?.demoProducts ?? []).filter((p) => !list?.targets.some((t) => t.demo && t.product === p));

/** "Add a target": a menu of the products this build can sync into. */
export function AddTargetMenu(props: {
  products: readonly TargetProduct[];
  onPick: (product: TargetProduct) => void;
  appearance?: 'primary' | 'secondary';
}) {
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton appearance={props.appearance ?? 'primary'} icon={<Add20Regular />} data-testid="targets-add">
          Add a target
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {props.products.map((p) => (
            <MenuItem key={p} onClick={() => props.onPick(p)} data-testid={`targets-add-${p}`}>
              {targetProductInfo[p].label}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

/** Starts demo products one after the other (each is its own little server). */
export async function startDemoProducts(products: readonly TargetProduct[]): Promise<void> {
  for (const product of products) await call('targets:startDemo', { product });
}

/**
 * Settings → Targets: where a sync writes. The embedded directory is always there and is the default; Jira,
 * Confluence, Bitbucket, Crowd and SCIM targets are added beside it (tested before they are saved), tested again,
 * edited and removed (after a confirmation). Beside the demo tenant, the demo products can be added too.
 */
export function TargetsSection() {
  const styles = useStyles();
  const settings = useSettingsStyles();
  const { list, error } = useTargets();
  const [editing, setEditing] = useState<TargetSummary | { readonly add: TargetProduct } | null>(null);
  const [removing, setRemoving] = useState<TargetSummary | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [reports, setReports] = useState<Record<string, TargetTestReport>>({});
  const [actionError, setActionError] = useState<ApiError>();
  const [startingDemo, setStartingDemo] = useState(false);

  const test = async (t: TargetSummary) => {
    setTesting(t.id);
    setActionError(undefined);
    try {
      const report = await call('targets:test', { id: t.id });
      setReports((r) => ({ ...r, [t.id]: report }));
    } catch (e) {
      setActionError(e as ApiError);
    } finally {
      setTesting(null);
    }
  };
  const startDemo = async (products: readonly TargetProduct[]) => {
    setStartingDemo(true);
    setActionError(undefined);
    try {
      await startDemoProducts(products);
    } catch (e) {
      setActionError(e as ApiError);
    } finally {
      setStartingDemo(false);
    }
  };

  const demoToAdd = demoProductsToAdd(list);
  return (
    <Card className={settings.card} aria-labelledby="settings-targets-heading" data-testid="settings-targets">
      <div className={settings.head}>
        <Subtitle2 as="h2" id="settings-targets-heading" className={settings.title}>
          Targets
        </Subtitle2>
        <span className={settings.grow} />
        {demoToAdd.length > 0 && (
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <MenuButton
                icon={startingDemo ? <Spinner size="tiny" /> : <Beaker20Regular />}
                disabled={startingDemo}
                data-testid="targets-add-demo"
              >
                {startingDemo ? 'Starting the demo products…' : 'Add a demo product'}
              </MenuButton>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {demoToAdd.length > 1 && (
                  <MenuItem onClick={() => void startDemo(demoToAdd)} data-testid="targets-add-demo-all">
                    All of them ({demoToAdd.map((p) => targetProductInfo[p].shortLabel).join(', ')})
                  </MenuItem>
                )}
                {demoToAdd.map((p) => (
                  <MenuItem key={p} onClick={() => void startDemo([p])} data-testid={`targets-add-demo-${p}`}>
                    The demo {targetProductInfo[p].shortLabel}
                  </MenuItem>
                ))}
              </MenuList>
            </MenuPopover>
          </Menu>
        )}
        {editing === null && list && <AddTargetMenu products={list.products} onPick={(p) => setEditing({ add: p })} />}
      </div>
      <Body1>
        Where a sync writes users, groups and memberships. The embedded directory always works and is the default; each target
        added here has its own plan, safety brake and history.
      </Body1>
      {error && <TargetError title="The targets could not be read" error={error} />}
      {!list && !error && <Spinner size="small" label="Loading the targets…" />}
      {list && (
        <ul className={styles.list} aria-label="Sync targets">
          {list.targets.map((t) => (
            <li key={t.id} className={styles.row} data-testid={`target-${t.id}`} aria-label={t.name}>
              <div className={styles.line}>
                <Text weight="semibold">{t.name}</Text>
                {t.product !== 'local' && (
                  <Badge appearance="tint" color="brand">
                    {targetProductInfo[t.product].label}
                    {t.scimPreset === 'atlassian-cloud' ? ' · Atlassian Cloud' : ''}
                  </Badge>
                )}
                {t.builtIn && <Badge appearance="outline">Default</Badge>}
                {t.demo && (
                  <Badge appearance="outline" color="warning">
                    DEMO
                  </Badge>
                )}
                <span className={settings.grow} />
                {!t.builtIn && (
                  <>
                    <Button
                      size="small"
                      icon={testing === t.id ? <Spinner size="extra-tiny" /> : <PlugConnected20Regular />}
                      disabled={testing !== null}
                      onClick={() => void test(t)}
                    >
                      Test connection
                    </Button>
                    <Button size="small" icon={<Edit20Regular />} onClick={() => setEditing(t)} aria-label={`Edit ${t.name}`}>
                      Edit
                    </Button>
                    <Button
                      size="small"
                      icon={<Delete20Regular />}
                      onClick={() => setRemoving(t)}
                      aria-label={`Remove ${t.name}`}
                    >
                      Remove
                    </Button>
                  </>
                )}
              </div>
              {t.url ? (
                <Text className={styles.url}>{t.url}</Text>
              ) : (
                <Caption1 className={styles.facts}>In this app’s data folder; browse it under Directory.</Caption1>
              )}
              <Caption1 className={styles.facts} data-testid="target-facts">
                {[
                  t.product === 'local'
                    ? null
                    : `${t.username ? `${targetProductInfo[t.product].usernameLabel} ${t.username}, ` : ''}${
                        targetProductInfo[t.product].secretLabel
                      } ${t.tokenHint || 'stored'}`,
                  t.bitbucketDisable === 'unlicense' ? 'disable removes the licence groups' : null,
                  t.bitbucketDisable === 'delete' ? 'disable deletes' : null,
                  t.hasCaCert ? 'trusts its own CA' : null,
                  t.builtIn ? null : lastTestText(t),
                  lastRunText(t),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Caption1>
              {reports[t.id] && <TargetChecks report={reports[t.id]!} testId={`target-checks-${t.id}`} />}
            </li>
          ))}
        </ul>
      )}
      {list && (
        <Caption1 className={settings.muted} data-testid="targets-vault">
          {vaultWords(list.vault)}
        </Caption1>
      )}
      {actionError && <TargetError title="That did not work" error={actionError} />}
      {editing !== null && (
        <>
          <Divider />
          {'add' in editing ? (
            <TargetForm key={`new-${editing.add}`} product={editing.add} onDone={() => setEditing(null)} />
          ) : (
            <TargetForm
              key={editing.id}
              product={editing.product === 'local' ? 'jira' : editing.product}
              existing={editing}
              onDone={() => setEditing(null)}
            />
          )}
        </>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove target"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            try {
              await call('targets:remove', { id: removing.id });
            } catch (e) {
              setActionError(e as ApiError);
            }
          }}
        >
          Syncs stop writing to it. Nothing is changed in{' '}
          {removing.product === 'local' ? 'it' : targetProductInfo[removing.product].shortLabel}; its sign-in and what the sync
          knows about its users are forgotten here, and its runs stay in the history.
        </ConfirmDialog>
      )}
    </Card>
  );
}
