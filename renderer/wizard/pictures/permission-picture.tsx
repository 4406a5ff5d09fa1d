import { tokens } from '@fluentui/react-components';
import { Blade, Box, PortalFrame, T, Target, ToolButton, pictureColors as c } from './portal-frame';

const nav = [
  { label: 'Overview' },
  { label: 'Quickstart' },
  { label: 'Branding & properties' },
  { label: 'Authentication' },
  { label: 'Certificates & secrets' },
  { label: 'Token configuration' },
  { label: 'API permissions', selected: true },
  { label: 'Expose an API' },
];

/** Step 2: API permissions → Add a permission → Microsoft Graph → Application permissions → Directory.Read.All → Grant admin consent. */
export function PermissionPicture() {
  const granted = tokens.colorPaletteGreenForeground1;
  return (
    <PortalFrame
      title="Picture: adding the permission and granting admin consent"
      description="The app's API permissions page (1). Click Add a permission (2), choose Microsoft Graph, then Application permissions (3), tick Directory.Read.All (4) and Add permissions. Then click Grant admin consent (5): the status turns to Granted."
      breadcrumb="Home › App registrations › Entra Sync Assistant"
      heading="API permissions"
      nav={nav}
    >
      <Target x={20} y={194} w={138} h={20} n={1} side="right" />
      <ToolButton x={184} y={96} label="+ Add a permission" />
      <Target x={184} y={96} w={120} h={20} n={2} side="left" />
      <ToolButton x={184} y={124} label="✓ Grant admin consent for Contoso" />
      <Target x={184} y={124} w={210} h={20} n={5} side="left" />
      <Box x={184} y={158} w={220} h={22} fill={c.subtle} />
      <T x={190} y={173} size={10} color={c.muted}>
        API / Permission name
      </T>
      <T x={320} y={173} size={10} color={c.muted}>
        Type
      </T>
      <T x={190} y={200} weight={600}>
        Microsoft Graph (1)
      </T>
      <T x={200} y={224}>
        Directory.Read.All
      </T>
      <T x={320} y={224}>
        Application
      </T>
      <T x={200} y={246} size={10} color={granted}>
        ✓ Granted for Contoso
      </T>
      <T x={200} y={276} size={10} color={c.muted}>
        User.Read (Delegated) — remove it:
      </T>
      <T x={200} y={290} size={10} color={c.muted}>
        “…” › Remove permission
      </T>
      <Blade x={416} title="Request API permissions">
        <T x={432} y={92} size={10} color={c.muted}>
          ‹ All APIs · Microsoft Graph
        </T>
        <T x={432} y={114} size={10} weight={600}>
          What type of permissions does your application require?
        </T>
        <Box x={432} y={124} w={124} h={46} />
        <T x={440} y={143} size={11} weight={600}>
          Delegated
        </T>
        <T x={440} y={159} size={9} color={c.muted}>
          as the signed-in user
        </T>
        <Box x={566} y={124} w={130} h={46} fill={tokens.colorBrandBackground2} stroke={tokens.colorBrandStroke1} />
        <T x={574} y={143} size={11} weight={600}>
          Application
        </T>
        <T x={574} y={159} size={9} color={c.muted}>
          as a background service
        </T>
        <Target x={566} y={124} w={130} h={46} n={3} side="left" />
        <Box x={432} y={188} w={264} h={22} />
        <T x={440} y={203} size={10} color={c.muted}>
          Directory.Read.All
        </T>
        <rect x={440} y={226} width={12} height={12} rx={2} style={{ fill: c.brand }} />
        <T x={443} y={236} size={10} weight={700} color={c.onBrand}>
          ✓
        </T>
        <T x={460} y={236}>
          Directory.Read.All
        </T>
        <T x={460} y={250} size={9} color={c.muted}>
          Read directory data · Admin consent required: Yes
        </T>
        <Target x={436} y={222} w={258} h={32} n={4} side="left" />
        <rect x={432} y={346} width={106} height={26} rx={3} style={{ fill: c.brand }} />
        <T x={485} y={363} anchor="middle" weight={600} color={c.onBrand}>
          Add permissions
        </T>
      </Blade>
    </PortalFrame>
  );
}
