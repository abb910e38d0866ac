// A real OpenID Connect provider for Boundary's single sign-on tests: the certified `oidc-provider`
// package on loopback, with its own freshly made signing key, one confidential client (PKCE required)
// and test users with groups. Started by tests/sso_support.py (OpenIdProvider):
//
//   node tests/sso/provider.mjs '{"redirectUri": "...", "postLogoutRedirectUri": "...", "users": {...}}'
//
// It prints one JSON line {"issuer": "http://127.0.0.1:PORT"} once it listens.
//
// Test knobs (loopback only, for the tests that prove Boundary refuses a bad ID token; the provider
// itself never issues one):
//   POST /test/users      {"name": {"password", "name", "email", "groups"}}  replaces the users
//   POST /test/id-token   {"mode": "wrong_key" | "wrong_nonce" | "expired" | null}
//     the next token response's ID token is re-signed with a key the provider does not publish
//     (same key id), or re-signed with the real key but a different nonce, or already expired.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] || '{}');
let users = options.users || {};
let idTokenMode = null;

async function signingKey(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } };
}

const real = await signingKey('boundary-test-key');
const impostor = await signingKey('boundary-test-key'); // same key id, different key: a forged signature

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'boundary',
    client_secret: 'boundary-test-secret',
    redirect_uris: [options.redirectUri],
    post_logout_redirect_uris: options.postLogoutRedirectUri ? [options.postLogoutRedirectUri] : [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [real.jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  // Scope claims go into the ID token itself, as Entra ID and Keycloak put the groups claim there.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // A first-party client: the person is not asked to consent.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id, preferred_username: id, name: user.name || id, email: user.email, email_verified: true,
          groups: user.groups || [],
        };
      },
    };
  },
  ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});
provider.proxy = false;

// The knobs: rewrite the ID token of the next token response.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !idTokenMode || !ctx.body?.id_token) return;
  const [, payloadPart] = ctx.body.id_token.split('.');
  const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString());
  let key = real.privateKey;
  if (idTokenMode === 'wrong_key') key = impostor.privateKey;
  if (idTokenMode === 'wrong_nonce') payload.nonce = 'a-nonce-boundary-never-sent';
  if (idTokenMode === 'expired') {
    const now = Math.floor(Date.now() / 1000);
    payload.iat = now - 7200;
    payload.exp = now - 3600;
  }
  ctx.body = {
    ...ctx.body,
    id_token: await new CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'RS256', kid: 'boundary-test-key', typ: 'JWT' }).sign(key),
  };
  idTokenMode = null;
});

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(body));
  });
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, error) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test provider: sign in</title></head>
<body><main><h1>Test organisation sign-in</h1>${error ? `<p role="alert" id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label for="login">Username</label> <input id="login" name="login" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in to the organisation</button></form></main></body></html>`;
}

// The login interaction: the provider's own page, which checks the test user's password.
async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid || details.prompt.name !== 'login') {
    // consent is never needed (loadExistingGrant); anything else is a test error
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`unexpected prompt ${details.prompt.name}`);
    return;
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid));
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const user = users[form.get('login')];
  if (!user || user.password !== form.get('password')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, 'Wrong username or password'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: form.get('login') } },
    { mergeWithLastSubmission: false });
}

const handle = provider.callback();
server.on('request', async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    const match = url.pathname.match(/^\/interaction\/([^/]+)$/);
    if (match) {
      await interaction(req, res, match[1]);
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // browsers ask; a 404 would be a console error in the browser test
    } else if (url.pathname === '/test/users' && req.method === 'POST') {
      users = JSON.parse(await readBody(req));
      res.writeHead(204).end();
    } else if (url.pathname === '/test/id-token' && req.method === 'POST') {
      idTokenMode = JSON.parse(await readBody(req)).mode || null;
      res.writeHead(204).end();
    } else {
      handle(req, res);
    }
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
