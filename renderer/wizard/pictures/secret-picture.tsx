import { tokens } from '@fluentui/react-components';
import { Box, CopyGlyph, NotThis, PortalFrame, T, Target, ToolButton, pictureColors as c } from './portal-frame';

const nav = [
  { label: 'Overview' },
  { label: 'Quickstart' },
  { label: 'Branding & properties' },
  { label: 'Authentication' },
  { label: 'Certificates & secrets', selected: true },
  { label: 'Token configuration' },
  { label: 'API permissions' },
  { label: 'Expose an API' },
];

/** Step 3: Certificates & secrets → New client secret → copy the Value (not the Secret ID). */
export function SecretPicture() {
  return (
    <PortalFrame
      title="Picture: creating the client secret and copying its Value"
      description="The app's Certificates & secrets page (1). On the Client secrets tab click New client secret (2), give a description and an expiry, Add. Then copy the Value column with its copy button (3): it is shown only once. The Secret ID next to it is not the secret."
      breadcrumb="Home › App registrations › Entra Sync Assistant"
      heading="Certificates & secrets"
      nav={nav}
    >
      <Target x={20} y={146} w={138} h={20} n={1} side="right" />
      <T x={184} y={104} size={11} color={c.muted}>
        Certificates (0)
      </T>
      <T x={284} y={104} size={11} weight={600} color={c.brandText}>
        Client secrets (1)
      </T>
      <rect x={284} y={110} width={96} height={2} style={{ fill: c.brand }} />
      <T x={400} y={104} size={11} color={c.muted}>
        Federated credentials (0)
      </T>
      <ToolButton x={184} y={124} label="+ New client secret" />
      <Target x={184} y={124} w={126} h={20} n={2} side="left" />
      <Box x={184} y={160} w={520} h={22} fill={c.subtle} />
      {[
        ['Description', 190],
        ['Expires', 318],
        ['Value', 400],
        ['Secret ID', 560],
      ].map(([label, x]) => (
        <T key={label} x={Number(x)} y={175} size={10} color={c.muted}>
          {label}
        </T>
      ))}
      <T x={190} y={206}>
        Entra Sync Assistant
      </T>
      <T x={318} y={206}>
        in 6 months
      </T>
      <T x={400} y={206} weight={600}>
        Q4a8Q~xY3…f0
      </T>
      <CopyGlyph x={510} y={197} />
      <Target x={396} y={194} w={126} h={18} n={3} side="right" />
      <T x={560} y={206} color={c.muted}>
        7c1e5b2a-…-9d04
      </T>
      <CopyGlyph x={668} y={197} />
      <NotThis x={556} y={194} w={140} h={18} label="Secret ID: not the secret" />
      <line x1={184} x2={704} y1={218} y2={218} style={{ stroke: c.line }} />
      <rect
        x={184}
        y={262}
        width={520}
        height={60}
        rx={4}
        style={{ fill: tokens.colorPaletteYellowBackground1, stroke: tokens.colorPaletteMarigoldBorder2 }}
      />
      <T x={196} y={284} weight={700}>
        Copy the Value now: it is shown only once.
      </T>
      <T x={196} y={304} size={10}>
        After you leave this page, the Value shows as “Q4a***” and cannot be copied again.
      </T>
    </PortalFrame>
  );
}
