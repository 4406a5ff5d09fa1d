import type { AppInfo, AppResults } from '../../../../shared/contract/app';
import type { FeatureHandlers } from '../feature-handlers';
import type { AppContext } from '../app-context';

/** The app shell and the provisioning-model chooser. */
export function appHandlers(ctx: AppContext): FeatureHandlers<keyof AppResults> {
  const { settings, clock, vault } = ctx;

  const appInfo = (): AppInfo => {
    const protection = vault.protection();
    const notice = settings.notice;
    const vaultNotice = vault.notice?.();
    return {
      name: 'Entra Sync Assistant',
      version: ctx.version,
      host: ctx.host,
      platform: ctx.platform,
      theme: settings.get().ui.theme,
      secretStorageSecure: protection.secure,
      secretStorageBackend: protection.backend,
      dataDir: ctx.dataDir,
      ...(notice ? { settingsNotice: notice } : {}),
      ...(vaultNotice ? { vaultNotice } : {}),
    };
  };

  return {
    'app:getInfo': async () => appInfo(),
    'onboarding:get': async () => settings.get().onboarding,
    'onboarding:saveAnswers': async ({ answers }) =>
      settings.update((s) => ({ ...s, onboarding: { ...s.onboarding, answers } })).onboarding,
    'onboarding:chooseModel': async ({ model, answers }) =>
      settings.update((s) => ({
        ...s,
        onboarding: { model, answers, chosenAt: clock.now().toISOString() },
      })).onboarding,
    'onboarding:reset': async () => settings.update((s) => ({ ...s, onboarding: { answers: s.onboarding.answers } })).onboarding,
    'ui:setPreferences': async (prefs) => {
      settings.update((s) => ({ ...s, ui: { ...s.ui, ...prefs } }));
      return appInfo();
    },
  };
}
