import {
  Button,
  Card,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Select,
  Subtitle2,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { Copy16Regular, Open16Regular, ZoomIn16Regular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { knownClouds, type CloudId, type PortalLink } from '../../shared/clouds';
import { writeClipboardText } from '../validation/clipboard';
import { useStepStyles } from './wizard-styles';

const useStyles = makeStyles({
  checklist: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingVerticalM,
    borderRadius: tokens.borderRadiusLarge,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  fieldset: { border: 'none', margin: 0, padding: 0, minWidth: 0 },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  captionRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, justifyContent: 'space-between' },
  large: { width: 'min(1200px, 94vw)', maxWidth: 'min(1200px, 94vw)' },
});

/** A step picture with its caption and an "Enlarge" button that shows it as big as the window allows. */
export function StepPicture(props: { caption: string; children: ReactNode }) {
  const styles = useStyles();
  const stepStyles = useStepStyles();
  const [open, setOpen] = useState(false);
  return (
    <figure className={stepStyles.picture}>
      {props.children}
      <div className={styles.captionRow}>
        <figcaption className={stepStyles.caption}>{props.caption}</figcaption>
        <Button size="small" appearance="subtle" icon={<ZoomIn16Regular />} onClick={() => setOpen(true)}>
          Enlarge
        </Button>
      </div>
      {/* Mounted only while open: a closed Fluent dialog still leaves focusable, aria-hidden focus guards. */}
      {open && (
        <Dialog open onOpenChange={(_, d) => setOpen(d.open)}>
          <DialogSurface className={styles.large}>
            <DialogBody>
              <DialogTitle>{props.caption}</DialogTitle>
              <DialogContent>{props.children}</DialogContent>
              <DialogActions>
                <Button appearance="primary" onClick={() => setOpen(false)}>
                  Close
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </figure>
  );
}

/** One instruction; `n` matches the numbered marker in the picture. */
export interface Instruction {
  readonly n?: number;
  readonly text: ReactNode;
}

/** The numbered "what to click" list; numbers in orange match the picture's markers. */
export function Instructions(props: { items: readonly Instruction[]; label: string }) {
  const styles = useStepStyles();
  return (
    <ol className={styles.instructions} aria-label={props.label}>
      {props.items.map((item, i) => (
        <li key={i} className={styles.instruction}>
          <span className={item.n === undefined ? styles.plainMarker : styles.marker} aria-hidden>
            {item.n ?? '•'}
          </span>
          <Text>{item.text}</Text>
        </li>
      ))}
    </ol>
  );
}

/** The "What to click" card of a portal step: a heading and the numbered instructions. */
export function WhatToClick(props: { items: readonly Instruction[]; label: string }) {
  const styles = useStepStyles();
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h3" className={styles.cardTitle}>
        What to click
      </Subtitle2>
      <Instructions label={props.label} items={props.items} />
    </Card>
  );
}

/** A portal page opened in the system browser (allow-listed https link). */
export function PortalButton(props: { link: PortalLink; primary?: boolean }) {
  return (
    <Button
      as="a"
      href={props.link.url}
      target="_blank"
      rel="noreferrer"
      appearance={props.primary ? 'primary' : 'secondary'}
      icon={<Open16Regular />}
    >
      {props.link.label}
    </Button>
  );
}

/** A value to type in the portal, with a copy button. */
export function CopyChip(props: { value: string; label: string }) {
  const styles = useStepStyles();
  const [copied, setCopied] = useState(false);
  return (
    <span>
      <code className={styles.code}>{props.value}</code>{' '}
      <Button
        size="small"
        appearance="subtle"
        icon={<Copy16Regular />}
        aria-label={`Copy ${props.label}`}
        onClick={() => void writeClipboardText(props.value).then(setCopied)}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </span>
  );
}

/** The step's checklist: the admin ticks what is done; progress is saved with every tick. */
export function Checklist(props: {
  items: readonly { id: string; label: string }[];
  checked: Readonly<Record<string, boolean>>;
  onChange: (id: string, checked: boolean) => void;
}) {
  const styles = useStyles();
  const done = props.items.filter((item) => props.checked[item.id]).length;
  return (
    <fieldset className={mergeClasses(styles.fieldset, styles.checklist)}>
      <legend className={styles.legend}>
        <Subtitle2>
          Checklist ({done} of {props.items.length} done)
        </Subtitle2>
      </legend>
      {props.items.map((item) => (
        <Checkbox
          key={item.id}
          label={item.label}
          checked={props.checked[item.id] === true}
          onChange={(_, d) => props.onChange(item.id, d.checked === true)}
        />
      ))}
    </fieldset>
  );
}

/** Which Microsoft cloud the tenant lives in: decides the portal, the sign-in host and Graph. */
export function CloudPicker(props: { value: CloudId; onChange: (cloud: CloudId) => void; disabled?: boolean; demo?: boolean }) {
  return (
    <Field
      label="Microsoft cloud"
      hint={props.demo ? 'The demo tenant runs on this computer.' : 'Most tenants are in the global cloud.'}
    >
      <Select
        value={props.demo ? 'custom' : props.value}
        disabled={props.disabled}
        onChange={(_, d) => props.onChange(d.value as CloudId)}
      >
        {props.demo && <option value="custom">Demo tenant (emulated)</option>}
        {knownClouds.map((cloud) => (
          <option key={cloud.id} value={cloud.id}>
            {cloud.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}
