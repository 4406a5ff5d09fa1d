import { describe, expect, it } from 'vitest';
import { checkCredentialInputs, cleanPastedValue, describeTrimmed, secretShape } from './credential-inputs';

const tenant = '11111111-2222-4333-8444-555555555555';
const clientId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const secret = 'abc8Q~' + 'x'.repeat(34);

describe('checkCredentialInputs', () => {
  it('accepts a GUID tenant, a GUID client id and a current-format secret', () => {
    const result = checkCredentialInputs({ tenant, clientId, secret });
    expect(result.issues).toEqual([]);
    expect(result.trimmed).toEqual([]);
    expect(result.tenantKind).toBe('guid');
  });

  it('accepts a domain tenant', () => {
    expect(checkCredentialInputs({ tenant: 'contoso.onmicrosoft.com', clientId, secret }).tenantKind).toBe('domain');
  });

  it.each([
    ['', 'tenant-missing'],
    ['contoso', 'tenant-invalid'],
    ['common', 'tenant-invalid'],
    ['https://login.microsoftonline.com/x', 'tenant-invalid'],
  ])('rejects tenant %j with %s', (value, code) => {
    const issue = checkCredentialInputs({ tenant: value, clientId, secret }).issues[0];
    expect(issue).toMatchObject({ field: 'tenant', severity: 'fail', code });
  });

  it.each([
    ['', 'client-id-missing'],
    ['My connector app', 'client-id-invalid'],
  ])('rejects client id %j with %s', (value, code) => {
    const issue = checkCredentialInputs({ tenant, clientId: value, secret }).issues[0];
    expect(issue).toMatchObject({ field: 'clientId', severity: 'fail', code });
  });

  it('says a GUID secret is the Secret ID and where the Value is', () => {
    const issue = checkCredentialInputs({ tenant, clientId, secret: '0d4c7f7e-1f2a-4b1c-9d3e-5f6a7b8c9d0e' }).issues[0];
    expect(issue).toMatchObject({ field: 'secret', severity: 'fail', code: 'secret-id-instead-of-value' });
    expect(issue?.fix).toContain('Value');
  });

  it('says what a Secret ID is and what to paste instead, as fully as the other messages', () => {
    const issue = checkCredentialInputs({ tenant, clientId, secret: '0d4c7f7e-1f2a-4b1c-9d3e-5f6a7b8c9d0e' }).issues[0];
    expect(issue?.message).toBe(
      'This is the Secret ID: a GUID that only names the secret, not the secret’s Value that signs in.',
    );
  });

  it.each(['Q4a***', 'abc••••••', 'Q4a*****************', 'xY7●●●●●'])(
    'recognises the masked value %j as not a secret',
    (masked) => {
      const issues = checkCredentialInputs({ tenant, clientId, secret: masked }).issues;
      expect(issues).toEqual([expect.objectContaining({ field: 'secret', severity: 'fail', code: 'secret-masked' })]);
      expect(issues[0]?.message).toContain('masked secret');
      expect(issues[0]?.fix).toContain('full Value');
    },
  );

  it('recognises an upper-case or mixed-case Secret ID too (some tools copy GUIDs in upper case)', () => {
    for (const secretId of ['0D4C7F7E-1F2A-4B1C-9D3E-5F6A7B8C9D0E', '0d4C7f7E-1F2a-4b1C-9D3e-5f6A7b8C9d0E']) {
      const result = checkCredentialInputs({ tenant, clientId, secret: secretId });
      expect(result.issues).toEqual([expect.objectContaining({ field: 'secret', code: 'secret-id-instead-of-value' })]);
    }
    expect(checkCredentialInputs({ tenant: tenant.toUpperCase(), clientId: clientId.toUpperCase(), secret }).issues).toEqual([]);
  });

  it('warns, never fails, on an unusual secret shape, without echoing it', () => {
    const odd = 'short-but-weird-secret!';
    const result = checkCredentialInputs({ tenant, clientId, secret: odd });
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ severity: 'warning', code: 'secret-shape-unusual' });
    expect(JSON.stringify(result.issues)).not.toContain(odd);
  });

  it('removes surrounding spaces and quotes and reports which fields', () => {
    const result = checkCredentialInputs({ tenant: ` ${tenant}\n`, clientId: `"${clientId}"`, secret: ` '${secret}' ` });
    expect(result.cleaned).toEqual({ tenant, clientId, secret });
    expect(result.trimmed).toEqual(['tenant', 'clientId', 'secret']);
    expect(result.issues).toEqual([]);
    expect(describeTrimmed(result.trimmed)).not.toContain(secret);
  });
});

describe('cleanPastedValue', () => {
  it('strips invisible characters and curly quotes', () => {
    expect(cleanPastedValue('\u200b\u201cabc\u201d\u00a0')).toBe('abc');
  });
});

describe('secretShape', () => {
  it.each([
    ['abc8Q~' + 'a'.repeat(34), 'current'],
    ['abc7Q~' + 'a'.repeat(31), 'previous'],
    ['a'.repeat(32), 'legacy'],
    ['a'.repeat(34), 'legacy'],
    ['a'.repeat(40), 'unusual'],
    ['abc8Q~' + 'a'.repeat(33) + ' ', 'unusual'],
  ])('%s is %s', (value, shape) => {
    expect(secretShape(value)).toBe(shape);
  });
});

describe('checkCredentialInputs: what the admin is told', () => {
  it.each([
    [{ tenant: '' }, 'tenant', 'tenant-missing', 'Directory (tenant) ID is empty', 'Overview page'],
    [{ tenant: 'contoso' }, 'tenant', 'tenant-invalid', 'neither a GUID nor a domain name', '8-4-4-4-12'],
    [{ clientId: '' }, 'clientId', 'client-id-missing', 'Application (client) ID is empty', 'Overview page'],
    [{ clientId: 'My connector app' }, 'clientId', 'client-id-invalid', 'is not a GUID', 'not the app’s name or Object ID'],
    [{ secret: '' }, 'secret', 'secret-missing', 'client secret is empty', 'create a new client secret'],
    [{ secret: '0d4c7f7e-1f2a-4b1c-9d3e-5f6a7b8c9d0e' }, 'secret', 'secret-id-instead-of-value', 'Secret ID', 'Value column'],
    [{ secret: 'a'.repeat(20) }, 'secret', 'secret-shape-unusual', 'does not look like one Entra issues', '40 characters'],
  ] as const)('%j: %s %s, with a message and a fix', (values, field, code, message, fix) => {
    const issues = checkCredentialInputs({ tenant, clientId, secret, ...values }).issues;
    expect(issues).toEqual([expect.objectContaining({ field, code })]);
    expect(issues[0]?.message).toContain(message);
    expect(issues[0]?.fix).toContain(fix);
  });

  it('an empty secret fails and stops there (no shape warning about nothing)', () => {
    expect(checkCredentialInputs({ tenant, clientId, secret: '' }).issues).toEqual([
      expect.objectContaining({ field: 'secret', severity: 'fail', code: 'secret-missing' }),
    ]);
  });

  it.each(['', 'contoso', 'common'])('tenant %j is of kind invalid', (value) => {
    expect(checkCredentialInputs({ tenant: value, clientId, secret }).tenantKind).toBe('invalid');
  });

  it.each(['common', 'organizations', 'consumers', 'Organizations', 'COMMON'])(
    'the multi-tenant alias %j is refused as not a tenant, by name',
    (alias) => {
      const issues = checkCredentialInputs({ tenant: alias, clientId, secret }).issues;
      expect(issues).toEqual([expect.objectContaining({ field: 'tenant', severity: 'fail', code: 'tenant-invalid' })]);
      expect(issues[0]?.message).toBe(`“${alias}” is not a tenant: an app signing in as itself must name your own tenant.`);
      expect(issues[0]?.fix).toContain('primary domain');
    },
  );

  it('warns, without failing, when the client ID repeats the tenant ID, whatever the case', () => {
    for (const same of [tenant, tenant.toUpperCase()]) {
      const issues = checkCredentialInputs({ tenant, clientId: same, secret }).issues;
      expect(issues).toEqual([expect.objectContaining({ field: 'clientId', severity: 'warning', code: 'client-id-invalid' })]);
      expect(issues[0]?.message).toContain('same as the Directory (tenant) ID');
      expect(issues[0]?.fix).toContain('two different values');
    }
    // With letters in it, so the comparison must fold case on both sides.
    expect(checkCredentialInputs({ tenant: clientId.toUpperCase(), clientId, secret }).issues).toHaveLength(1);
    expect(checkCredentialInputs({ tenant: clientId, clientId: clientId.toUpperCase(), secret }).issues).toHaveLength(1);
  });

  it('says how long an unusual secret is, and whether its characters are unusual, never the secret', () => {
    const plain = checkCredentialInputs({ tenant, clientId, secret: 'a'.repeat(20) }).issues[0];
    expect(plain).toMatchObject({ field: 'secret', severity: 'warning' });
    expect(plain?.message).toBe('The client secret does not look like one Entra issues (20 characters).');
    const odd = checkCredentialInputs({ tenant, clientId, secret: 'short-but-weird-secret!' }).issues[0];
    expect(odd?.message).toBe('The client secret does not look like one Entra issues (23 characters, with unusual characters).');
  });
});

describe('checkCredentialInputs: which values are GUIDs and domains', () => {
  it.each([
    ['a guid with a prefix', `x${tenant}`],
    ['a guid with a suffix', `${tenant}x`],
  ])('%s is not a GUID, for the client ID or the Secret ID check', (_, value) => {
    expect(checkCredentialInputs({ tenant, clientId: value, secret }).issues).toEqual([
      expect.objectContaining({ field: 'clientId', code: 'client-id-invalid', severity: 'fail' }),
    ]);
    expect(checkCredentialInputs({ tenant, clientId, secret: value }).issues).toEqual([
      expect.objectContaining({ field: 'secret', code: 'secret-shape-unusual', severity: 'warning' }),
    ]);
  });

  it.each(['x.contoso.com', 'contoso.onmicrosoft.com', 'a-b.c-d.io'])('%s is a domain', (value) => {
    expect(checkCredentialInputs({ tenant: value, clientId, secret }).tenantKind).toBe('domain');
  });

  it.each([
    ['a URL', 'https://contoso.onmicrosoft.com'],
    ['a domain with a path', 'contoso.onmicrosoft.com/x'],
    ['a name past 253 characters', `${`${'a'.repeat(60)}.`.repeat(5)}com`],
    ['a label starting with a hyphen', '-contoso.com'],
  ])('%s is not a domain', (_, value) => {
    const result = checkCredentialInputs({ tenant: value, clientId, secret });
    expect(result.tenantKind).toBe('invalid');
    expect(result.issues).toEqual([expect.objectContaining({ field: 'tenant', code: 'tenant-invalid' })]);
  });
});

describe('cleanPastedValue: every quote and layer', () => {
  it.each([['`abc`'], ['\u2018abc\u2019'], ['\u201cabc\u201d'], ['"abc"'], ["'abc'"], ['\ufeff abc \u2060']])(
    '%j becomes abc',
    (value) => {
      expect(cleanPastedValue(value)).toBe('abc');
    },
  );

  it('peels nested layers of quotes and spaces, in any order', () => {
    expect(cleanPastedValue(`"  'abc'  "`)).toBe('abc');
    expect(cleanPastedValue(`\u201c \u2018 abc \u2019 \u201d`)).toBe('abc');
  });

  it('keeps quotes and spaces inside the value', () => {
    expect(cleanPastedValue(`"a 'b' c"`)).toBe(`a 'b' c`);
  });

  it('peels any number of layers, and a value of only quotes and spaces down to nothing', () => {
    expect(cleanPastedValue(`${' "'.repeat(12)}abc${'" '.repeat(12)}`)).toBe('abc');
    expect(cleanPastedValue(` " ' \u00a0 ' " `)).toBe('');
    expect(cleanPastedValue('')).toBe('');
  });
});

describe('checkCredentialInputs: a secret kept only while the app ran', () => {
  const values = { tenant: 'contoso.onmicrosoft.com', clientId: '00000000-0000-4000-8000-000000000001', secret: '' };

  it.each([
    ['chosen', 'The client secret is no longer stored (you chose to keep it only while the app ran).'],
    ['session', 'The client secret is no longer stored (it was kept only while the app ran).'],
  ] as const)('asks to paste it again, not to create a new one (%s)', (secretGone, message) => {
    expect(checkCredentialInputs(values, { secretGone }).issues).toEqual([
      { field: 'secret', severity: 'fail', code: 'secret-missing', message, fix: 'Paste it again in Enter the values.' },
    ]);
  });

  it('says an empty secret is empty when none was kept before, and checks a pasted one as usual', () => {
    expect(checkCredentialInputs(values).issues).toEqual([
      expect.objectContaining({ code: 'secret-missing', message: 'The client secret is empty.' }),
    ]);
    const pasted = checkCredentialInputs({ ...values, secret: 'abc8Q~' + 'x'.repeat(34) }, { secretGone: 'chosen' });
    expect(pasted.issues).toEqual([]);
  });
});

describe('checkCredentialInputs: a masked secret', () => {
  it('takes two or more mask characters for a mask, and one star for an unusual character', () => {
    expect(checkCredentialInputs({ tenant: 'contoso.com', clientId: 'c', secret: 'Q4a**' }).issues).toContainEqual(
      expect.objectContaining({ code: 'secret-masked' }),
    );
    const one = checkCredentialInputs({ tenant: 'contoso.com', clientId: 'c', secret: 'Q4a*bcdefgh' }).issues;
    expect(one.map((i) => i.code)).not.toContain('secret-masked');
    expect(one).toContainEqual(expect.objectContaining({ code: 'secret-shape-unusual', severity: 'warning' }));
  });
});

describe('describeTrimmed', () => {
  it('names the cleaned fields in one sentence', () => {
    expect(describeTrimmed(['secret'])).toBe('Removed spaces or quotes around the Client secret.');
    expect(describeTrimmed(['tenant', 'clientId', 'secret'])).toBe(
      'Removed spaces or quotes around the Directory (tenant) ID and the Application (client) ID and the Client secret.',
    );
  });
});

describe('secretShape: the marker and the length go together', () => {
  it.each([
    ['a current marker at the wrong length', 'abc8Q~' + 'a'.repeat(33)],
    ['a previous marker at the wrong length', 'abc7Q~' + 'a'.repeat(32)],
    ['the previous length without its marker', 'a'.repeat(37)],
    ['a bad first character before a legacy-length tail', '!' + 'a'.repeat(31)],
  ])('%s is unusual', (_, value) => {
    expect(secretShape(value)).toBe('unusual');
  });
});
