import { z } from 'zod';

/**
 * The three ways to provision Entra users into Atlassian Data Center, and the advice that picks one.
 */
export const provisioningModels = ['user-sync', 'jit', 'manual'] as const;
export const provisioningModelSchema = z.enum(provisioningModels);
export type ProvisioningModel = z.infer<typeof provisioningModelSchema>;

export const atlassianProducts = ['jira', 'confluence', 'bitbucket', 'other'] as const;
export const atlassianProductSchema = z.enum(atlassianProducts);
export type AtlassianProduct = z.infer<typeof atlassianProductSchema>;

/** The admin's answers to the chooser's questions; each may still be unanswered. */
export const chooserAnswersSchema = z.object({
  needGroups: z.boolean().optional(),
  product: atlassianProductSchema.optional(),
  onLdap: z.boolean().optional(),
});
export type ChooserAnswers = z.infer<typeof chooserAnswersSchema>;

export type Effort = 'low' | 'medium' | 'high';

export interface ModelDescription {
  readonly id: ProvisioningModel;
  readonly title: string;
  readonly tagline: string;
  readonly effort: { readonly withoutGroups: Effort; readonly withGroups: Effort };
  readonly pros: readonly string[];
  readonly cons: readonly string[];
  readonly pickWhen: string;
}

export const modelDescriptions: Readonly<Record<ProvisioningModel, ModelDescription>> = {
  'user-sync': {
    id: 'user-sync',
    title: 'User Sync',
    tagline: 'Users and groups are synced from Entra on a schedule and at first login.',
    effort: { withoutGroups: 'low', withGroups: 'low' },
    pros: [
      'Users and groups exist before anyone logs in, so you can assign permissions ahead of time',
      'Leavers are disabled automatically at the next sync',
      'Group names come across, not just ids',
    ],
    cons: [
      'Needs an app registration with the Directory.Read.All application permission',
      'Its client secret expires and must be renewed (this app reminds you)',
    ],
    pickWhen: 'You run Jira, Confluence or Bitbucket Data Center and want Entra to be the source of truth.',
  },
  jit: {
    id: 'jit',
    title: 'Just-in-Time provisioning',
    tagline: 'Users are created the first time they log in with SAML single sign-on.',
    effort: { withoutGroups: 'low', withGroups: 'high' },
    pros: ['No app registration or secret to maintain', 'Accounts exist only for people who actually log in'],
    cons: [
      'Entra sends group ids, not names: mapping groups is manual work',
      'Leavers keep their accounts until someone removes them',
      'You cannot assign permissions before the first login',
    ],
    pickWhen: 'You do not need Entra groups in the product, or your product has no User Sync.',
  },
  manual: {
    id: 'manual',
    title: 'Manual user management',
    tagline: 'Administrators create and remove users by hand (or the product keeps syncing from Active Directory over LDAP).',
    effort: { withoutGroups: 'high', withGroups: 'high' },
    pros: ['Nothing to set up in Entra', 'Keeps an existing LDAP connection to Active Directory working'],
    cons: ['Every joiner, mover and leaver is manual work', 'Accounts drift from Entra; leavers are easily forgotten'],
    // Whether it is recommended is the card's badge, from the answers: never a fixed word here that could contradict it.
    pickWhen: 'Your product still syncs from on-premises Active Directory over LDAP and that has to stay for now.',
  },
};

export interface Recommendation {
  readonly model: ProvisioningModel;
  /** Why, in the admin's terms, built from their own answers. */
  readonly reasons: readonly string[];
  /** False until enough questions are answered to be sure. */
  readonly complete: boolean;
}

const userSyncProducts: readonly AtlassianProduct[] = ['jira', 'confluence', 'bitbucket'];

/** Recommends a provisioning model from the chooser's answers. Pure. */
export function recommendModel(answers: ChooserAnswers): Recommendation {
  const complete = answers.needGroups !== undefined && answers.product !== undefined && answers.onLdap !== undefined;
  if (answers.onLdap === true) {
    return {
      model: 'manual',
      complete,
      reasons: [
        'Your product still syncs from Active Directory over LDAP: keep that directory until you move to Entra.',
        'Come back to User Sync when you retire the LDAP connection.',
      ],
    };
  }
  if (answers.product !== undefined && !userSyncProducts.includes(answers.product)) {
    return {
      model: 'jit',
      complete,
      reasons: [
        'User Sync is available for Jira, Confluence and Bitbucket only.',
        answers.needGroups
          ? 'Just-in-Time works with groups, but Entra sends only group ids: plan time to map them.'
          : 'Without groups, Just-in-Time needs almost no upkeep.',
      ],
    };
  }
  const reasons = ['User Sync keeps users and groups in line with Entra with the least work.'];
  if (answers.needGroups === true) reasons.push('You need groups: User Sync brings their names, Just-in-Time only ids.');
  if (answers.needGroups === false) reasons.push('Even without groups, it disables leavers for you.');
  if (answers.product !== undefined) reasons.push(`It is available for ${productName(answers.product)}.`);
  return { model: 'user-sync', complete, reasons };
}

export function productName(product: AtlassianProduct): string {
  switch (product) {
    case 'jira':
      return 'Jira Data Center';
    case 'confluence':
      return 'Confluence Data Center';
    case 'bitbucket':
      return 'Bitbucket Data Center';
    case 'other':
      return 'another Atlassian product';
  }
}

/** What the admin chose, saved in the settings. */
export const onboardingStateSchema = z.object({
  model: provisioningModelSchema.optional(),
  answers: chooserAnswersSchema.default({}),
  chosenAt: z.string().optional(),
});
export type OnboardingState = z.infer<typeof onboardingStateSchema>;
