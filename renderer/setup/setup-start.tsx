import { Body1, Button, Caption1, Card, Subtitle2, Title1, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
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

const steps = [
  'Register an application in the Entra admin center',
  'Add the Microsoft Graph application permission Directory.Read.All and grant admin consent',
  'Create a client secret and copy its Value',
  'Enter the Directory (tenant) ID, Application (client) ID and secret',
  'Test the connection live against Microsoft Graph',
  'Choose when syncs run',
  'Review a dry run, then run the first sync',
];

/** Where User Sync leads: the setup journey ahead. */
export function SetupStart(props: { onChooseAgain: () => void }) {
  const styles = useStyles();
  return (
    <>
      <header>
        <Caption1>You chose User Sync</Caption1>
        <Title1 as="h1">Connect your Entra tenant</Title1>
      </header>
      <Card className={styles.card}>
        <Subtitle2 as="h2">The setup, step by step</Subtitle2>
        <Body1>Each step says exactly what to click, and the connection is tested live before anything is synced.</Body1>
        <ol className={styles.list}>
          {steps.map((step) => (
            <li key={step}>
              <Body1>{step}</Body1>
            </li>
          ))}
        </ol>
      </Card>
      <div className={styles.actions}>
        <Button onClick={props.onChooseAgain}>Choose another model</Button>
      </div>
    </>
  );
}
