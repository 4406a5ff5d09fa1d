/**
 * Seeded, deterministic tenant generator: the same (seed, users, groups, domain) always gives the same directory.
 * It deliberately includes what breaks naive sync code: names in several scripts, #EXT# guests, disabled accounts,
 * users without mail, nested groups, groups holding devices/contacts/service principals, groups of over 1,000
 * members (when the tenant is that big) and duplicate group display names.
 */
import { type Directory, type GroupRecord, type OtherRecord, type UserRecord } from './directory';
import type { Prng } from './prng';

/** What to generate. */
export interface DatasetOptions {
  readonly users: number;
  readonly groups: number;
  readonly tenantDomain: string;
  /** Base time for createdDateTime values. */
  readonly now: Date;
  /** Scales every group's size but the all-members group 0, in (0, 1]. Default 1. */
  readonly membershipScale?: number;
}

// Given name, surname pairs per script, so a display name never mixes scripts.
const NAMES: ReadonlyArray<readonly [readonly string[], readonly string[]]> = [
  [
    ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Grace', 'Henry', 'Isla', 'Jack', 'Laura', 'Mark'],
    ['Smith', 'Johnson', 'Brown', 'Taylor', 'Walker', 'Wright', 'Green', 'Hall', 'Young', 'King'],
  ],
  [
    ['Jürgen', 'Käthe', 'Jörg', 'Mädchen', 'Björn', 'Zoë', 'Noël', 'Chloé', 'José', 'François'],
    ['Müller', 'Schäfer', 'Größer', 'Bäcker', 'Lefèvre', 'Peña', 'Gómez', 'Höfler'],
  ],
  [
    ['Søren', 'Åse', 'Øystein', 'Ærlig', 'Bjørn', 'Sindre'],
    ['Sørensen', 'Ødegård', 'Løvås', 'Aasen', 'Bråten'],
  ],
  [
    ['Łukasz', 'Paweł', 'Małgorzata', 'Wojciech', 'Żaneta', 'Zdzisław'],
    ['Łęcki', 'Wójcik', 'Kowalczyk', 'Żółkiewski', 'Szczęsny'],
  ],
  [
    ['伟', '芳', '娜', '敏', '静', '强'],
    ['李', '王', '张', '刘', '陈'],
  ],
  [
    ['Ωμέγα', 'Δημήτρης', 'Ελένη', 'Γιώργος', 'Σοφία'],
    ['Παπαδόπουλος', 'Οικονόμου', 'Αλεξίου', 'Νικολάου'],
  ],
  [
    ['Иван', 'Ольга', 'Сергей'],
    ['Петров', 'Смирнова', 'Кузнецов'],
  ],
];
const NAME_WEIGHTS = [0.5, 0.15, 0.08, 0.08, 0.08, 0.06, 0.05];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'Legal', 'Research', 'Operations'];
const TITLES = ['Engineer', 'Manager', 'Analyst', 'Consultant', 'Designer', 'Director', 'Specialist', null];
const GUEST_DOMAINS = ['partner.example', 'contoso.example', 'fabrikam.example', 'gmail.example'];
const GROUP_NAMES = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'Jira Users', 'Confluence Users'];

const ASCII: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  å: 'aa',
  ø: 'oe',
  æ: 'ae',
  ł: 'l',
  ę: 'e',
  ą: 'a',
  ó: 'o',
  ż: 'z',
  ź: 'z',
  ś: 's',
  ć: 'c',
  ń: 'n',
  é: 'e',
  è: 'e',
  ë: 'e',
  ç: 'c',
  ñ: 'n',
};

/** An ASCII mail nickname from a name, or undefined when nothing ASCII is left (CJK, Greek, Cyrillic). */
function asciiSlug(text: string): string | undefined {
  const s = text
    .toLowerCase()
    .split('')
    .map((c) => ASCII[c] ?? c)
    .join('')
    .normalize('NFKD')
    .replace(/[^a-z0-9]/g, '');
  return s.length > 0 ? s : undefined;
}

function pickNames(prng: Prng): readonly [readonly string[], readonly string[]] {
  let r = prng.next();
  for (let i = 0; i < NAMES.length; i++) {
    r -= NAME_WEIGHTS[i] ?? 0;
    if (r < 0) return NAMES[i] as (typeof NAMES)[number];
  }
  return NAMES[0] as (typeof NAMES)[number];
}

/** Fills `directory` with a generated tenant. */
export function generateDataset(directory: Directory, prng: Prng, options: DatasetOptions): void {
  const { tenantDomain } = options;
  const baseTime = options.now.getTime() - 3 * 365 * 86_400_000;
  const stamp = (i: number) => new Date(baseTime + i * 61_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const users: UserRecord[] = [];
  const nicknames = new Set<string>();

  for (let i = 0; i < options.users; i++) {
    const [givens, surnames] = pickNames(prng);
    const given = prng.pick(givens);
    const surname = prng.pick(surnames);
    const cjk = /[\u4e00-\u9fff]/.test(given);
    const displayName = cjk ? `${surname}${given}` : `${given} ${surname}`;
    let nick = `${asciiSlug(given) ?? 'user'}.${asciiSlug(surname) ?? String(i + 1)}`;
    if (nicknames.has(nick)) nick = `${nick}${i + 1}`;
    nicknames.add(nick);
    // Index 1 is always a guest and index 2 always disabled, so even a 10-user tenant has both.
    const guest = i === 1 || (i > 3 && prng.chance(0.05));
    const enabled = !(i === 2 || prng.chance(0.06));
    const guestDomain = prng.pick(GUEST_DOMAINS);
    const user: UserRecord = {
      kind: 'user',
      id: prng.guid(),
      displayName,
      givenName: prng.chance(0.03) ? null : given,
      surname: prng.chance(0.03) ? null : surname,
      userPrincipalName: guest ? `${nick}_${guestDomain}#EXT#@${tenantDomain}` : `${nick}@${tenantDomain}`,
      // Index 3 never has mail; guests always have their home address.
      mail: guest ? `${nick}@${guestDomain}` : i === 3 || prng.chance(0.1) ? null : `${nick}@${tenantDomain}`,
      mailNickname: guest ? `${nick}_${guestDomain}#EXT#` : nick,
      userType: guest ? 'Guest' : 'Member',
      accountEnabled: enabled,
      onPremisesSamAccountName: !guest && prng.chance(0.3) ? nick.replace(/\./g, '').slice(0, 20) : null,
      jobTitle: guest ? null : prng.pick(TITLES),
      department: guest ? null : prng.pick(DEPARTMENTS),
      externalUserState: guest ? (prng.chance(0.9) ? 'Accepted' : 'PendingAcceptance') : null,
      createdDateTime: stamp(i),
      seq: 0,
    };
    users.push(user);
    directory.load(user);
  }

  const others: OtherRecord[] = [
    { kind: 'device', id: prng.guid(), displayName: 'LAPTOP-7Q2X', extra: { deviceId: prng.guid(), operatingSystem: 'Windows' } },
    {
      kind: 'device',
      id: prng.guid(),
      displayName: 'MacBook-Øystein',
      extra: { deviceId: prng.guid(), operatingSystem: 'MacMDM' },
    },
    { kind: 'orgContact', id: prng.guid(), displayName: 'Supplier Contact', extra: { mail: 'contact@supplier.example' } },
    { kind: 'servicePrincipal', id: prng.guid(), displayName: 'Build Automation', extra: { appId: prng.guid() } },
  ];
  for (const o of others) directory.load(o);

  const groups: GroupRecord[] = [];
  for (let g = 0; g < options.groups; g++) {
    const unified = g % 5 === 4;
    // Groups 5 and 6 share a display name on purpose; others cycle through the names with a suffix.
    const displayName =
      g === 0
        ? 'All Employees'
        : g === 5 || g === 6
          ? 'Marketing'
          : `${GROUP_NAMES[g % GROUP_NAMES.length]} ${Math.floor(g / GROUP_NAMES.length) + 1}`;
    const nick = `${asciiSlug(displayName) ?? 'group'}${g}`;
    const group: GroupRecord = {
      kind: 'group',
      id: prng.guid(),
      displayName,
      description: prng.chance(0.7) ? `${displayName} (generated)` : null,
      mail: unified ? `${nick}@${tenantDomain}` : null,
      mailEnabled: unified,
      mailNickname: nick,
      securityEnabled: !unified,
      groupTypes: unified ? ['Unified'] : [],
      createdDateTime: stamp(g),
      members: [],
      seq: 0,
    };
    groups.push(group);
    directory.load(group);
  }

  // Memberships: group 0 holds every member (not guest) user, others a random slice of varying size.
  const n = users.length;
  const scale = options.membershipScale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`membershipScale must be in (0, 1], not ${scale}.`);
  groups.forEach((group, g) => {
    if (g === 0) {
      for (const u of users) if (u.userType === 'Member') group.members.push(u.id);
      return;
    }
    const share = (prng.chance(0.2) ? 0.2 : 0.03) * scale;
    const size = Math.min(n, Math.max(1, Math.floor(n * share * prng.next()) + 2));
    const start = prng.int(0, Math.max(0, n - 1));
    const step = prng.pick([1, 3, 7, 11]);
    const seen = new Set<string>();
    for (let k = 0; k < size; k++) {
      const u = users[(start + k * step) % n];
      if (u && !seen.has(u.id)) {
        seen.add(u.id);
        group.members.push(u.id);
      }
    }
  });
  // Nesting: 1 ⊃ 2 ⊃ 3 and also 1 ⊃ 3 directly (a diamond), so transitive readers must de-duplicate.
  const nest = (parent: number, child: number) => {
    const p = groups[parent];
    const c = groups[child];
    if (p && c && !p.members.includes(c.id)) p.members.push(c.id);
  };
  nest(1, 2);
  nest(2, 3);
  nest(1, 3);
  // Non-user members on group 4 (devices, contact, service principal).
  const mixed = groups[4];
  if (mixed) for (const o of others) mixed.members.push(o.id);
}
