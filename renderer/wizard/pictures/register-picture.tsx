import { Blade, Box, PortalFrame, T, Target, ToolButton, pictureColors as c } from './portal-frame';

const nav = [
  { label: 'Home' },
  { label: 'Identity' },
  { label: 'Applications', indent: 1 },
  { label: 'Enterprise apps', indent: 2 },
  { label: 'App registrations', indent: 2, selected: true },
  { label: 'Users', indent: 1 },
  { label: 'Groups', indent: 1 },
];

/** Step 1: App registrations → New registration → name, single tenant → Register. */
export function RegisterPicture() {
  return (
    <PortalFrame
      title="Picture: registering the application"
      description="Entra admin center, App registrations (1). Click New registration (2). In Register an application, type the name (3), keep Single tenant selected (4) and click Register (5)."
      breadcrumb="Home › App registrations"
      heading="App registrations"
      nav={nav}
    >
      <Target x={20} y={148} w={138} h={20} n={1} side="right" />
      <ToolButton x={184} y={96} label="+ New registration" />
      <Target x={184} y={96} w={122} h={20} n={2} side="left" />
      <ToolButton x={318} y={96} label="Endpoints" />
      <Box x={184} y={130} w={210} h={22} fill={c.subtle} />
      <T x={192} y={145} size={10} color={c.muted}>
        Display name
      </T>
      {['Payroll connector', 'Jira SSO', 'Build agent'].map((name, i) => (
        <g key={name}>
          <T x={192} y={176 + i * 26} color={c.brandText}>
            {name}
          </T>
          <line x1={184} x2={394} y1={184 + i * 26} y2={184 + i * 26} style={{ stroke: c.line }} />
        </g>
      ))}
      <Blade x={410} title="Register an application">
        <T x={426} y={96} size={10} weight={600}>
          * Name
        </T>
        <Box x={426} y={102} w={260} h={22} />
        <T x={432} y={117}>
          Entra Sync Assistant
        </T>
        <Target x={426} y={102} w={260} h={22} n={3} side="right" />
        <T x={426} y={146} size={10} weight={600}>
          Supported account types
        </T>
        <circle cx={432} cy={164} r={5} style={{ fill: c.brand }} />
        <T x={444} y={168} size={10}>
          This organizational directory only (Single tenant)
        </T>
        <Target x={424} y={156} w={262} h={16} n={4} side="right" />
        <circle cx={432} cy={186} r={5} style={{ fill: 'none', stroke: c.muted }} />
        <T x={444} y={190} size={10} color={c.muted}>
          Any organizational directory (Multitenant)
        </T>
        <T x={426} y={222} size={10} weight={600}>
          Redirect URI (optional)
        </T>
        <T x={426} y={238} size={10} color={c.muted}>
          Leave empty: this app signs in as itself.
        </T>
        <rect x={426} y={346} width={74} height={26} rx={3} style={{ fill: c.brand }} />
        <T x={463} y={363} anchor="middle" weight={600} color={c.onBrand}>
          Register
        </T>
        <Target x={426} y={346} w={74} h={26} n={5} side="right" />
      </Blade>
    </PortalFrame>
  );
}
