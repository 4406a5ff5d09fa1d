import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Subtitle2,
  Text,
  Title1,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { Beaker20Regular, CheckmarkCircle16Regular, DismissCircle16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import {
  modelDescriptions,
  productName,
  provisioningModels,
  recommendModel,
  type AtlassianProduct,
  type ChooserAnswers,
  type Effort,
  type OnboardingState,
  type ProvisioningModel,
} from '../../shared/provisioning';
import { call } from '../api/client';
import { ErrorPanel } from '../components/error-panel';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  questions: {
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalXL,
    padding: tokens.spacingVerticalL,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground2,
    '@media (max-width: 960px)': { gridTemplateColumns: '1fr' },
  },
  fieldset: { border: 'none', margin: 0, padding: 0, minWidth: 0 },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalL,
    '@media (max-width: 960px)': { gridTemplateColumns: '1fr' },
  },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingVerticalL },
  recommended: {
    outline: `2px solid ${tokens.colorBrandStroke1}`,
    outlineOffset: '-2px',
  },
  cardTitle: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  list: { margin: 0, paddingLeft: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  listItem: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'flex-start' },
  pro: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0, marginTop: '2px' },
  con: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, marginTop: '2px' },
  effortRow: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  grow: { flexGrow: 1 },
  sectionTitle: { marginTop: tokens.spacingVerticalS },
  demo: {
    display: 'flex',
    flexDirection: 'row',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: tokens.spacingVerticalL,
    flexWrap: 'wrap',
  },
  demoText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, flexGrow: 1, flexBasis: '320px' },
  demoTitle: { margin: 0 },
});

const effortColor: Record<Effort, 'success' | 'warning' | 'danger'> = { low: 'success', medium: 'warning', high: 'danger' };

type YesNo = 'yes' | 'no' | '';
const toYesNo = (value: boolean | undefined): YesNo => (value === undefined ? '' : value ? 'yes' : 'no');

/**
 * The first screen: the three provisioning models side by side, three questions, and a recommendation.
 * Answers are saved as they are given, so a restart keeps them; choosing a model saves it.
 */
export function ModelChooser(props: {
  initialAnswers: ChooserAnswers;
  onChosen: (state: OnboardingState) => void;
  /** "Try with a demo tenant": User Sync against an emulated tenant, values filled in, straight to the test. */
  onTryDemo?: (answers: ChooserAnswers) => Promise<void>;
}) {
  const styles = useStyles();
  const [answers, setAnswers] = useState<ChooserAnswers>(props.initialAnswers);
  const [error, setError] = useState<Error>();
  const [saving, setSaving] = useState<ProvisioningModel | 'demo'>();
  const recommendation = recommendModel(answers);

  const answer = (patch: ChooserAnswers) => {
    const next = { ...answers, ...patch };
    setAnswers(next);
    call('onboarding:saveAnswers', { answers: next }).catch((e: Error) => setError(e));
  };

  const choose = async (model: ProvisioningModel) => {
    setSaving(model);
    try {
      props.onChosen(await call('onboarding:chooseModel', { model, answers }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(undefined);
    }
  };

  const withGroups = answers.needGroups !== false;

  const tryDemo = async () => {
    setSaving('demo');
    try {
      await props.onTryDemo?.(answers);
    } finally {
      setSaving(undefined);
    }
  };

  return (
    <>
      <header className={styles.header}>
        <Caption1>Entra Sync Assistant · Getting started</Caption1>
        <Title1 as="h1">How should users get from Entra ID into Atlassian?</Title1>
        <Body1>
          There are three ways to bring Microsoft Entra ID users into Jira, Confluence or Bitbucket Data Center. Answer three
          questions and we recommend one; you can change your mind later.
        </Body1>
      </header>

      <section className={styles.questions} aria-label="Questions">
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>
            <Subtitle2>Do you need Entra groups in the product?</Subtitle2>
          </legend>
          <RadioGroup
            value={toYesNo(answers.needGroups)}
            onChange={(_, d) => answer({ needGroups: d.value === 'yes' })}
            aria-label="Do you need Entra groups in the product?"
          >
            <Radio value="yes" label="Yes, for permissions and licences" />
            <Radio value="no" label="No, users are enough" />
          </RadioGroup>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>
            <Subtitle2>Which Atlassian product?</Subtitle2>
          </legend>
          <RadioGroup
            value={answers.product ?? ''}
            onChange={(_, d) => answer({ product: d.value as AtlassianProduct })}
            aria-label="Which Atlassian product?"
          >
            <Radio value="jira" label="Jira (Software or Service Management)" />
            <Radio value="confluence" label="Confluence" />
            <Radio value="bitbucket" label="Bitbucket" />
            <Radio value="other" label="Another product (Bamboo, Crowd, …)" />
          </RadioGroup>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>
            <Subtitle2>Does it still sync from Active Directory over LDAP?</Subtitle2>
          </legend>
          <RadioGroup
            value={toYesNo(answers.onLdap)}
            onChange={(_, d) => answer({ onLdap: d.value === 'yes' })}
            aria-label="Does it still sync from Active Directory over LDAP?"
          >
            <Radio value="no" label="No, or we are moving off it" />
            <Radio value="yes" label="Yes, and it has to stay for now" />
          </RadioGroup>
        </fieldset>
      </section>

      <MessageBar intent={recommendation.model === 'manual' ? 'warning' : 'info'} layout="multiline" aria-live="polite">
        <MessageBarBody>
          <MessageBarTitle>
            {recommendation.complete ? 'Our recommendation' : 'So far we recommend'}:{' '}
            {modelDescriptions[recommendation.model].title}
          </MessageBarTitle>
          {recommendation.reasons.join(' ')}
        </MessageBarBody>
      </MessageBar>

      {error && <ErrorPanel title="Your choice could not be saved" error={error} onRetry={() => setError(undefined)} />}

      <section className={styles.cards} aria-label="Provisioning models">
        {provisioningModels.map((id) => {
          const model = modelDescriptions[id];
          const isRecommended = recommendation.model === id;
          const effort = withGroups ? model.effort.withGroups : model.effort.withoutGroups;
          return (
            <Card
              key={id}
              className={mergeClasses(styles.card, isRecommended && styles.recommended)}
              aria-labelledby={`model-${id}-title`}
              data-testid={`model-card-${id}`}
            >
              <div className={styles.cardTitle}>
                <Subtitle2 as="h2" id={`model-${id}-title`}>
                  {model.title}
                </Subtitle2>
                {isRecommended && (
                  <Badge appearance="filled" color="brand">
                    {id === 'manual' ? 'Recommended for now' : 'Recommended'}
                  </Badge>
                )}
                {id === 'manual' && !isRecommended && (
                  <Badge appearance="outline" color="danger">
                    Not recommended
                  </Badge>
                )}
              </div>
              <Body1>{model.tagline}</Body1>
              <div className={styles.effortRow}>
                <Text weight="semibold">Admin effort{withGroups ? ' with groups' : ' without groups'}:</Text>
                <Badge appearance="tint" color={effortColor[effort]}>
                  {effort}
                </Badge>
              </div>
              <ul className={styles.list} aria-label={`${model.title}: advantages`}>
                {model.pros.map((pro) => (
                  <li key={pro} className={styles.listItem}>
                    <CheckmarkCircle16Regular className={styles.pro} aria-hidden />
                    <Caption1>{pro}</Caption1>
                  </li>
                ))}
              </ul>
              <ul className={styles.list} aria-label={`${model.title}: drawbacks`}>
                {model.cons.map((con) => (
                  <li key={con} className={styles.listItem}>
                    <DismissCircle16Regular className={styles.con} aria-hidden />
                    <Caption1>{con}</Caption1>
                  </li>
                ))}
              </ul>
              <Caption1 className={styles.grow}>
                <Text weight="semibold" size={200}>
                  Pick it when:{' '}
                </Text>
                {model.pickWhen}
                {id === 'user-sync' && answers.product === 'other' ? ` Not available for ${productName('other')}.` : ''}
              </Caption1>
              <Button
                appearance={isRecommended ? 'primary' : 'secondary'}
                onClick={() => void choose(id)}
                disabled={saving !== undefined}
              >
                {saving === id ? 'Saving…' : `Choose ${model.title}`}
              </Button>
            </Card>
          );
        })}
      </section>

      {props.onTryDemo && (
        <Card className={styles.demo} aria-labelledby="try-demo-title">
          <div className={styles.demoText}>
            <Subtitle2 as="h2" id="try-demo-title" className={styles.demoTitle}>
              Just looking? Try with a demo tenant
            </Subtitle2>
            <Body1>
              An emulated Entra tenant starts inside this app, with generated users and groups. Everything works as with a real
              tenant, and nothing real is touched. You can switch to your own tenant at any time.
            </Body1>
          </div>
          <Button icon={<Beaker20Regular />} onClick={() => void tryDemo()} disabled={saving !== undefined}>
            {saving === 'demo' ? 'Starting the demo tenant…' : 'Try with a demo tenant'}
          </Button>
        </Card>
      )}
    </>
  );
}
