import { describe, expect, it } from 'vitest';
import { tokenHash } from '../../../src/tokens/id-token.ts';

// Vectors published with the oidc-token-hash package (panva), for one access token.
const ACCESS_TOKEN =
  'YmJiZTAwYmYtMzgyOC00NzhkLTkyOTItNjJjNDM3MGYzOWIy9sFhvH8K_x8UIHj1osisS57f5DduL-ar_qw5jl3lthwpMjm283aVMQXDmoqqqydDSqJfbhptzw8rUVwkuQbolw';

describe('at_hash (OpenID Connect Core §3.1.3.6)', () => {
  it('is the left half of SHA-256 for RS256, ES256 and PS256', async () => {
    for (const alg of ['RS256', 'ES256', 'PS256'] as const) expect(await tokenHash(ACCESS_TOKEN, alg)).toBe('x7vk7f6BvQj0jQHYFIk4ag');
  });

  it('is the left half of SHA-512 for EdDSA with Ed25519 (connect issue #1125)', async () => {
    expect(await tokenHash(ACCESS_TOKEN, 'EdDSA')).toBe('EGEAhGYyfuwDaVTifvrWSoD5MSy_5hZPy6I7Vm-7pTQ');
  });
});
