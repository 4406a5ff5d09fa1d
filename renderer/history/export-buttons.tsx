import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ExportResult } from '../../shared/contract/sync';
import type { ApiError } from '../api/client';
import { ErrorHelp } from '../sync/error-help';
import { startDownload } from './download';

const useStyles = makeStyles({ row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' } });

/** "Export CSV" and "Export JSON" for anything the core can export. */
export function ExportButtons(props: { what: string; load: (format: 'csv' | 'json') => Promise<ExportResult> }) {
  const styles = useStyles();
  const [busy, setBusy] = useState<'csv' | 'json' | null>(null);
  const [error, setError] = useState<{ code: string; message: string }>();
  const [saved, setSaved] = useState<string>();
  const run = async (format: 'csv' | 'json') => {
    setBusy(format);
    setSaved(undefined);
    try {
      const result = await props.load(format);
      if (result.status === 'download') startDownload(result.url, result.fileName);
      else if (result.status === 'saved')
        setSaved(`Saved ${result.rows.toLocaleString()} ${result.rows === 1 ? 'row' : 'rows'} to ${result.path}`);
      setError(undefined);
    } catch (e) {
      const err = e as ApiError;
      setError({ code: err.code ?? 'internal-error', message: err.message });
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <div className={styles.row}>
        {(['csv', 'json'] as const).map((format) => (
          <Button
            key={format}
            size="small"
            icon={<ArrowDownload16Regular />}
            disabled={busy !== null}
            onClick={() => void run(format)}
            aria-label={`Export ${props.what} as ${format.toUpperCase()}`}
          >
            {busy === format ? 'Exporting…' : `Export ${format.toUpperCase()}`}
          </Button>
        ))}
      </div>
      {saved && (
        <Caption1 role="status" data-testid="export-saved">
          {saved}
        </Caption1>
      )}
      {error && <ErrorHelp title="The export failed" error={error} />}
    </>
  );
}
