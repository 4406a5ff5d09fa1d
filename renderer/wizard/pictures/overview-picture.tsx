import { Box, CopyGlyph, NotThis, PortalFrame, T, Target, pictureColors as c } from './portal-frame';

const nav = [
  { label: 'Overview', selected: true },
  { label: 'Quickstart' },
  { label: 'Branding & properties' },
  { label: 'Authentication' },
  { label: 'Certificates & secrets' },
  { label: 'Token configuration' },
  { label: 'API permissions' },
];

/** Step 4: where the Application (client) ID and the Directory (tenant) ID are (and the Object ID is not it). */
export function OverviewPicture() {
  const rows: [string, string][] = [
    ['Display name', 'Entra Sync Assistant'],
    ['Application (client) ID', '3b0f6c1e-2d4a-4c8e-9f11-5a7d2e6b9c30'],
    ['Object ID', '8e2d4f60-7b1c-4a39-8d52-c1f0e3a9b774'],
    ['Directory (tenant) ID', 'f4c2a9d1-6e3b-47a0-b5c8-2d9e1f7a4b63'],
    ['Supported account types', 'My organization only'],
  ];
  return (
    <PortalFrame
      title="Picture: the app's Overview page"
      description="On the app registration's Overview page (1), under Essentials, copy the Application (client) ID (2) and the Directory (tenant) ID (3) with their copy buttons. The Object ID is not needed."
      breadcrumb="Home › App registrations › Entra Sync Assistant"
      heading="Entra Sync Assistant"
      nav={nav}
    >
      <Target x={20} y={50} w={138} h={20} n={1} side="right" />
      <Box x={184} y={96} w={520} h={24} fill={c.subtle} />
      <T x={192} y={112} weight={600}>
        Essentials
      </T>
      {rows.map(([label, value], i) => {
        const y = 150 + i * 36;
        return (
          <g key={label}>
            <T x={192} y={y} size={10} color={c.muted}>
              {label}
            </T>
            <T x={360} y={y} color={i === 0 ? c.brandText : c.text}>
              {value}
            </T>
            {i > 0 && i < 4 && <CopyGlyph x={596} y={y - 10} />}
          </g>
        );
      })}
      <Target x={356} y={174} w={262} h={18} n={2} side="right" />
      <NotThis x={356} y={210} w={262} h={18} label="" />
      <T x={640} y={224} size={10} weight={700} color={c.muted}>
        not this
      </T>
      <Target x={356} y={246} w={262} h={18} n={3} side="right" />
    </PortalFrame>
  );
}
