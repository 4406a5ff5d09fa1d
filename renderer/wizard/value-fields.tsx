import { Button, Field, Input, Tooltip, makeStyles } from '@fluentui/react-components';
import { ClipboardPaste20Regular, Eye20Regular, EyeOff20Regular } from '@fluentui/react-icons';
import { useState, type ClipboardEvent } from 'react';
import type { InputIssue } from '../../shared/credential-inputs';
import { readClipboardText } from '../validation/clipboard';

const useStyles = makeStyles({ after: { display: 'flex' } });

/**
 * The message a field shows: its blocking issue first, then a warning, then the clipboard's refusal. A pasted
 * Secret ID gets only its verdict here: the panel below the field explains it in full.
 */
function fieldMessage(issue: InputIssue | undefined, clipboardNote: string | undefined) {
  if (issue) {
    return {
      state: issue.severity === 'fail' ? ('error' as const) : ('warning' as const),
      text: issue.code === 'secret-id-instead-of-value' ? issue.message : `${issue.message} ${issue.fix}`,
    };
  }
  if (clipboardNote) return { state: 'warning' as const, text: clipboardNote };
  return undefined;
}

/** A paste-from-clipboard button; when the browser refuses, says to press Ctrl+V instead. */
function PasteButton(props: { label: string; onText: (text: string) => void; onRefused: (reason: string) => void }) {
  return (
    <Tooltip content={`Paste the ${props.label} from the clipboard`} relationship="label">
      <Button
        appearance="transparent"
        size="small"
        icon={<ClipboardPaste20Regular />}
        onClick={() =>
          void readClipboardText().then((read) => {
            if (!read.ok) props.onRefused(read.reason);
            else if (read.text.trim() === '') props.onRefused('The clipboard holds no text: copy the value in the portal first.');
            else props.onText(read.text);
          })
        }
      />
    </Tooltip>
  );
}

/** A GUID-like value (tenant, Application ID): checked as it is typed, with a paste button. */
export function CredentialField(props: {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  issue: InputIssue | undefined;
  /** Shown but not editable (the demo tenant's values): still readable and copyable. */
  readOnly?: boolean;
  testId: string;
}) {
  const [touched, setTouched] = useState(props.value.length > 0);
  const [clipboardNote, setClipboardNote] = useState<string>();
  const message = fieldMessage(touched ? props.issue : undefined, clipboardNote);
  const change = (value: string) => {
    setClipboardNote(undefined);
    setTouched(true);
    props.onChange(value);
  };
  return (
    <Field
      label={props.label}
      hint={message ? undefined : props.hint}
      validationState={message?.state ?? 'none'}
      validationMessage={message?.text}
    >
      <Input
        value={props.value}
        readOnly={props.readOnly}
        spellCheck={false}
        autoComplete="off"
        data-testid={props.testId}
        onChange={(_, d) => change(d.value)}
        onBlur={() => setTouched(true)}
        contentAfter={
          props.readOnly ? undefined : <PasteButton label={props.label} onText={change} onRefused={setClipboardNote} />
        }
      />
    </Field>
  );
}

/**
 * The client secret's Value: masked with a reveal toggle, a paste button, and a Secret ID caught the moment it is
 * pasted (`onSecretIdPasted`). The value stays in this window's memory until the test stores it in the vault.
 */
export function SecretField(props: {
  value: string;
  onChange: (value: string) => void;
  issue: InputIssue | undefined;
  savedHint: string;
  onPasted: (text: string) => void;
}) {
  const styles = useStyles();
  const [revealed, setRevealed] = useState(false);
  const [touched, setTouched] = useState(false);
  const [clipboardNote, setClipboardNote] = useState<string>();
  const showIssue = touched && (props.value.length > 0 || !props.savedHint);
  const message = fieldMessage(showIssue ? props.issue : undefined, clipboardNote);
  const hint = props.savedHint
    ? `A secret is saved (${props.savedHint}). Leave this empty to keep using it, or paste a new Value.`
    : 'The Value column in Certificates & secrets — usually 40 characters with “8Q~” near the start.';
  const pasted = (text: string) => {
    setClipboardNote(undefined);
    setTouched(true);
    props.onChange(text);
    props.onPasted(text);
  };
  return (
    <Field
      label="Client secret Value"
      hint={message ? undefined : hint}
      validationState={message?.state ?? 'none'}
      validationMessage={message?.text}
    >
      <Input
        type={revealed ? 'text' : 'password'}
        value={props.value}
        spellCheck={false}
        autoComplete="off"
        data-testid="secret-input"
        placeholder={props.savedHint ? `Saved: ${props.savedHint}` : undefined}
        onChange={(_, d) => {
          setClipboardNote(undefined);
          props.onChange(d.value);
        }}
        onPaste={(e: ClipboardEvent<HTMLInputElement>) => {
          const text = e.clipboardData.getData('text');
          // Checked on the pasted text itself: the field's own value updates only after this event.
          setTouched(true);
          props.onPasted(text);
        }}
        onBlur={() => setTouched(true)}
        contentAfter={
          <span className={styles.after}>
            <Button
              appearance="transparent"
              size="small"
              icon={revealed ? <EyeOff20Regular /> : <Eye20Regular />}
              aria-label={revealed ? 'Hide the secret' : 'Show the secret'}
              aria-pressed={revealed}
              onClick={() => setRevealed((r) => !r)}
            />
            <PasteButton label="client secret Value" onText={pasted} onRefused={setClipboardNote} />
          </span>
        }
      />
    </Field>
  );
}
