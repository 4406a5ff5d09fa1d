import { describe, expect, it } from 'vitest';
import { startBitbucketEmulator } from '../../../emulator/bitbucket';
import { createHttpTransport } from '../../http/transport';
import { createMemoryLinks } from '../remote/links';
import type { RemoteTargetError } from '../remote/remote-error';
import { VirtualClock } from '../remote/virtual-clock';
import { createMemoryLicenceMemory } from './bitbucket-licence';
import { createBitbucketTarget } from './bitbucket-target';

const fields = { username: 'x.y', email: 'x@example.com', displayName: 'X Y', givenName: null, surname: null };

/** What a write says when Bitbucket refuses the credential, against the demo Bitbucket over HTTPS. */
describe('BitbucketTarget refusals', () => {
  for (const deniedStatus of [401, 403] as const) {
    it(`reads a non-administrator's ${deniedStatus} as a missing Admin permission, a token as the token rule, a wrong password as such`, async () => {
      const clock = new VirtualClock();
      const bb = await startBitbucketEmulator({ clock, deniedStatus });
      const transport = createHttpTransport({ extraCaPem: bb.info.caCertPem, env: {} });
      const attempt = (username: string, password: string) =>
        createBitbucketTarget({
          id: 't',
          baseUrl: bb.info.baseUrl,
          username,
          password,
          transport,
          clock,
          links: createMemoryLinks(),
          licenceMemory: createMemoryLicenceMemory(),
        })
          .createUser('ext-1', fields, true)
          .then(
            () => undefined,
            (e: unknown) => e as RemoteTargetError,
          );
      try {
        const plain = await attempt(bb.info.userUsername, bb.info.userPassword);
        expect(plain).toMatchObject({ code: 'rejected', reason: 'forbidden' });
        expect(plain?.message).toMatch(/needs the global Admin or System admin permission/);
        const token = await attempt(bb.info.adminUsername, bb.info.adminAccessToken);
        expect(token).toMatchObject({ code: 'rejected', reason: 'forbidden' });
        expect(token?.message).toMatch(/HTTP access tokens cannot hold the global ADMIN permission/);
        const wrong = await attempt(bb.info.adminUsername, 'not-the-password');
        expect(wrong).toMatchObject({ code: 'rejected', reason: 'token-rejected' });
        expect(wrong?.message).toMatch(/did not accept the username and password/);
        for (const e of [plain, token, wrong]) {
          expect(e?.message).not.toContain(bb.info.userPassword);
          expect(e?.message).not.toContain(bb.info.adminAccessToken);
          expect(e?.message).not.toContain('not-the-password');
        }
        expect(bb.control.user('x.y')).toBeUndefined();
      } finally {
        await transport.close();
        await bb.close();
      }
    });
  }
});
