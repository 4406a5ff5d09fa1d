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
