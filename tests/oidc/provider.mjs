// A real OpenID Connect provider for the tests and benchmarks: oidc-provider (certified),
// issuing JWT access tokens by the client-credentials grant for one resource (the audience).
// Settings by environment: PORT, JWKS_FILE (the private signing keys, JSON), AUDIENCE,
// CLIENTS_FILE (JSON list of {client_id, client_secret, groups, email}).
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const audience = process.env.AUDIENCE;
const jwks = JSON.parse(readFileSync(process.env.JWKS_FILE, 'utf8'));
const people = JSON.parse(readFileSync(process.env.CLIENTS_FILE, 'utf8'));
const byClient = Object.fromEntries(people.map((c) => [c.client_id, c]));

const provider = new Provider(issuer, {
  jwks,
  clients: people.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  })),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== audience) throw new Error(`unknown resource ${resource}`);
        return {
          scope: 'api',
          audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: jwks.keys[0].alg } },
        };
      },
    },
  },
  extraTokenClaims: (ctx, token) => {
    const person = byClient[token.clientId] || {};
    return { groups: person.groups || [], email: person.email };
  },
});
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
