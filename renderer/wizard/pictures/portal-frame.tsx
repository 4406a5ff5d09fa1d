import { tokens } from '@fluentui/react-components';
import { useId, type ReactNode } from 'react';

/**
 * Drawing kit for the step pictures: a mock-up of the Microsoft Entra admin center drawn as SVG by the app
 * (no downloaded screenshots), in the current theme's colours, with the click targets outlined and numbered.
 * Coordinates are in a 720 × 400 view box; the picture scales to its container.
 */

export const W = 720;
export const H = 400;
const NAV = 168;
const TOP = 36;

/** The highlight colour: red-orange outlines read as "click here" in light and dark themes alike. */
const mark = '#c2410c';

const c = {
  page: tokens.colorNeutralBackground1,
  nav: tokens.colorNeutralBackground3,
  line: tokens.colorNeutralStroke2,
  text: tokens.colorNeutralForeground1,
  muted: tokens.colorNeutralForeground3,
  brand: tokens.colorBrandBackground,
  brandText: tokens.colorBrandForeground1,
  onBrand: tokens.colorNeutralForegroundOnBrand,
  selected: tokens.colorNeutralBackground1Selected,
  subtle: tokens.colorNeutralBackground2,
};

/** The colours for picture parts drawn outside this file. */
export const pictureColors = c;

/** Text in the picture. */
export function T(props: {
  x: number;
  y: number;
  children: ReactNode;
  size?: number;
  weight?: number;
  color?: string;
  anchor?: 'start' | 'middle' | 'end';
}) {
  return (
    <text
      x={props.x}
      y={props.y}
      fontSize={props.size ?? 11}
      fontWeight={props.weight ?? 400}
      textAnchor={props.anchor ?? 'start'}
      style={{ fill: props.color ?? c.text }}
    >
      {props.children}
    </text>
  );
}

/** A plain box (field, button, panel). */
export function Box(props: { x: number; y: number; w: number; h: number; fill?: string; stroke?: string; r?: number }) {
  return (
    <rect
      x={props.x}
      y={props.y}
      width={props.w}
      height={props.h}
      rx={props.r ?? 2}
      style={{ fill: props.fill ?? c.page, stroke: props.stroke ?? c.line }}
    />
  );
}

/** A click target: an outline around it and a numbered marker matching the instructions. */
export function Target(props: { x: number; y: number; w: number; h: number; n: number; side?: 'left' | 'right' }) {
  const mx = props.side === 'left' ? props.x - 12 : props.x + props.w + 12;
  const my = props.y + props.h / 2;
  return (
    <g>
      <rect
        x={props.x - 3}
        y={props.y - 3}
        width={props.w + 6}
        height={props.h + 6}
        rx={4}
        style={{ fill: 'none', stroke: mark, strokeWidth: 2.5 }}
      />
      <circle cx={mx} cy={my} r={10} style={{ fill: mark }} />
      <text x={mx} y={my + 4} fontSize={12} fontWeight={700} textAnchor="middle" style={{ fill: '#ffffff' }}>
        {props.n}
      </text>
    </g>
  );
}

/** A "not this" strike-through box, for the Secret ID and the Object ID. */
export function NotThis(props: { x: number; y: number; w: number; h: number; label: string }) {
  return (
    <g>
      <rect
        x={props.x - 3}
        y={props.y - 3}
        width={props.w + 6}
        height={props.h + 6}
        rx={4}
        style={{ fill: 'none', stroke: tokens.colorPaletteRedBorder2, strokeWidth: 2, strokeDasharray: '5 3' }}
      />
      <T
        x={props.x + props.w / 2}
        y={props.y + props.h + 16}
        size={10}
        weight={700}
        anchor="middle"
        color={tokens.colorPaletteRedForeground1}
      >
        {props.label}
      </T>
    </g>
  );
}

/** The portal's little "copy to clipboard" icon. */
export function CopyGlyph(props: { x: number; y: number }) {
  return (
    <g style={{ fill: 'none', stroke: c.brandText, strokeWidth: 1.2 }}>
      <rect x={props.x + 3} y={props.y} width={8} height={10} rx={1.5} />
      <path d={`M${props.x + 1} ${props.y + 3} v8 a1.5 1.5 0 0 0 1.5 1.5 h6`} />
    </g>
  );
}

/** A toolbar button such as “+ New registration”. */
export function ToolButton(props: { x: number; y: number; label: string; w?: number }) {
  const w = props.w ?? props.label.length * 6.2 + 14;
  return (
    <g>
      <T x={props.x + 6} y={props.y + 14} color={c.brandText}>
        {props.label}
      </T>
      <rect x={props.x} y={props.y} width={w} height={20} rx={2} style={{ fill: 'none' }} />
    </g>
  );
}

/** Left navigation items; `selected` is highlighted as the portal does. */
export interface NavItem {
  readonly label: string;
  readonly indent?: number;
  readonly selected?: boolean;
}

/**
 * The portal page: top bar, left navigation, breadcrumb and title. Children draw the page content at x ≥ 184.
 * `title` and `description` make the picture readable by screen readers.
 */
export function PortalFrame(props: {
  title: string;
  description: string;
  breadcrumb: string;
  heading: string;
  nav: readonly NavItem[];
  children: ReactNode;
}) {
  const id = useId();
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      style={{ width: '100%', height: 'auto', display: 'block', fontFamily: tokens.fontFamilyBase }}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.description}</desc>
      <rect x={0} y={0} width={W} height={H} rx={6} style={{ fill: c.page, stroke: c.line }} />
      <path d={`M0 6 a6 6 0 0 1 6 -6 H${W - 6} a6 6 0 0 1 6 6 V${TOP} H0 Z`} style={{ fill: c.brand }} />
      <T x={14} y={23} size={12} weight={600} color={c.onBrand}>
        Microsoft Entra admin center
      </T>
      <rect x={260} y={9} width={220} height={18} rx={9} style={{ fill: c.page, opacity: 0.9 }} />
      <T x={272} y={22} size={10} color={c.muted}>
        Search resources, services and docs
      </T>
      <rect x={0} y={TOP} width={NAV} height={H - TOP} style={{ fill: c.nav }} />
      {props.nav.map((item, i) => {
        const y = TOP + 14 + i * 24;
        return (
          <g key={item.label}>
            {item.selected && <rect x={4} y={y - 2} width={NAV - 8} height={22} rx={3} style={{ fill: c.selected }} />}
            {item.selected && <rect x={4} y={y + 2} width={3} height={14} rx={1.5} style={{ fill: c.brand }} />}
            <T x={14 + (item.indent ?? 0) * 12} y={y + 13} weight={item.selected ? 600 : 400}>
              {item.label}
            </T>
          </g>
        );
      })}
      <T x={184} y={TOP + 20} size={10} color={c.brandText}>
        {props.breadcrumb}
      </T>
      <T x={184} y={TOP + 44} size={17} weight={600}>
        {props.heading}
      </T>
      {props.children}
    </svg>
  );
}

/** A blade opened on the right, over the page (as the portal opens “Request API permissions”). */
export function Blade(props: { x: number; title: string; children: ReactNode }) {
  return (
    <g>
      <rect x={props.x - 6} y={TOP} width={6} height={H - TOP} style={{ fill: c.line, opacity: 0.5 }} />
      <rect x={props.x} y={TOP} width={W - props.x} height={H - TOP} style={{ fill: c.page, stroke: c.line }} />
      <T x={props.x + 16} y={TOP + 28} size={15} weight={600}>
        {props.title}
      </T>
      {props.children}
    </g>
  );
}
