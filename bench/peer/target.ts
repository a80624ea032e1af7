// Starts the peer provider in its own Node process with clients equivalent to
// the ones registered on ours, and describes it to the scenarios.
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { startNodeChild } from '../children.ts';
import { basicAuthorization, expectJson, expectRedirect, HttpClient } from '../http.ts';
import { REDIRECT_URI } from '../provision.ts';
import { discover, type Target } from '../target.ts';
import { PEER_CONFIG_ENV, PEER_OPAQUE_RESOURCE, type PeerConfig } from './config.ts';

interface PeerOptions {
  root: string;
  port: number;
  connections: number;
}

export async function startPeer(options: PeerOptions): Promise<Target & { stop(): Promise<void> }> {
  const secret = () => randomBytes(32).toString('base64url');
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = 'bench-es256';
  const config: PeerConfig = {
    port: options.port,
    clients: {
      basic: { client_id: 'bench-basic', client_secret: secret() },
      jwt: { client_id: 'bench-jwt', jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] } },
      code: { client_id: 'bench-code', client_secret: secret(), redirect_uris: [REDIRECT_URI] },
    },
  };
  const child = await startNodeChild({
    name: 'the peer (oidc-provider)',
    script: 'bench/peer/server.ts',
    cwd: options.root,
    env: { [PEER_CONFIG_ENV]: JSON.stringify(config), NODE_ENV: 'production' },
  });
  const http = new HttpClient(child.url, options.connections);
  const endpoints = await discover(http);
  const { basic, code } = config.clients;
  return {
    name: 'peer',
    http,
    ...endpoints,
    basic: { clientId: basic.client_id, clientSecret: basic.client_secret },
    jwt: { clientId: config.clients.jwt.client_id, kid, privateKey },
    code: { clientId: code.client_id, clientSecret: code.client_secret, redirectUri: REDIRECT_URI },
    introspected: {
      description: 'an opaque access token from client_credentials (it introspects only opaque tokens)',
      // oidc-provider introspects only opaque tokens, so (c) asks for one for a resource whose tokens are opaque.
      issue: async () => {
        const issued = await http.postForm(endpoints.paths.token, { grant_type: 'client_credentials', resource: PEER_OPAQUE_RESOURCE }, {
          authorization: basicAuthorization(basic.client_id, basic.client_secret),
        });
        return expectJson<{ access_token: string }>('peer token (client_credentials, opaque)', issued).access_token;
      },
    },
    // The scripted login: its interaction URL signs the fixed person in and redirects on to the code.
    signIn: async (browser, path) => expectRedirect('peer authorize', (await browser.navigate(path)).res),
    processes: { 'oidc-provider (node)': [child.pid] },
    stop: async () => {
      await http.destroy();
      await child.stop();
    },
  };
}
