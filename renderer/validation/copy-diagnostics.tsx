import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Textarea,
  makeStyles,
} from '@fluentui/react-components';
import { Checkmark16Regular, Copy16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { redactedDiagnostics, type ValidationReport } from '../../shared/validation';
import { writeClipboardText } from './clipboard';

const useStyles = makeStyles({
  text: { width: '100%', minHeight: '280px', fontFamily: 'monospace' },
});

/**
 * "Copy diagnostics": the report as plain text with every secret removed (the report has none; `redact` also
 * scrubs the value the admin typed, in case it was pasted into the wrong field). When the clipboard is denied,
 * the text is shown to copy by hand.
 */
export function CopyDiagnostics(props: {
  report: ValidationReport;
  redact?: readonly string[];
  onCopied?: (message: string) => void;
}) {
  const styles = useStyles();
  const [manual, setManual] = useState<string>();
  // The button itself says it worked (the panel's status line says it too, further down): which report was copied.
  const [copiedReport, setCopiedReport] = useState<ValidationReport>();
  const copiedThis = copiedReport === props.report;

  const copy = async () => {
    const text = redactedDiagnostics(props.report, props.redact ?? []);
    if (await writeClipboardText(text)) {
      setCopiedReport(props.report);
      props.onCopied?.('Diagnostics copied, with the secret removed.');
    } else setManual(text);
  };

  return (
    <>
      <Button
        icon={copiedThis ? <Checkmark16Regular /> : <Copy16Regular />}
        onClick={() => void copy()}
        disabled={!props.report.done}
        aria-label={copiedThis ? 'Copy diagnostics again (copied)' : 'Copy diagnostics'}
      >
        {copiedThis ? 'Copied' : 'Copy diagnostics'}
      </Button>
      {/* Mounted only while open: a closed Fluent dialog still leaves focusable, aria-hidden focus guards. */}
      {manual !== undefined && (
        <Dialog open onOpenChange={(_, d) => !d.open && setManual(undefined)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>Copy the diagnostics</DialogTitle>
              <DialogContent>
                <p>The clipboard could not be used here. Select the text below and copy it (the secret is not in it).</p>
                <Textarea
                  className={styles.text}
                  readOnly
                  value={manual ?? ''}
                  aria-label="Diagnostics, secret removed"
                  onFocus={(e) => e.currentTarget.select()}
                />
              </DialogContent>
              <DialogActions>
                <Button appearance="primary" onClick={() => setManual(undefined)}>
                  Close
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </>
  );
}
