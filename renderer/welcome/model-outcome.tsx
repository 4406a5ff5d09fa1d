import {
  Body1,
  Button,
  Caption1,
  Card,
  Link,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  Title1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { modelDescriptions } from '../../shared/provisioning';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalL,
    '@media (max-width: 960px)': { gridTemplateColumns: '1fr' },
  },
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM },
});

interface Outcome {
  readonly summary: string;
  readonly canDo: readonly string[];
  readonly cannotDo: readonly string[];
  readonly nextSteps: readonly { readonly text: string; readonly href?: string }[];
}

const outcomes: Record<'jit' | 'manual', Outcome> = {
  jit: {
    summary:
      'Just-in-Time provisioning is set up in Entra’s enterprise application for SAML single sign-on and in your product’s SSO settings. This app does not run it, because nothing is synced: accounts appear when people log in.',
    canDo: [
      'Explain the trade-off: Entra sends group ids, not names, so each group must be mapped by hand',
      'Switch you to User Sync at any time, keeping your answers',
    ],
    cannotDo: [
      'Configure SAML single sign-on in Entra or in your Atlassian product',
      'Create users before their first login, or disable leavers',
      'Translate group ids into group names',
    ],
    nextSteps: [
      {
        text: 'Add your product as an enterprise application in Entra with SAML single sign-on',
        href: 'https://learn.microsoft.com/entra/identity/saas-apps/tutorial-list',
      },
      {
        text: 'Enable Just-in-Time user provisioning in the product’s SSO 2.0 configuration',
        href: 'https://confluence.atlassian.com/enterprise/saml-single-sign-on-for-atlassian-data-center-applications-857050705.html',
      },
      { text: 'If you send groups, map each group id to a group in the product' },
    ],
  },
  manual: {
    summary:
      'With manual user management, administrators create and remove accounts by hand, or the product keeps its LDAP connection to Active Directory. This app has nothing to run for you yet.',
    canDo: [
      'Set up User Sync when you retire the LDAP connection: it keeps your answers',
      'Show what User Sync would change before anything is applied (dry run), once it is set up',
    ],
    cannotDo: ['Create, update or remove users in the product while it is managed by hand or by LDAP'],
    nextSteps: [
      { text: 'Keep the LDAP user directory in the product’s User Directories settings until Entra takes over' },
      { text: 'Plan the move to Entra: User Sync disables leavers automatically and brings group names' },
    ],
  },
};

/** The end of the road for Just-in-Time and manual management: what this app can and cannot do there. */
export function ModelOutcome(props: { model: 'jit' | 'manual'; onChooseAgain: () => void }) {
  const styles = useStyles();
  const outcome = outcomes[props.model];
  const model = modelDescriptions[props.model];
  return (
    <>
      <header className={styles.header}>
        <Caption1>You chose</Caption1>
        <Title1 as="h1">{model.title}</Title1>
      </header>
      <MessageBar intent={props.model === 'manual' ? 'warning' : 'info'} layout="multiline">
        <MessageBarBody>{outcome.summary}</MessageBarBody>
      </MessageBar>
      <div className={styles.columns}>
        <Card className={styles.card}>
          <Subtitle2 as="h2">What this app can do for you</Subtitle2>
          <ul className={styles.list}>
            {outcome.canDo.map((item) => (
              <li key={item}>
                <Body1>{item}</Body1>
              </li>
            ))}
          </ul>
        </Card>
        <Card className={styles.card}>
          <Subtitle2 as="h2">What it cannot do</Subtitle2>
          <ul className={styles.list}>
            {outcome.cannotDo.map((item) => (
              <li key={item}>
                <Body1>{item}</Body1>
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <Card className={styles.card}>
        <Subtitle2 as="h2">Your next steps</Subtitle2>
        <ol className={styles.list}>
          {outcome.nextSteps.map((step) => (
            <li key={step.text}>
              {step.href ? (
                <Link href={step.href} target="_blank" rel="noreferrer">
                  {step.text}
                </Link>
              ) : (
                <Body1>{step.text}</Body1>
              )}
            </li>
          ))}
        </ol>
      </Card>
      <div className={styles.actions}>
        <Button appearance="primary" onClick={props.onChooseAgain}>
          Choose another model
        </Button>
      </div>
    </>
  );
}
